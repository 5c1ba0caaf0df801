"""Admin changes made with the real `peerchat` command reach connected clients within a second of the
server's clock, as the same event the API pushes, and once."""
from __future__ import annotations

import asyncio
from typing import Any, Callable

from prometheus_client import REGISTRY
from sqlalchemy import select, text

from server.identity.roles import Role
from server.jobs import refresh_live_config
from server.storage.admin_models import QueuedPush
from tests.admin.api import admin, call, staff_token
from tests.admin.cli import peerchat
from tests.harness import Client, RunningServer, ServerFactory
from tests.processes import eventually


async def _command(server: RunningServer, database_url: str, *args: str) -> None:
    """Run the command, then let the server's once-a-second look at the live-config counters come round."""
    done = await peerchat(database_url, *args)
    assert done.returncode == 0, done.stderr
    server.clock.advance(1.0)


async def _once(server: RunningServer, client: Client, event: str, match: Callable[[Any], bool]) -> Any:
    """The event arrives within a couple of real seconds (the live_config job's tick) and never again."""
    pushed = await client.wait_for(event, match, timeout=3.0)
    server.clock.advance(1.0)
    await refresh_live_config(server.services)
    assert len([data for data in client.received(event) if match(data)]) == 1
    return pushed


async def test_rooms_add_edit_and_archive_from_the_command_line_reach_connected_clients(
        server: RunningServer, database_url: str) -> None:
    watcher = await server.joined_peer("grief")
    ada = await server.joined_peer("anxiety")
    await _command(server, database_url, "rooms", "add", "new-dads", "--name", "New dads", "--agreement", "Be kind.")
    await _once(server, watcher, "rooms:changed", lambda d: d == {"room": "new-dads", "change": "created"})
    bo = await server.joined_peer("new-dads")

    await _command(server, database_url, "rooms", "edit", "anxiety", "--name", "Worry", "--agreement", "Be kinder.")
    edited = await _once(server, ada, "room:updated", lambda d: d["room"] == "anxiety")
    assert edited["name"] == "Worry" and edited["agreement"] == "Be kinder." and edited["agreement_version"] == 2
    assert edited["archived"] is False and edited["online"] == 1
    await _once(server, watcher, "rooms:changed", lambda d: d == {"room": "anxiety", "change": "updated"})
    refused = await ada.call("message:send", {"room": "anxiety", "text": "hello", "client_msg_id": "a1"})
    assert refused["error"]["code"] == "agreement_required"
    # The API's push of the same kind of change carries the same fields.
    token = await admin(server)
    assert (await call(server, "PATCH", "/api/rooms/anxiety", {"description": "Worries."}, token))[0] == 200
    by_api = await ada.wait_for("room:updated", lambda d: d.get("description") == "Worries.")
    assert set(by_api) == set(edited)

    await _command(server, database_url, "rooms", "archive", "new-dads")
    await _once(server, bo, "room:updated", lambda d: d["room"] == "new-dads" and d["archived"])
    await _once(server, watcher, "rooms:changed", lambda d: d == {"room": "new-dads", "change": "archived"})


async def test_room_rules_and_slow_mode_from_the_command_line_reach_the_people_in_the_room(
        server: RunningServer, database_url: str) -> None:
    ada = await server.joined_peer("anxiety")
    await _command(server, database_url, "rooms", "policy", "anxiety", "retention_days=3")
    rules = await _once(server, ada, "room:updated", lambda d: "policy" in d)
    assert set(rules) == {"room", "policy"} and rules["policy"]["retention_days"] == 3

    await _command(server, database_url, "rooms", "slow-mode", "anxiety", "30", "--minutes", "10", "--reason", "flood")
    slow = await _once(server, ada, "room:updated", lambda d: d.get("slow_mode") is not None)
    assert slow["room"] == "anxiety" and slow["slow_mode"]["seconds"] == 30 and slow["by"] == "operator"
    # Turned off through the API: pushed by the process that made it, and not once more from a queue.
    token = await admin(server)
    status, _ = await call(server, "PUT", "/api/rooms/anxiety/slow_mode", {"seconds": 0, "reason": "calmer"}, token)
    assert status == 200
    await _once(server, ada, "room:updated", lambda d: "slow_mode" in d and d["slow_mode"] is None)


async def test_room_moderators_set_from_the_command_line_hear_of_their_rooms(
        server: RunningServer, database_url: str) -> None:
    mia = await server.connect(await staff_token(server, "mia", Role.MODERATOR))
    assert (await mia.call("mod:subscribe", {}))["my_rooms"] == []
    await _command(server, database_url, "rooms", "moderators", "grief", "mia")
    await _once(server, mia, "moderator:rooms", lambda d: d == {"rooms": ["grief"]})
    await _command(server, database_url, "rooms", "moderators", "grief", "--none")
    await _once(server, mia, "moderator:rooms", lambda d: d == {"rooms": []})


async def test_a_push_no_server_took_within_a_minute_is_dropped(server: RunningServer, database_url: str) -> None:
    ada = await server.joined_peer("anxiety")
    done = await peerchat(database_url, "rooms", "edit", "anxiety", "--name", "Worry")
    assert done.returncode == 0, done.stderr
    server.clock.advance(120.0)  # as if no server had looked since: whoever connected since read the room
    await refresh_live_config(server.services)
    async with server.services.db.read() as session:
        assert list((await session.execute(select(QueuedPush))).scalars()) == []
    assert not ada.received("room:updated")
    listed = (await ada.call("rooms:list"))["rooms"]
    assert [room["name"] for room in listed if room["slug"] == "anxiety"] == ["Worry"]


def _live_config_failures() -> float:
    return REGISTRY.get_sample_value("peerchat_job_failures_total", {"job": "live_config"}) or 0.0


async def _rename_table(server: RunningServer, name: str, to: str) -> None:
    async with server.services.db.transaction() as tx:
        await tx.session.execute(text(f"ALTER TABLE {name} RENAME TO {to}"))


async def test_a_queued_push_whose_look_failed_is_sent_at_the_next_look(server: RunningServer,
                                                                        database_url: str) -> None:
    """The look that saw the counter move could not take the pushes (the table was unreadable for a moment):
    the next look sends them, instead of leaving them until the counter moves again, maybe days later."""
    ada = await server.joined_peer("anxiety")
    done = await peerchat(database_url, "rooms", "policy", "anxiety", "retention_days=3")
    assert done.returncode == 0, done.stderr
    failures = _live_config_failures()
    await _rename_table(server, "queued_pushes", "queued_pushes_away")
    try:
        server.clock.advance(1.0)

        async def failed() -> bool:
            return _live_config_failures() > failures
        await eventually(failed, timeout=5)
    finally:
        await _rename_table(server, "queued_pushes_away", "queued_pushes")
    rules = await _once(server, ada, "room:updated", lambda d: "policy" in d)
    assert rules["policy"]["retention_days"] == 3


async def test_two_servers_looking_at_once_take_a_queued_push_once(make_server: ServerFactory,
                                                                   database_url: str) -> None:
    """Without Redis a server's push reaches only its own clients, so theirs together count the servers that took
    it: one, though both look at the same moment (one DELETE takes it; the other finds it gone)."""
    servers = [await make_server(), await make_server()]
    clients = [await server.joined_peer("anxiety") for server in servers]
    done = await peerchat(database_url, "rooms", "policy", "anxiety", "retention_days=3")
    assert done.returncode == 0, done.stderr
    for server in servers:
        server.clock.advance(1.0)
    await asyncio.gather(*(refresh_live_config(server.services) for server in servers))

    def received() -> int:
        return sum(len([d for d in client.received("room:updated") if "policy" in d]) for client in clients)

    async def arrived() -> bool:
        return received() > 0
    await eventually(arrived, timeout=5)
    for client in clients:  # each connection is ordered: a push sent before this answer arrived before it
        assert (await client.call("rooms:list"))["ok"]
    assert received() == 1
