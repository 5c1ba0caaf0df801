"""Factories for moderation tests: staff clients through the real account service, and flagged messages
stored the way the send path stores them (the pipeline is still a pass-through, so a hand-built Verdict
stands in for its output: Verdict is a value, not a mock)."""
from __future__ import annotations

import asyncio
import itertools
import uuid
from typing import Any, Callable

from server.identity.accounts import do_create_staff
from server.identity.roles import Role
from server.moderation.queue import raise_for_verdict
from server.moderation.verdict import Decision, Flag, FlagKind, Severity, Verdict
from server.storage.models import Message
from server.storage.rooms import RoomStore
from tests.harness import Client, RunningServer

_names = itertools.count(1)
PASSWORD = "correct horse battery"


async def staff_token(server: RunningServer, role: Role, name: str | None = None) -> tuple[str, str]:
    """(user id, token) of a new staff account."""
    user = await do_create_staff(server.services.db, server.clock, role=role,
                                 username=name or f"{role.value}{next(_names)}", password=PASSWORD)
    return user.id, server.services.signer.issue(user.id, user.token_version)


async def staff(server: RunningServer, role: Role = Role.MODERATOR, name: str | None = None,
                subscribe: bool = True) -> Client:
    _user_id, token = await staff_token(server, role, name)
    client = await server.connect(token)
    if subscribe:
        reply = await client.call("mod:subscribe", {})
        assert reply["ok"], reply
    return client


async def member(server: RunningServer, room: str | None = "anxiety", mode: str = "participant",
                 pseudonym: str | None = None) -> tuple[Client, str]:
    """A peer (connected, and joined to `room` unless None) and their user id."""
    status, body = await server.post("/api/session", {"pseudonym": pseudonym or f"peer{next(_names)}"})
    assert status == 201, body
    client = await server.connect(body["token"])
    if room:
        reply = await client.call("room:join", {"room": room, "accept_agreement": True, "as": mode})
        assert reply["ok"], reply
    return client, str(body["user"]["id"])


async def say(client: Client, text: str, room: str = "anxiety") -> dict[str, Any]:
    reply = await client.call("message:send", {"room": room, "text": text, "client_msg_id": uuid.uuid4().hex})
    assert reply["ok"], reply
    return dict(reply["message"])


def crisis_verdict(text: str, severity: Severity = Severity.IMMINENT) -> Verdict:
    return Verdict(decision=Decision.ALLOW, text=text, flags=(Flag(FlagKind.CRISIS, severity, "test.crisis"),))


HELD = Verdict(decision=Decision.HOLD, text="call me on 555 0100",
               flags=(Flag(FlagKind.CONTACT, Severity.MEDIUM, "test.contact"),))


async def flagged_message(server: RunningServer, sender_id: str, verdict: Verdict, room: str = "anxiety",
                          client_msg_id: str | None = None) -> dict[str, Any]:
    """Store a message with this verdict and its review item in one transaction, as do_send_message does."""
    svc, now = server.services, server.clock.now()
    async with svc.db.transaction() as tx:
        stored_room = await RoomStore(tx.session).by_slug(room)
        assert stored_room is not None
        held = verdict.decision is Decision.HOLD
        message = Message(id=uuid.uuid4().hex, room_id=stored_room.id, sender_id=sender_id,
                          client_msg_id=client_msg_id or uuid.uuid4().hex, status="held" if held else "visible",
                          seq=None if held else await RoomStore(tx.session).next_seq(stored_room.id),
                          text=verdict.text, original=verdict.text if held else None,
                          decision=verdict.decision.value, flags=[], notices=[], created_at=now)
        tx.session.add(message)
        await tx.session.flush()
        await raise_for_verdict(tx, svc, message, verdict, now)
    return {"id": message.id, "seq": message.seq, "status": message.status}


async def until(condition: Callable[[], bool], timeout: float = 5.0) -> None:
    """Wait for the server to observe real I/O (a socket closing): polling, never business time."""
    async def poll() -> None:
        while not condition():
            await asyncio.sleep(0.01)
    await asyncio.wait_for(poll(), timeout)
