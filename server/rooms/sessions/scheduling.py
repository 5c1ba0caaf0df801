"""Scheduling occurrences (one or a weekly series), changing and cancelling them, RSVPs, and listings."""
from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from ...clock import iso
from ...errors import DomainError, ErrorCode
from ...identity.principal import Principal
from ...identity.roles import Role
from ...services import Services
from ...storage.database import Database, Transaction
from ...storage.session_models import GroupSession, SessionParticipant
from ...storage.sessions import SessionStore
from ..access import check_room, check_visible_room
from .access import (can_control, check_can_control, check_can_schedule, check_session, room_readers,
                     visible_sessions)
from .announce import queue_state, record
from .lifecycle import erase_transcript
from .schedule import check_schedule_fields, occurrences
from .shapes import NO_CONTROLS, describe, describe_one

FACILITATING_ROLES = (Role.FACILITATOR.value, Role.ADMIN.value)


async def _facilitator_ids(store: SessionStore, usernames: list[str], actor: Principal) -> list[str]:
    found = await store.staff_by_username(usernames)
    for name in usernames:
        user = found.get(name)
        if user is None or user.role not in FACILITATING_ROLES or user.deactivated_at is not None:
            raise DomainError(ErrorCode.INVALID, f"There is no active facilitator called {name[:40]}.",
                              field="facilitators")
    ids = [found[name].id for name in usernames]
    if actor.role is Role.FACILITATOR and actor.user_id not in ids:
        ids.insert(0, actor.user_id)
    if not ids:
        raise DomainError(ErrorCode.INVALID, "Name at least one facilitator.", field="facilitators")
    return ids


def _check_future(start: float, now: float) -> None:
    if start <= now:
        raise DomainError(ErrorCode.INVALID, "The start is in the past; choose a time still to come.", field="start")


async def _check_free(store: SessionStore, room_id: str, start: float, end: float, exclude: str = "") -> None:
    if await store.overlapping(room_id, start, end, exclude=[exclude]):
        raise DomainError(ErrorCode.CONFLICT, f"Another session in this room overlaps {iso(start)}; "
                          "choose another time or room.", field="start")


async def do_schedule_sessions(svc: Services, *, actor: Principal, body: dict[str, Any]) -> dict[str, Any]:
    check_can_schedule(actor)
    fields = check_schedule_fields(body, creating=True)
    now = svc.clock.now()
    starts = [s.timestamp() for s in occurrences(fields["start"], fields["time_zone"], fields["recurrence"])]
    _check_future(starts[0], now)
    duration = fields["duration_minutes"] * 60
    series_id = uuid.uuid4().hex
    async with svc.db.transaction() as tx:
        room = await check_room(tx.session, fields["room"])
        store = SessionStore(tx.session)
        facilitators = await _facilitator_ids(store, fields["facilitators"], actor)
        rows = []
        for start in starts:
            await _check_free(store, room.id, start, start + duration)
            row = GroupSession(
                id=uuid.uuid4().hex, series_id=series_id, room_id=room.id, title=fields["title"],
                description=fields["description"], facilitators=facilitators, time_zone=fields["time_zone"],
                start_at=start, duration_minutes=fields["duration_minutes"], lobby_minutes=fields["lobby_minutes"],
                opens_at=start - fields["lobby_minutes"] * 60, ends_at=start + duration, capacity=fields["capacity"],
                recurrence=fields["recurrence"].to_json() if fields["recurrence"] else None,
                confidential=fields["confidential"], listeners_allowed=fields["listeners_allowed"],
                state="scheduled", controls=dict(NO_CONTROLS), version=0, created_by=actor.user_id, created_at=now)
            store.add(row)
            rows.append(row)
            record(tx, row, "scheduled", actor_id=actor.user_id, now=now)
        await tx.session.flush()
        shapes = await describe(tx.session, rows)
    return {"series": series_id, "sessions": shapes}


def _apply(row: GroupSession, fields: dict[str, Any]) -> None:
    start: datetime | None = fields.pop("start", None)
    if start is not None:
        row.start_at = start.timestamp()
    for name, value in fields.items():
        setattr(row, name, value)
    row.opens_at = row.start_at - row.lobby_minutes * 60
    row.ends_at = row.start_at + row.duration_minutes * 60
    row.version += 1


async def do_update_session(svc: Services, *, actor: Principal, session_id: str,
                            body: dict[str, Any]) -> dict[str, Any]:
    fields = check_schedule_fields(body, creating=False)
    now = svc.clock.now()
    async with svc.db.transaction() as tx:
        store = SessionStore(tx.session)
        row = await check_session(store, session_id, lock=True)
        check_can_control(row, actor)
        if row.state != "scheduled":
            raise DomainError(ErrorCode.CONFLICT, "Only sessions whose lobby hasn't opened can be changed.")
        if "facilitators" in fields:
            fields["facilitators"] = await _facilitator_ids(store, fields["facilitators"], actor)
        _apply(row, fields)
        _check_future(row.start_at, now)
        await _check_free(store, row.room_id, row.start_at, row.ends_at, exclude=row.id)
        record(tx, row, "updated", actor_id=actor.user_id, now=now, fields=sorted(body))
        return {"session": await queue_state(svc, tx, row)}


async def do_cancel_session(svc: Services, *, actor: Principal, session_id: str, series: bool) -> dict[str, Any]:
    """Cancel one occurrence, or (`series`) it and every later one of its series that has not started.

    Only occurrences the actor may control are cancelled: a series cancel leaves later occurrences led by
    other facilitators as they are, and then says how many it left in `skipped` (absent when none were).
    An occurrence cancelled after its lobby opened that is confidential has its transcript erased, as at
    its end (lifecycle.erase_transcript)."""
    now = svc.clock.now()
    async with svc.db.transaction() as tx:
        store = SessionStore(tx.session)
        row = await check_session(store, session_id)
        check_can_control(row, actor)
        if row.state not in ("scheduled", "open"):
            raise DomainError(ErrorCode.CONFLICT, "Live or finished sessions can't be cancelled; end it instead.")
        later = [r for r in await store.series(row.series_id) if r.start_at >= row.start_at] if series else [row]
        targets = [r for r in later if can_control(r, actor)]
        skipped = sum(r.state in ("scheduled", "open") for r in later if not can_control(r, actor))
        cancelled = [await _cancel(svc, tx, store, target, actor, now) for target in targets]
    reply: dict[str, Any] = {"cancelled": [c for c in cancelled if c]}
    if skipped:
        reply["skipped"] = skipped
    return reply


async def _cancel(svc: Services, tx: Transaction, store: SessionStore, row: GroupSession, actor: Principal,
                  now: float) -> str | None:
    was_open = await store.transition(row.id, ("open",), "cancelled")
    if not was_open and not await store.transition(row.id, ("scheduled",), "cancelled"):
        return None
    fresh = await check_session(store, row.id)
    record(tx, fresh, "cancelled", actor_id=actor.user_id, now=now)
    if was_open and fresh.confidential:
        await erase_transcript(svc, tx, store, fresh, now)
    await queue_state(svc, tx, fresh)
    return fresh.id


async def do_rsvp(svc: Services, *, actor: Principal, session_id: str, going: bool) -> dict[str, Any]:
    async with svc.db.transaction() as tx:
        store = SessionStore(tx.session)
        row = await check_session(store, session_id)
        if not await visible_sessions(tx.session, [row], actor):
            raise DomainError(ErrorCode.NOT_FOUND, "That session doesn't exist.")
        if row.state not in ("scheduled", "open", "live"):
            raise DomainError(ErrorCode.SESSION_NOT_OPEN, "That session has finished or was cancelled.")
        person = await store.participant(row.id, actor.user_id)
        if person is None:
            person = SessionParticipant(session_id=row.id, user_id=actor.user_id, status="none", mode="participant",
                                        rsvp=False, attended=False, muted=False, feedback="none")
            store.add(person)
        person.rsvp = going
        await tx.session.flush()
        return {"session": await describe_one(tx.session, row, in_room=room_readers(svc, actor),
                                              viewer=actor.user_id)}


async def list_sessions(svc: Services, *, viewer: Principal | None,
                        room_slug: str | None = None) -> list[dict[str, Any]]:
    """Upcoming and running occurrences, soonest first (one room's, or every room's this person may see)."""
    async with svc.db.read() as session:
        room_id = (await check_visible_room(session, room_slug, viewer)).id if room_slug is not None else None
        rows = await visible_sessions(session, await SessionStore(session).listed(room_id=room_id), viewer)
        return await describe(session, rows, in_room=room_readers(svc, viewer),
                              viewer=viewer.user_id if viewer is not None else None)


async def get_session(svc: Services, session_id: str, *, viewer: Principal) -> dict[str, Any]:
    async with svc.db.read() as session:
        found = await visible_sessions(session, [await check_session(SessionStore(session), session_id)], viewer)
        if not found:
            raise DomainError(ErrorCode.NOT_FOUND, "That session doesn't exist.")
        return await describe_one(session, found[0], in_room=room_readers(svc, viewer), viewer=viewer.user_id)


async def next_session_by_room(db: Database) -> dict[str, dict[str, Any]]:
    """For the room directory: each room's next (or running) session."""
    async with db.read() as session:
        nearest = await SessionStore(session).next_per_room()
        shapes = await describe(session, list(nearest.values()))
    return {room_id: shape for room_id, shape in zip(nearest, shapes)}
