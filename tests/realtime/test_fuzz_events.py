"""Random payloads for every event, from a peer and from an admin: each gets an answer (an ack with `ok`,
and a readable error that is never `internal`), and the server keeps serving. Seeded, so a failure replays."""
from __future__ import annotations

import asyncio
import random
from typing import Any

from server.errors import ErrorCode
from server.identity.roles import Role
from server.realtime.events import EVENTS
from tests.harness import Client, RunningServer
from tests.moderation.factories import staff

CODES = {code.value for code in ErrorCode}
SAMPLES_PER_EVENT = 25


def _value(rng: random.Random, depth: int = 0) -> Any:
    choices = [
        lambda: None, lambda: rng.choice([True, False]),
        lambda: rng.choice([0, -1, 1, 7, 2**31, -(2**63), 10**30, 3]),
        lambda: rng.choice([0.5, -1e308, float("nan"), float("inf"), 1e-9]),
        lambda: rng.choice(["", " ", "anxiety", "x" * 5000, "\u202e\u200b", "😀" * 50, "a\x00b", "../../etc",
                            "0" * 32, "<script>alert(1)</script>", "f" * 33, "2026-13-45", "peer", "admin"]),
    ]
    if depth < 3:
        choices += [lambda: [_value(rng, depth + 1) for _ in range(rng.randint(0, 4))],
                    lambda: {rng.choice(["a", "room", "text", "x" * 60]): _value(rng, depth + 1)
                             for _ in range(rng.randint(0, 3))}]
    return rng.choice(choices)()


def _payload(rng: random.Random, fields: frozenset[str]) -> Any:
    shape = rng.random()
    if shape < 0.1:
        return _value(rng)  # not an object at all
    payload = {name: _value(rng) for name in fields if rng.random() < 0.8}
    if shape > 0.9:
        payload["unexpected"] = _value(rng)
    return payload


async def _fuzz(client: Client, rng: random.Random) -> list[str]:
    problems = []
    for name, spec in sorted(EVENTS.items()):
        if spec.ends_connection:
            continue  # covered by their own tests: a success would close this connection
        for _ in range(SAMPLES_PER_EVENT):
            payload = _payload(rng, spec.fields)
            reply = await asyncio.wait_for(client.call(name, payload), 5)
            error = reply.get("error") if isinstance(reply, dict) else None
            if not isinstance(reply, dict) or "ok" not in reply:
                problems.append(f"{name}: no ok in {str(reply)[:80]}")
            elif not reply["ok"] and (not error or error.get("code") not in CODES or not error.get("message")
                                      or error["code"] == ErrorCode.INTERNAL.value):
                problems.append(f"{name} {str(payload)[:80]}: {str(error)[:120]}")
    return problems


async def test_random_payloads_for_every_event_are_answered_and_never_break_the_server(
        server: RunningServer) -> None:
    peer = await server.joined_peer()
    admin = await staff(server, Role.ADMIN)
    assert (await admin.call("room:join", {"room": "anxiety", "accept_agreement": True}))["ok"]
    problems = await _fuzz(peer, random.Random(6)) + await _fuzz(admin, random.Random(7))
    assert problems == [], problems
    for client in (peer, admin):
        assert client.sio.connected and (await client.call("rooms:list", {}))["ok"]
    fresh = await server.joined_peer()
    assert (await fresh.call("message:send", {"room": "anxiety", "text": "still fine", "client_msg_id": "z"}))["ok"]
