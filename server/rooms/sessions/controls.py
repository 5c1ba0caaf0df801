"""Facilitator controls during a session, and the raise-hand queue.

Each control is a small function over the session's `controls` JSON (or a participant row), applied with
the session row locked, audited, and followed by `session:state` to the room.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Awaitable, Callable

from ...errors import DomainError, ErrorCode
from ...identity.principal import Principal
from ...services import Services
from ...storage.database import Transaction
from ...storage.models import Message
from ...storage.session_models import GroupSession, SessionParticipant
from ...storage.sessions import SessionStore
from .access import check_can_control, check_session
from .announce import queue_personal, queue_state, record
from .attendance import check_session_open, promote, release
from ...moderation.queue import Signal, raise_item
from ...moderation.triage import REMOVED_FROM_SESSION
from .shapes import controls_of

MAX_PIN = 500
MAX_REASON = 500


@dataclass(frozen=True, slots=True)
class Control:
    kind: str
    user: str | None = None
    seconds: int | None = None
    minutes: int | None = None
    on: bool = False
    text: str | None = None
    message: str | None = None


@dataclass(slots=True)
class Context:
    svc: Services
    tx: Transaction
    store: SessionStore
    row: GroupSession
    actor: Principal
    control: Control
    now: float

    def set(self, **changes: Any) -> None:
        self.row.controls = {**controls_of(self.row), **changes}

    async def person(self, *, participant: bool = False) -> SessionParticipant:
        user_id = self.control.user
        if not user_id:
            raise DomainError(ErrorCode.INVALID, "Say who this is for.", field="user")
        person = await self.store.participant(self.row.id, user_id, lock=True)
        if person is None or person.status != "in" or (participant and person.mode != "participant"):
            raise DomainError(ErrorCode.NOT_IN_SESSION, "That person isn't taking part in this session.",
                              field="user")
        return person


def _need(value: Any, field: str) -> Any:
    if value is None:
        raise DomainError(ErrorCode.INVALID, f"'{field}' is required.", field=field)
    return value


async def _mute(ctx: Context) -> None:
    person = await ctx.person()
    person.muted = ctx.control.kind == "mute"
    queue_personal(ctx.svc, ctx.tx, person.user_id, "session:muted", {"session": ctx.row.id, "muted": person.muted})


async def _slow_mode(ctx: Context) -> None:
    ctx.set(slow_mode=_need(ctx.control.seconds, "seconds"))


async def _lock(ctx: Context) -> None:
    ctx.set(locked=ctx.control.kind == "lock")
    await ctx.tx.session.flush()
    await promote(ctx.svc, ctx.tx, ctx.store, ctx.row)


async def _rounds(ctx: Context) -> None:
    ctx.set(rounds=ctx.control.on)


async def _pin(ctx: Context) -> None:
    """Pin the agenda (text written here, kept) or a room message (only its id is kept: shapes.py reads its
    text when the session is shown, so a message deleted, removed or erased since is never shown again)."""
    text, message_id = (ctx.control.text or "").strip(), ctx.control.message
    if message_id:
        message = await ctx.tx.session.get(Message, message_id) if len(message_id) <= 32 else None
        if message is None or message.room_id != ctx.row.room_id or message.status != "visible":
            raise DomainError(ErrorCode.NOT_FOUND, "That message isn't in this session's room.", field="message")
        text = message.text or ""
    if len(text) > MAX_PIN:
        raise DomainError(ErrorCode.INVALID, f"Pins can be up to {MAX_PIN} characters.", field="text")
    pinned = {"message": message_id} if message_id else {"text": text, "message": None}
    ctx.set(pinned={**pinned, "by": ctx.actor.pseudonym} if text else None)


async def _turn(ctx: Context) -> None:
    if not ctx.control.user:
        ctx.set(speaker=None)
        return
    person = await ctx.person(participant=True)
    users = await ctx.store.users([person.user_id])
    speaker = {"id": person.user_id, "pseudonym": users[person.user_id].pseudonym}
    ctx.set(speaker=speaker, hands=[h for h in controls_of(ctx.row)["hands"] if h["id"] != person.user_id])


async def _break(ctx: Context) -> None:
    minutes = _need(ctx.control.minutes, "minutes")
    ctx.set(break_until=ctx.now + minutes * 60 if minutes else None)


async def _lower_hand(ctx: Context) -> None:
    user_id = _need(ctx.control.user, "user")
    ctx.set(hands=[h for h in controls_of(ctx.row)["hands"] if h["id"] != user_id])


async def _remove(ctx: Context) -> None:
    reason = (ctx.control.text or "").strip()
    if len(reason) > MAX_REASON:
        raise DomainError(ErrorCode.INVALID, f"Reasons can be up to {MAX_REASON} characters.", field="text")
    person = await ctx.person()
    await release(ctx.svc, ctx.tx, ctx.store, ctx.row, person, "removed")
    record(ctx.tx, ctx.row, "removed", actor_id=ctx.actor.user_id, now=ctx.now, target_id=person.user_id,
           reason=reason)
    queue_personal(ctx.svc, ctx.tx, person.user_id, "session:removed", {"session": ctx.row.id})
    # A removal is a staff report about the person: moderators review it like any other, with its reason.
    await raise_item(ctx.tx, ctx.svc, Signal("user", person.user_id, ctx.row.room_id, person.user_id,
                                             REMOVED_FROM_SESSION, "facilitator", ctx.actor.user_id,
                                             "removed from session", note=reason or None), ctx.now)


APPLY: dict[str, Callable[[Context], Awaitable[None]]] = {
    "mute": _mute, "unmute": _mute, "slow_mode": _slow_mode, "lock": _lock, "unlock": _lock, "rounds": _rounds,
    "pin": _pin, "turn": _turn, "break": _break, "lower_hand": _lower_hand, "remove": _remove,
}


async def do_session_control(svc: Services, *, actor: Principal, session_id: str,
                             control: Control) -> dict[str, Any]:
    """One facilitator action; refused with `forbidden` for anyone but this session's facilitators and admins."""
    now = svc.clock.now()
    async with svc.db.transaction() as tx:
        store = SessionStore(tx.session)
        row = await check_session(store, session_id, lock=True)
        check_can_control(row, actor)
        check_session_open(row)
        await APPLY[control.kind](Context(svc, tx, store, row, actor, control, now))
        if control.kind != "remove":
            detail = {"seconds": control.seconds, "minutes": control.minutes, "on": control.on}
            record(tx, row, control.kind, actor_id=actor.user_id, now=now, target_id=control.user,
                   **{k: v for k, v in detail.items() if v not in (None, False)})
        row.version += 1
        return {"session": await queue_state(svc, tx, row)}


async def do_raise_hand(svc: Services, *, actor: Principal, session_id: str, raised: bool) -> dict[str, Any]:
    """A participant asks for (or gives up) a turn; the queue is first come, first served."""
    async with svc.db.transaction() as tx:
        store = SessionStore(tx.session)
        row = await check_session(store, session_id, lock=True)
        check_session_open(row)
        person = await store.participant(row.id, actor.user_id)
        if person is None or person.status != "in":
            raise DomainError(ErrorCode.NOT_IN_SESSION, "Join the session first.")
        if person.mode != "participant":
            raise DomainError(ErrorCode.LISTENER_MODE, "Listeners don't take turns; rejoin as a participant.")
        hands = [h for h in controls_of(row)["hands"] if h["id"] != actor.user_id]
        if raised:
            hands.append({"id": actor.user_id, "pseudonym": actor.pseudonym})
        row.controls = {**controls_of(row), "hands": hands}
        row.version += 1
        shape = await queue_state(svc, tx, row)
    position = next((i for i, h in enumerate(hands, start=1) if h["id"] == actor.user_id), None)
    return {"position": position, "session": shape}


async def do_lower_hand(svc: Services, *, actor: Principal, session_id: str, user: str | None) -> dict[str, Any]:
    """Lower your own hand, or (facilitators) someone else's."""
    if user and user != actor.user_id:
        return await do_session_control(svc, actor=actor, session_id=session_id,
                                        control=Control("lower_hand", user=user))
    return await do_raise_hand(svc, actor=actor, session_id=session_id, raised=False)
