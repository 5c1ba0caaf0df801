"""The live state machine: scheduled -> open (lobby) -> live -> ended, or cancelled.

Every transition is one conditional UPDATE (`WHERE state IN (...)`), so when several processes run the
tick, or a facilitator presses "start" at the moment the clock does, exactly one of them performs it and
sends `session:state`; the others change nothing.
"""
from __future__ import annotations

import logging
from typing import Any

from ...broadcast import room_topic
from ...clock import iso
from ...errors import DomainError, ErrorCode
from ...identity.principal import Principal
from ...services import Services
from ...storage.database import Transaction
from ...storage.models import Room
from ...storage.session_models import GroupSession
from ...storage.sessions import SessionStore
from .access import check_can_control, check_session
from .announce import queue_personal, queue_state, record
from .feedback import QUESTIONS
from .shapes import NO_CONTROLS, controls_of

log = logging.getLogger("peerchat.sessions")

NEXT_STATE = {"scheduled": "open", "open": "live", "live": "ended"}


async def do_start_session(svc: Services, *, actor: Principal, session_id: str) -> dict[str, Any]:
    now = svc.clock.now()
    async with svc.db.transaction() as tx:
        store = SessionStore(tx.session)
        row = await check_session(store, session_id)
        check_can_control(row, actor)
        if row.state == "scheduled" and row.opens_at > now:
            raise DomainError(ErrorCode.SESSION_NOT_OPEN, f"The lobby opens at {iso(row.opens_at)}; "
                              "the session can start from then.")
        shape = await _move(svc, tx, row, ("scheduled", "open"), "live", actor.user_id, now)
    if shape is None:
        raise DomainError(ErrorCode.CONFLICT, f"The session is {row.state}, so it can't be started.")
    return {"session": shape}


async def do_end_session(svc: Services, *, actor: Principal, session_id: str) -> dict[str, Any]:
    now = svc.clock.now()
    async with svc.db.transaction() as tx:
        store = SessionStore(tx.session)
        row = await check_session(store, session_id)
        check_can_control(row, actor)
        shape = await _move(svc, tx, row, ("open", "live"), "ended", actor.user_id, now)
    if shape is None:
        raise DomainError(ErrorCode.CONFLICT, f"The session is {row.state}, so it can't be ended.")
    return {"session": shape}


async def _move(svc: Services, tx: Transaction, row: GroupSession, from_states: tuple[str, ...], to: str,
                actor_id: str | None, now: float) -> dict[str, Any] | None:
    stamps = {"live": {"started_at": now}, "ended": {"ended_at": now}}.get(to, {})
    store = SessionStore(tx.session)
    if not await store.transition(row.id, from_states, to, **stamps):
        return None
    fresh = await check_session(store, row.id)
    record(tx, fresh, to, actor_id=actor_id, now=now)
    if to == "ended":
        await _close(svc, tx, store, fresh, now)
    log.info("session_state session=%s state=%s by=%s", fresh.id, to, actor_id or "schedule")
    return await queue_state(svc, tx, fresh)


async def _close(svc: Services, tx: Transaction, store: SessionStore, row: GroupSession, now: float) -> None:
    """Clear the live controls, close the waitlist, ask for feedback, erase a confidential transcript."""
    row.controls = dict(NO_CONTROLS)
    for person in await store.with_status(row.id, "waitlisted"):
        person.status = "left"
    form = {"session": row.id, "title": row.title, "questions": QUESTIONS}
    for user_id in await store.request_feedback(row.id):
        queue_personal(svc, tx, user_id, "session:feedback_request", form)
    if row.confidential:
        await erase_transcript(svc, tx, store, row, now)


async def erase_transcript(svc: Services, tx: Transaction, store: SessionStore, row: GroupSession,
                           now: float) -> None:
    """A confidential session's transcript (the room's messages from the lobby opening until now) is erased
    when it ends, or is cancelled after its lobby opened, and the room is told to clear them."""
    erased = await store.delete_room_messages(row.room_id, row.opens_at, now)
    record(tx, row, "transcript_deleted", actor_id=None, now=now, messages=erased)
    room = await tx.session.get(Room, row.room_id)
    notice = {"session": row.id, "room": room.slug if room else ""}
    tx.after_commit(lambda: svc.broadcaster.publish(room_topic(row.room_id), "session:transcript_deleted", notice))


async def _end_break(svc: Services, session_id: str, now: float) -> bool:
    async with svc.db.transaction() as tx:
        row = await check_session(SessionStore(tx.session), session_id, lock=True)
        controls = controls_of(row)
        if row.state != "live" or not controls["break_until"] or controls["break_until"] > now:
            return False
        row.controls = {**controls, "break_until": None}
        row.version += 1
        record(tx, row, "break_over", actor_id=None, now=now)
        await queue_state(svc, tx, row)
    return True


async def run_session_tick(svc: Services) -> list[tuple[str, str]]:
    """Move every occurrence whose time has come one or more steps on; returns what this process did."""
    now = svc.clock.now()
    done: list[tuple[str, str]] = []
    for _ in range(len(NEXT_STATE)):
        async with svc.db.read() as session:
            due = await SessionStore(session).due(now)
        moved = False
        for row in due:
            if row.state == "live" and row.ends_at > now:
                if await _end_break(svc, row.id, now):
                    done.append((row.id, "break_over"))
                continue
            to = NEXT_STATE[row.state]
            async with svc.db.transaction() as tx:
                shape = await _move(svc, tx, row, (row.state,), to, None, now)
            if shape is not None:
                done.append((row.id, to))
                moved = True
        if not moved:
            break
    return done
