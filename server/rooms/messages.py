"""Sending a message: room rules, the moderation pipeline, one transaction, fan-out after commit."""
from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from typing import Any, Callable, TypeVar

from sqlalchemy.exc import IntegrityError

from ..broadcast import room_topic
from ..errors import DomainError, ErrorCode
from ..identity.principal import Principal
from ..metrics import record_verdict
from ..moderation import notices
from ..moderation.pipeline import review
from ..moderation.policy import SenderContext
from ..moderation.queue import raise_for_verdict
from ..moderation.sanctions import check_not_sanctioned
from ..moderation.resource_book import ResourceBook
from ..moderation.watched_effects import do_apply_watched
from ..moderation.verdict import Decision, FlagKind, Verdict
from ..services import Services
from ..storage.message_writer import NewMessage
from ..storage.messages import MessageStore
from ..storage.models import Message, Room
from ..storage.rooms import RoomStore
from .access import check_joined, check_room
from .policy import RoomRules
from .presence import Present
from .sessions.posting import check_session_allows_post, check_session_turn
from .slow_mode import check_slow_mode
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
    content_warning: bool = False


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
        result = await _send_plain(svc, actor, sid, request, text, client_msg_id)
        return result if result is not None else await _send(svc, actor, sid, request, text, client_msg_id)
    except IntegrityError:
        # A concurrent resend won the race for this client_msg_id: answer with what it stored.
        return await _stored_result(svc, actor, request.room, client_msg_id)


async def _send_plain(svc: Services, actor: Principal, sid: str, request: SendRequest, text: str,
                      client_msg_id: str) -> dict[str, Any] | None:
    """The common case on the fast path: one read, then group commit (storage/message_writer.py).

    Returns None whenever anything beyond the room's own rules is involved (a sanction, a session, slow
    mode, a flag, a refusal, an unknown room) so that `_send` gives the careful, exact answer."""
    now = svc.clock.now()
    await svc.live.refresh(svc.db, now)
    gate = await svc.gate.look(request.room, actor.user_id, now)
    if gate is None or not gate.clear:
        return None
    room = gate.room
    try:
        check_may_post(room, check_joined(svc.presence, room, actor, sid))
    except DomainError:
        return None  # `_send` refuses, unless this is a resend of a message already stored
    rules = RoomRules.from_json(room.policy)
    sender = SenderContext(now=now, recent=svc.recent.of(actor.user_id, now))
    verdict = review(text, rules.moderation(actor.locale, svc.live.watched_for(room.id)), sender)
    if verdict.flags or verdict.decision is not Decision.ALLOW:
        return None
    message = _message(room, actor, client_msg_id, text, verdict, now, NewMessage)
    message.content_warning = request.content_warning
    if not rules.stores_messages:
        message.text = None
    stored = await svc.writer.write(message)
    if stored is not message:
        return _result(stored, actor, room, stored.text, svc.live.book)
    record_verdict(verdict)
    result = _result(message, actor, room, verdict.text, svc.live.book)
    await svc.broadcaster.publish(room_topic(room.id), "message:new", result["message"])
    svc.recent.remember(actor.user_id, text, now)
    return result


async def _send(svc: Services, actor: Principal, sid: str, request: SendRequest, text: str,
                client_msg_id: str) -> dict[str, Any]:
    now = svc.clock.now()
    await svc.live.refresh(svc.db, now)
    async with svc.db.transaction() as tx:
        room = await check_room(tx.session, request.room)
        present = check_joined(svc.presence, room, actor, sid)
        store = MessageStore(tx.session)
        existing = await store.by_client_id(room.id, actor.user_id, client_msg_id)
        if existing is not None:
            return _result(existing, actor, room, existing.text, svc.live.book)
        rules = RoomRules.from_json(room.policy)
        sender = SenderContext(now=now, recent=svc.recent.of(actor.user_id, now))
        policy = rules.moderation(actor.locale, svc.live.watched_for(room.id))
        # Read before any rule that may refuse the message: none of them may hide a crisis from the moderators.
        reviewed = review(text, policy, sender)
        crisis = reviewed.flag_of(FlagKind.CRISIS) is not None
        try:
            check_may_post(room, present)
            await check_not_sanctioned(tx.session, actor.user_id, room.id, now)
            seat = await check_session_allows_post(tx.session, room, actor)
        except DomainError as refusal:
            if not crisis:
                raise
            verdict = held_in_crisis(reviewed, refusal)
        else:
            verdict = await do_apply_watched(tx, svc, actor=actor, room_id=room.id, verdict=reviewed,
                                             watched=policy.watched)
            # Slow modes last, on the final verdict: a blocked or held message uses no turn. Neither ever
            # refuses a crisis message, so nothing here can hide one.
            check_session_turn(seat, verdict, now)
            await check_slow_mode(tx.session, room, actor, verdict, now)
        record_verdict(verdict)
        message = _message(room, actor, client_msg_id, text, verdict, now, Message)
        message.content_warning = request.content_warning
        live_text = None
        if message.status == "visible":
            message.seq = await RoomStore(tx.session).next_seq(room.id)
            if not rules.stores_messages:
                live_text, message.text = message.text, None
        store.add(message)
        await tx.session.flush()
        await raise_for_verdict(tx, svc, message, verdict, now, live_text)
        result = _result(message, actor, room, None if message.status == "blocked" else verdict.text, svc.live.book)
        if message.status == "visible":
            tx.after_commit(lambda: svc.broadcaster.publish(room_topic(room.id), "message:new", result["message"]))
    svc.recent.remember(actor.user_id, text, now)
    return result


def held_in_crisis(reviewed: Verdict, refusal: DomainError) -> Verdict:
    """A message some rule refuses (a mute, a session's turn, a listener's seat...) that reads as crisis is
    held for a moderator instead: the crisis item reaches the queue, the sender gets the resources and is
    told why the message is not in the room, and a moderator may still post it."""
    kept = tuple(n for n in reviewed.notices if n.code == notices.CRISIS.code)
    return Verdict(Decision.HOLD, reviewed.text, reviewed.flags,
                   kept + (notices.refused_in_crisis(refusal.message),))


def check_may_post(room: Room, present: Present) -> None:
    """The room's own rules for this person: participants only, current agreement accepted."""
    if present.mode == "listener":
        raise DomainError(ErrorCode.LISTENER_MODE, "You joined as a listener. Rejoin as a participant to "
                          "write in this room.")
    if present.agreement_version < room.agreement_version:
        raise DomainError(ErrorCode.AGREEMENT_REQUIRED, "The group agreement has changed. Please read and accept "
                          "it again to keep posting.", agreement=room.agreement,
                          agreement_version=room.agreement_version)


async def _stored_result(svc: Services, actor: Principal, slug: str, client_msg_id: str) -> dict[str, Any]:
    async with svc.db.read() as session:
        room = await check_room(session, slug)
        stored = await MessageStore(session).by_client_id(room.id, actor.user_id, client_msg_id)
    if stored is None:
        raise DomainError(ErrorCode.CONFLICT, "That message could not be stored. Please send it again.")
    return _result(stored, actor, room, stored.text, svc.live.book)


M = TypeVar("M", Message, NewMessage)


def _message(room: Room, actor: Principal, client_msg_id: str, text: str, verdict: Verdict, now: float,
             make: Callable[..., M]) -> M:
    """The ORM Message for the careful path's session, a plain NewMessage for group commit."""
    status = STATUS_FOR[verdict.decision]
    return make(
        id=uuid.uuid4().hex, room_id=room.id, sender_id=actor.user_id, client_msg_id=client_msg_id,
        seq=None, status=status, text=None if status == "blocked" else verdict.text,
        original=text if status == "held" else None,
        decision=verdict.decision.value,
        flags=[{"kind": f.kind.value, "severity": f.severity.value, "rule": f.rule,
                "spans": [[s.start, s.end] for s in f.spans]} for f in verdict.flags],
        notices=[{"code": n.code, "message": n.message} for n in verdict.notices],
        created_at=now)


def _result(message: Message | NewMessage, actor: Principal, room: Room, shown_text: str | None,
            book: ResourceBook) -> dict[str, Any]:
    """The sender's ack; `shown_text` is what was delivered, even in rooms that do not store text."""
    return {
        "message": {**message_shape(message, actor.public(), room.slug), "text": shown_text},
        "decision": message.decision,
        "notices": [notice_shape(n["code"], n["message"], actor.locale, book) for n in message.notices],
    }
