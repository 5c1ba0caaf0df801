"""Joining and leaving: the agreement, listener mode, capacity, presence events and the room directory."""
from __future__ import annotations

from tests.harness import RunningServer


async def test_rooms_list_shows_the_default_rooms(server: RunningServer) -> None:
    ada = await server.peer()
    reply = await ada.call("rooms:list", {})
    assert reply["ok"]
    slugs = [r["slug"] for r in reply["rooms"]]
    assert slugs == ["check-in", "anxiety", "depression", "postpartum", "grief", "recovery", "trauma", "relationships",
                     "lgbtq", "carers"]
    anxiety = reply["rooms"][1]
    assert set(anxiety) >= {"slug", "name", "description", "agreement", "online", "listeners_allowed", "capacity"}
    assert "not therapy" in anxiety["agreement"]
    await server.joined_peer("anxiety")
    reply = await ada.call("rooms:list")
    assert reply["rooms"][1]["online"] == 1


async def test_join_requires_accepting_the_agreement_once(server: RunningServer) -> None:
    ada = await server.peer()
    refused = await ada.call("room:join", {"room": "grief"})
    assert refused["ok"] is False
    assert refused["error"]["code"] == "agreement_required"
    assert "stays here" in refused["error"]["agreement"]
    joined = await ada.call("room:join", {"room": "grief", "accept_agreement": True})
    assert joined["ok"] and joined["you"]["mode"] == "participant"
    assert joined["room"]["slug"] == "grief" and joined["history"] == []
    assert await ada.call("room:leave", {"room": "grief"}) == {"ok": True}
    again = await ada.call("room:join", {"room": "grief"})
    assert again["ok"], "an accepted agreement is remembered"


async def test_join_returns_recent_history_and_who_is_here(server: RunningServer) -> None:
    ada = await server.joined_peer(pseudonym="Ada")
    await ada.call("message:send", {"room": "anxiety", "text": "welcome", "client_msg_id": "w"})
    bo = await server.peer("Bo")
    reply = await bo.call("room:join", {"room": "anxiety", "accept_agreement": True, "as": "listener"})
    assert [m["text"] for m in reply["history"]] == ["welcome"]
    assert sorted(m["pseudonym"] for m in reply["members"]) == ["Ada", "Bo"]
    joined = await ada.wait_for("member:joined")
    assert joined == {"room": "anxiety", "member": {**reply["you"]}}
    assert reply["you"]["mode"] == "listener"


async def test_leaving_and_disconnecting_tell_the_room(server: RunningServer) -> None:
    ada = await server.joined_peer(pseudonym="Ada")
    bo = await server.joined_peer(pseudonym="Bo")
    assert (await bo.call("room:leave", {"room": "anxiety"}))["ok"]
    left = await ada.wait_for("member:left")
    assert left["member"]["pseudonym"] == "Bo"
    cy = await server.joined_peer(pseudonym="Cy")
    await cy.close()
    await ada.wait_for("member:left", lambda e: e["member"]["pseudonym"] == "Cy")
    reply = await bo.call("room:leave", {"room": "anxiety"})
    assert reply["error"]["code"] == "not_member"


async def test_listeners_not_allowed_where_the_room_says_so(server: RunningServer) -> None:
    ada = await server.peer()
    reply = await ada.call("room:join", {"room": "recovery", "accept_agreement": True, "as": "listener"})
    assert reply["error"]["code"] == "listeners_not_allowed"
    reply = await ada.call("room:join", {"room": "recovery", "accept_agreement": True, "as": "lurker"})
    assert reply["error"]["code"] == "invalid"


async def test_unknown_room_is_not_found(server: RunningServer) -> None:
    ada = await server.peer()
    for event, payload in (("room:join", {"room": "nope", "accept_agreement": True}),
                           ("room:leave", {"room": "nope"}),
                           ("message:history", {"room": "nope"}),
                           ("typing", {"room": "nope"})):
        reply = await ada.call(event, payload)
        assert reply["error"]["code"] == "not_found", (event, reply)


async def test_a_full_room_refuses_new_peers(server: RunningServer) -> None:
    from sqlalchemy import update

    from server.storage.models import Room

    async with server.services.db.transaction() as tx:
        await tx.session.execute(update(Room).where(Room.slug == "carers").values(capacity=1))
    await server.joined_peer("carers")
    late = await server.peer()
    reply = await late.call("room:join", {"room": "carers", "accept_agreement": True})
    assert reply["error"]["code"] == "room_full"


async def test_typing_reaches_others_but_not_from_listeners(server: RunningServer) -> None:
    ada = await server.joined_peer(pseudonym="Ada")
    bo = await server.joined_peer(pseudonym="Bo")
    assert await ada.call("typing", {"room": "anxiety"}) == {"ok": True}
    typing = await bo.wait_for("typing")
    assert typing["user"]["pseudonym"] == "Ada"
    assert ada.received("typing") == []
    listener = await server.joined_peer(mode="listener")
    assert (await listener.call("typing", {"room": "anxiety"}))["error"]["code"] == "listener_mode"
    outsider = await server.peer()
    assert (await outsider.call("typing", {"room": "anxiety"}))["error"]["code"] == "not_member"
