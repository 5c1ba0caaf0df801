"""Staff management: roles never above one's own, the last admin kept, deactivation ends every session."""
from __future__ import annotations

import asyncio

import pytest
import socketio

from server.identity.roles import Role
from server.identity.staff import can_assign_role
from server.jobs import refresh_live_config
from tests.admin.api import PASSWORD, admin, call, staff_token
from tests.harness import Client, RunningServer, ServerFactory

R = Role


async def until_disconnected(client: Client) -> None:
    """The server closes the socket; the client notices a moment later (real network time, not business time)."""
    async def wait() -> None:
        while client.sio.connected:
            await asyncio.sleep(0.01)
    await asyncio.wait_for(wait(), 2)


@pytest.mark.parametrize("actor,current,new,allowed", [
    (R.ADMIN, None, R.ADMIN, True), (R.ADMIN, R.MODERATOR, R.ADMIN, True), (R.ADMIN, R.ADMIN, R.FACILITATOR, True),
    (R.MODERATOR, None, R.FACILITATOR, False), (R.MODERATOR, R.FACILITATOR, R.MODERATOR, False),
    (R.FACILITATOR, None, R.FACILITATOR, False), (R.PEER, None, R.FACILITATOR, False),
])
def test_role_assignment_table(actor: Role, current: Role | None, new: Role, allowed: bool) -> None:
    assert can_assign_role(actor, current, new) is allowed


async def test_add_list_change_role_and_reset_password(server: RunningServer) -> None:
    token = await admin(server)
    status, body = await call(server, "POST", "/api/staff", {"username": "mia", "role": "moderator",
                                                             "password": PASSWORD}, token)
    assert status == 201 and body["staff"]["role"] == "moderator" and body["staff"]["active"]
    status, body = await call(server, "GET", "/api/staff", None, token)
    assert [(s["username"], s["role"]) for s in body["staff"]] == [("mia", "moderator"), ("root", "admin")]
    status, body = await call(server, "PATCH", "/api/staff/mia", {"role": "facilitator"}, token)
    assert status == 200 and body["staff"]["role"] == "facilitator"
    status, _ = await call(server, "POST", "/api/staff/mia/password", {"password": "a new long password"}, token)
    assert status == 200
    assert (await server.post("/api/login", {"username": "mia", "password": PASSWORD}))[0] == 401
    assert (await server.post("/api/login", {"username": "mia", "password": "a new long password"}))[0] == 200


async def test_bad_staff_input_gets_clear_errors(server: RunningServer) -> None:
    token = await admin(server)
    cases = [
        ("POST", "/api/staff", {"username": "root", "role": "moderator", "password": PASSWORD}, 409),
        ("POST", "/api/staff", {"username": "x y", "role": "moderator", "password": PASSWORD}, 400),
        ("POST", "/api/staff", {"username": "sam", "role": "peer", "password": PASSWORD}, 400),
        ("POST", "/api/staff", {"username": "sam", "role": "overlord", "password": PASSWORD}, 400),
        ("POST", "/api/staff", {"username": "sam", "role": "moderator", "password": "short"}, 400),
        ("PATCH", "/api/staff/nobody", {"role": "moderator"}, 404),
        ("POST", "/api/staff/nobody/deactivate", None, 404),
        ("POST", "/api/staff/root/password", {"password": 5}, 400),
    ]
    for method, path, body, status in cases:
        got, answer = await call(server, method, path, body, token)
        assert got == status, (path, body, answer)
        assert answer["error"]["message"]


async def test_the_last_admin_can_be_neither_demoted_nor_deactivated(server: RunningServer) -> None:
    token = await admin(server)
    for method, path, body in (("PATCH", "/api/staff/root", {"role": "moderator"}),
                               ("POST", "/api/staff/root/deactivate", None)):
        status, answer = await call(server, method, path, body, token)
        assert status == 409 and "last active administrator" in answer["error"]["message"]
    await call(server, "POST", "/api/staff", {"username": "ann", "role": "admin", "password": PASSWORD}, token)
    status, answer = await call(server, "PATCH", "/api/staff/root", {"role": "moderator"}, token)
    assert status == 200
    # root is a moderator now: admin endpoints refuse them on the next request.
    assert (await call(server, "GET", "/api/staff", None, token))[0] == 403


async def test_deactivation_closes_every_socket_on_every_process(make_server: ServerFactory) -> None:
    first = await make_server()
    second = await make_server()
    token = await admin(first)
    mod_token = await staff_token(first, "mia", Role.MODERATOR)
    here = await first.connect(mod_token)
    there = await second.connect(mod_token)
    await second.services.live.refresh(second.services.db, second.clock.now())
    status, body = await call(first, "POST", "/api/staff/mia/deactivate", None, token)
    assert status == 200 and not body["staff"]["active"]
    await until_disconnected(here)
    # The other process notices within its next one-second look at the config counters.
    assert there.sio.connected
    second.clock.advance(1.0)
    await refresh_live_config(second.services)
    await until_disconnected(there)
    assert (await first.post("/api/login", {"username": "mia", "password": PASSWORD}))[0] == 401
    with pytest.raises(socketio.exceptions.ConnectionError):
        await first.connect(mod_token)
    status, body = await call(first, "POST", "/api/staff/mia/reactivate", None, token)
    assert status == 200 and body["staff"]["active"]
    assert (await first.post("/api/login", {"username": "mia", "password": PASSWORD}))[0] == 200


async def test_a_role_change_or_password_reset_closes_sockets_on_every_process(make_server: ServerFactory) -> None:
    first = await make_server()
    second = await make_server()
    token = await admin(first)
    mod_token = await staff_token(first, "mia", Role.MODERATOR)
    there = await second.connect(mod_token)
    assert (await there.call("mod:queue", {}))["ok"]
    await second.services.live.refresh(second.services.db, second.clock.now())
    assert (await call(first, "PATCH", "/api/staff/mia", {"role": "facilitator"}, token))[0] == 200
    # The socket on the other process still acts as a moderator until its next look at the config counters.
    assert there.sio.connected
    second.clock.advance(1.0)
    await refresh_live_config(second.services)
    await until_disconnected(there)
    # A role change keeps the token: reconnecting works, with the new role.
    again = await second.connect(mod_token)
    assert (await again.call("mod:queue", {}))["error"]["code"] == "forbidden"
    await refresh_live_config(second.services)
    assert again.sio.connected  # nothing outdated: the check leaves current sockets alone
    assert (await call(first, "POST", "/api/staff/mia/password", {"password": PASSWORD + "!"}, token))[0] == 200
    second.clock.advance(1.0)
    await refresh_live_config(second.services)
    await until_disconnected(again)
    with pytest.raises(socketio.exceptions.ConnectionError):
        await second.connect(mod_token)


async def test_signing_out_ends_every_session_of_that_person_on_every_process(make_server: ServerFactory) -> None:
    first = await make_server()
    second = await make_server()
    mod_token = await staff_token(first, "mia", Role.MODERATOR)
    here = await first.connect(mod_token)
    there = await second.connect(mod_token)
    await second.services.live.refresh(second.services.db, second.clock.now())
    assert (await first.post("/api/logout", None))[0] == 401
    status, body = await first.post("/api/logout", None, headers={"Authorization": f"Bearer {mod_token}"})
    assert status == 200 and body == {"signed_out": True}
    await until_disconnected(here)
    second.clock.advance(1.0)
    await refresh_live_config(second.services)
    await until_disconnected(there)
    for server in (first, second):
        assert (await call(server, "GET", "/api/sessions", None, mod_token))[0] == 401
        with pytest.raises(socketio.exceptions.ConnectionError):
            await server.connect(mod_token)
    assert (await first.post("/api/login", {"username": "mia", "password": PASSWORD}))[0] == 200
