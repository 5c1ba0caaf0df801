"""How a session looks on the wire (docs/protocol.md), built in batches so a list costs a few queries."""
from __future__ import annotations

from typing import Any, Callable

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from ...clock import iso
from ...storage.messages import MessageStore
from ...storage.models import Room
from ...storage.session_models import GroupSession, SessionParticipant
from ...storage.sessions import SessionStore

NO_CONTROLS: dict[str, Any] = {"slow_mode": 0, "locked": False, "pinned": None, "rounds": False, "hands": [],
                               "speaker": None, "break_until": None}


RoomReaders = Callable[[GroupSession], bool]


def nobody(_row: GroupSession) -> bool:
    return False


def everyone(_row: GroupSession) -> bool:
    return True


def controls_of(row: GroupSession) -> dict[str, Any]:
    return {**NO_CONTROLS, **(row.controls or {})}


def _pinned(row: GroupSession, pinned: dict[str, Any] | None, texts: dict[str, str],
            in_room: RoomReaders) -> dict[str, Any] | None:
    """An agenda pin as written; a pinned room message only while it is still visible in the room (deleted,
    removed, erased or purged, it is gone), and its text only for the people in the room."""
    if not pinned or not pinned.get("message"):
        return pinned
    text = texts.get(pinned["message"])
    if text is None:
        return None
    return {"text": text if in_room(row) else "", "message": pinned["message"], "by": pinned.get("by", "")}


def _controls_shape(row: GroupSession, muted: list[str], texts: dict[str, str],
                    in_room: RoomReaders) -> dict[str, Any]:
    controls = controls_of(row)
    until = controls["break_until"]
    return {**controls, "pinned": _pinned(row, controls["pinned"], texts, in_room),
            "break_until": iso(until) if until else None, "muted": sorted(muted)}


async def _pinned_texts(session: AsyncSession, rows: list[GroupSession]) -> dict[str, str]:
    """The text of every pinned room message that is still visible in its session's room, read now."""
    return await MessageStore(session).visible_texts({
        pinned["message"]: row.room_id for row in rows
        if isinstance(pinned := controls_of(row)["pinned"], dict) and pinned.get("message")})


def _shape(row: GroupSession, slug: str, names: dict[str, str], people: list[SessionParticipant],
           texts: dict[str, str], in_room: RoomReaders, viewer: str | None) -> dict[str, Any]:
    shape = {
        "id": row.id, "series": row.series_id, "room": slug, "title": row.title, "description": row.description,
        "facilitators": [{"id": uid, "pseudonym": names.get(uid, "")} for uid in row.facilitators],
        "start": iso(row.start_at), "end": iso(row.ends_at), "opens_at": iso(row.opens_at),
        "duration_minutes": row.duration_minutes, "lobby_minutes": row.lobby_minutes, "time_zone": row.time_zone,
        "capacity": row.capacity, "attending": sum(p.status == "in" for p in people),
        "waitlisted": sum(p.status == "waitlisted" for p in people), "rsvps": sum(p.rsvp for p in people),
        "listeners_allowed": row.listeners_allowed, "confidential": row.confidential,
        "recurrence": row.recurrence, "state": row.state, "version": row.version,
        "controls": _controls_shape(row, [p.user_id for p in people if p.muted and p.status == "in"], texts,
                                    in_room),
    }
    if viewer is not None:
        shape["rsvped"] = any(p.user_id == viewer and p.rsvp for p in people)
    return shape


async def describe(session: AsyncSession, rows: list[GroupSession], *, in_room: RoomReaders = nobody,
                   viewer: str | None = None) -> list[dict[str, Any]]:
    """Sessions as the wire shows them. `in_room(row)` says whether the caller is among the people in that
    session's room, who alone see a pinned room message's text (everyone else gets the pin with "text": "").
    `viewer` is the caller's user id in an answer to one signed-in person: each shape then says whether they
    have RSVPed (`rsvped`). Shapes pushed to a room (session:state) are for everyone and have no `rsvped`."""
    store = SessionStore(session)
    users = await store.users(uid for row in rows for uid in row.facilitators)
    names = {uid: user.pseudonym for uid, user in users.items()}
    room_ids = list({row.room_id for row in rows})
    found = await session.execute(select(Room.id, Room.slug).where(Room.id.in_(room_ids))) if room_ids else None
    slugs = {room_id: slug for room_id, slug in found.all()} if found else {}
    roster: dict[str, list[SessionParticipant]] = {row.id: [] for row in rows}
    for person in await store.roster([row.id for row in rows]):
        roster[person.session_id].append(person)
    texts = await _pinned_texts(session, rows)
    return [_shape(row, slugs.get(row.room_id, ""), names, roster[row.id], texts, in_room, viewer) for row in rows]


async def describe_one(session: AsyncSession, row: GroupSession, *, in_room: RoomReaders = nobody,
                       viewer: str | None = None) -> dict[str, Any]:
    return (await describe(session, [row], in_room=in_room, viewer=viewer))[0]
