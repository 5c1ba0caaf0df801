"""How a session looks on the wire (docs/protocol.md), built in batches so a list costs a few queries."""
from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from ...clock import iso
from ...storage.models import Room
from ...storage.session_models import GroupSession, SessionParticipant
from ...storage.sessions import SessionStore

NO_CONTROLS: dict[str, Any] = {"slow_mode": 0, "locked": False, "pinned": None, "rounds": False, "hands": [],
                               "speaker": None, "break_until": None}


def controls_of(row: GroupSession) -> dict[str, Any]:
    return {**NO_CONTROLS, **(row.controls or {})}


def _controls_shape(row: GroupSession, muted: list[str]) -> dict[str, Any]:
    controls = controls_of(row)
    until = controls["break_until"]
    return {**controls, "break_until": iso(until) if until else None, "muted": sorted(muted)}


def _shape(row: GroupSession, slug: str, names: dict[str, str], people: list[SessionParticipant]) -> dict[str, Any]:
    return {
        "id": row.id, "series": row.series_id, "room": slug, "title": row.title, "description": row.description,
        "facilitators": [{"id": uid, "pseudonym": names.get(uid, "")} for uid in row.facilitators],
        "start": iso(row.start_at), "end": iso(row.ends_at), "opens_at": iso(row.opens_at),
        "duration_minutes": row.duration_minutes, "lobby_minutes": row.lobby_minutes, "time_zone": row.time_zone,
        "capacity": row.capacity, "attending": sum(p.status == "in" for p in people),
        "waitlisted": sum(p.status == "waitlisted" for p in people), "rsvps": sum(p.rsvp for p in people),
        "listeners_allowed": row.listeners_allowed, "confidential": row.confidential,
        "recurrence": row.recurrence, "state": row.state, "version": row.version,
        "controls": _controls_shape(row, [p.user_id for p in people if p.muted and p.status == "in"]),
    }


async def describe(session: AsyncSession, rows: list[GroupSession]) -> list[dict[str, Any]]:
    store = SessionStore(session)
    users = await store.users(uid for row in rows for uid in row.facilitators)
    names = {uid: user.pseudonym for uid, user in users.items()}
    room_ids = list({row.room_id for row in rows})
    found = await session.execute(select(Room.id, Room.slug).where(Room.id.in_(room_ids))) if room_ids else None
    slugs = {room_id: slug for room_id, slug in found.all()} if found else {}
    roster: dict[str, list[SessionParticipant]] = {row.id: [] for row in rows}
    for person in await store.roster([row.id for row in rows]):
        roster[person.session_id].append(person)
    return [_shape(row, slugs.get(row.room_id, ""), names, roster[row.id]) for row in rows]


async def describe_one(session: AsyncSession, row: GroupSession) -> dict[str, Any]:
    return (await describe(session, [row]))[0]
