"""Crisis resources edited by admins: per region over the defaults, international fallback, live."""
from __future__ import annotations

from tests.admin.api import admin, call
from tests.harness import RunningServer, ServerFactory

LOCAL = {"region": "GB", "name": "Riverside Crisis Line", "phone": "0800 555 0100", "hours": "6pm-2am",
         "url": "https://riverside.example.org"}


async def names(server: RunningServer, locale: str) -> list[str]:
    status, body = await call(server, "GET", f"/api/crisis-resources?locale={locale}")
    assert status == 200
    return [r["name"] for r in body["resources"]]


async def test_admin_entries_lead_their_region_and_reach_crisis_notices(make_server: ServerFactory) -> None:
    first = await make_server()
    second = await make_server()
    token = await admin(first)
    assert (await names(first, "en-GB"))[0] == "Samaritans"
    status, body = await call(first, "POST", "/api/crisis-resources", LOCAL, token)
    assert status == 201
    assert (await names(first, "en-GB"))[:2] == ["Riverside Crisis Line", "Samaritans"]
    peer = await second.connect(await second.peer_token(), auth_extra={"locale": "en-GB"})
    assert (await peer.call("room:join", {"room": "anxiety", "accept_agreement": True}))["ok"]
    second.clock.advance(1.0)
    reply = await peer.call("message:send", {"room": "anxiety", "text": "I want to end my life",
                                             "client_msg_id": "c1"})
    crisis = [n for n in reply["notices"] if n["code"] == "crisis_resources"][0]
    assert crisis["resources"][0]["name"] == "Riverside Crisis Line"
    assert crisis["resources"][0]["phone"] == "0800 555 0100"
    assert (await names(first, "en-US"))[0] == "988 Suicide & Crisis Lifeline"


async def test_override_hide_and_international_fallback(server: RunningServer) -> None:
    token = await admin(server)
    await call(server, "POST", "/api/crisis-resources", {"region": "GB", "name": "Samaritans", "hidden": True}, token)
    assert "Samaritans" not in await names(server, "en-GB")
    status, body = await call(server, "POST", "/api/crisis-resources",
                              {"region": "INTL", "name": "Befrienders Worldwide", "kind": "directory",
                               "url": "https://befrienders.org", "hours": "directory"}, token)
    assert status == 201
    fallback = await names(server, "fr-FR")
    assert fallback[0] == "Befrienders Worldwide" and "Emergency services, if you are in danger right now" in fallback
    assert "Befrienders Worldwide" in await names(server, "en-GB")  # directories follow local entries
    entry_id = body["resource"]["id"]
    status, body = await call(server, "PATCH", f"/api/crisis-resources/{entry_id}", {"hours": "always"}, token)
    assert status == 200 and body["resource"]["hours"] == "always"
    assert (await call(server, "DELETE", f"/api/crisis-resources/{entry_id}", None, token))[0] == 200
    assert "Befrienders Worldwide" not in await names(server, "fr-FR")
    status, body = await call(server, "GET", "/api/admin/crisis-resources", None, token)
    assert [(r["region"], r["name"], r["hidden"]) for r in body["resources"]] == [("GB", "Samaritans", True)]


async def test_bad_resources_get_clear_errors(server: RunningServer) -> None:
    token = await admin(server)
    cases = [
        ({**LOCAL, "region": "Narnia"}, "region"), ({**LOCAL, "name": ""}, "name"),
        ({"region": "GB", "name": "Nothing to reach"}, "phone"), ({**LOCAL, "url": "javascript:alert(1)"}, "url"),
        ({**LOCAL, "kind": "psychic"}, "kind"), ({**LOCAL, "phone": "1" * 65}, "phone"),
        ({**LOCAL, "hidden": "yes"}, "hidden"), ({**LOCAL, "fax": "1"}, "fax"),
    ]
    for body, field in cases:
        status, answer = await call(server, "POST", "/api/crisis-resources", body, token)
        assert (status, answer["error"].get("field")) == (400, field), (body, answer)
    assert (await call(server, "PATCH", "/api/crisis-resources/nope", {"hours": "x"}, token))[0] == 404
