"""Sending a message: room rules, the moderation pipeline, one transaction, fan-out after commit."""
from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy.exc import IntegrityError

from ..broadcast import room_topic
from ..errors import DomainError, ErrorCode
from ..identity.principal import Principal
from ..metrics import record_verdict
from ..moderation.pipeline import review
from ..moderation.policy import RoomPolicy, SenderContext
from ..moderation.verdict import Decision, Verdict
from ..services import Services
from ..storage.messages import MessageStore
from ..storage.models import Message, Room
from ..storage.rooms import RoomStore
from .access import check_joined, check_room
from .shapes import message_shape, notice_shape

CLIENT_MSG_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")

STATUS_FOR = {
    Decision.ALLOW: "visible",
    Decision.ALLOW_MODIFIED: "visible",
    Decision.HOLD: "held",
    Decision.BLOCK: "blocked",
}


@dataclass(frozen=True, slots=True)
class SendRequest:
    room: str
    text: str
    client_msg_id: str


def check_message_text(raw: str, max_chars: int) -> str:
    text = raw.strip()
    if not text:
        raise DomainError(ErrorCode.INVALID, "The message is empty.", field="text")
    if len(text) > max_chars:
        raise DomainError(ErrorCode.INVALID, f"Messages can be up to {max_chars} characters; "
                          f"this one has {len(text)}.", field="text")
    return text


def check_client_msg_id(raw: str) -> str:
    if not CLIENT_MSG_ID.match(raw):
        raise DomainError(ErrorCode.INVALID, "client_msg_id must be 1-64 letters, digits, '-' or '_'.",
                          field="client_msg_id")
    return raw


async def do_send_message(svc: Services, *, actor: Principal, sid: str, request: SendRequest) -> dict[str, Any]:
    """Store and deliver one message; a resend with the same client_msg_id returns the stored result."""
    text = check_message_text(request.text, svc.settings.max_message_chars)
    client_msg_id = check_client_msg_id(request.client_msg_id)
    try:
        return await _send(svc, actor, sid, request.room, text, client_msg_id)
    except IntegrityError:
        # A concurrent resend won the race for this client_msg_id: answer with what it stored.
        return await _stored_result(svc, actor, request.room, client_msg_id)


async def _send(svc: Services, actor: Principal, sid: str, slug: str, text: str,
                client_msg_id: str) -> dict[str, Any]:
    now = svc.clock.now()
    async with svc.db.transaction() as tx:
        room = await check_room(tx.session, slug)
        mode = check_joined(svc.presence, room, actor, sid)
        store = MessageStore(tx.session)
        existing = await store.by_client_id(room.id, actor.user_id, client_msg_id)
        if existing is not None:
            return _result(existing, actor, room)
        if mode == "listener":
            raise DomainError(ErrorCode.LISTENER_MODE, "You joined as a listener. Rejoin as a participant to "
                              "write in this room.")
        verdict = review(text, RoomPolicy.from_mapping(room.policy),
                         SenderContext(now=now, recent=svc.recent.of(actor.user_id, now)))
        record_verdict(verdict)
        message = _message(room, actor, client_msg_id, verdict, now)
        if message.status == "visible":
            message.seq = await RoomStore(tx.session).next_seq(room.id)
        store.add(message)
        await tx.session.flush()
        result = _result(message, actor, room)
        if message.status == "visible":
            tx.after_commit(lambda: svc.broadcaster.publish(room_topic(room.id), "message:new", result["message"]))
    svc.recent.remember(actor.user_id, text, now)
    return result


async def _stored_result(svc: Services, actor: Principal, slug: str, client_msg_id: str) -> dict[str, Any]:
    async with svc.db.read() as session:
        room = await check_room(session, slug)
        stored = await MessageStore(session).by_client_id(room.id, actor.user_id, client_msg_id)
    if stored is None:
        raise DomainError(ErrorCode.CONFLICT, "That message could not be stored. Please send it again.")
    return _result(stored, actor, room)


def _message(room: Room, actor: Principal, client_msg_id: str, verdict: Verdict, now: float) -> Message:
    status = STATUS_FOR[verdict.decision]
    return Message(
        id=uuid.uuid4().hex, room_id=room.id, sender_id=actor.user_id, client_msg_id=client_msg_id,
        seq=None, status=status, text=None if status == "blocked" else verdict.text,
        decision=verdict.decision.value,
        flags=[{"kind": f.kind.value, "severity": f.severity.value, "rule": f.rule,
                "spans": [[s.start, s.end] for s in f.spans]} for f in verdict.flags],
        notices=[{"code": n.code, "message": n.message} for n in verdict.notices],
        created_at=now)


def _result(message: Message, actor: Principal, room: Room) -> dict[str, Any]:
    return {
        "message": message_shape(message, actor.public(), room.slug),
        "decision": message.decision,
        "notices": [notice_shape(n["code"], n["message"]) for n in message.notices],
    }
