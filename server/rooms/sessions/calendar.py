"""iCalendar (RFC 5545) feeds of upcoming sessions, for every room or one, that calendar apps subscribe to."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from icalendar import Calendar, Event

from ...clock import utc_datetime
from ...identity.principal import Principal
from ...services import Services
from ...storage.sessions import UPCOMING, SessionStore
from ..access import check_visible_room
from .access import visible_sessions
from .shapes import describe

KEEP_PAST_SECONDS = 7 * 86400
NOT_THERAPY = "Peer support, led by a trained facilitator: not therapy and not a crisis service."


def _event(shape: dict[str, Any], stamp: datetime) -> Event:
    event = Event()
    leaders = ", ".join(f["pseudonym"] for f in shape["facilitators"])
    event.add("uid", f"{shape['id']}@peerchat")
    event.add("dtstamp", stamp)
    event.add("dtstart", datetime.fromisoformat(shape["start"]))
    event.add("dtend", datetime.fromisoformat(shape["end"]))
    event.add("summary", shape["title"])
    event.add("description", "\n\n".join(p for p in (shape["description"], f"Led by {leaders}.", NOT_THERAPY) if p))
    event.add("location", f"peerchat room: {shape['room']}")
    event.add("status", "CANCELLED" if shape["state"] == "cancelled" else "CONFIRMED")
    event.add("sequence", shape["version"])
    return event


async def calendar_feed(svc: Services, *, viewer: Principal | None, room_slug: str | None = None) -> bytes:
    now = svc.clock.now()
    async with svc.db.read() as session:
        room = await check_visible_room(session, room_slug, viewer) if room_slug is not None else None
        rows = await SessionStore(session).listed(room_id=room.id if room else None, states=(*UPCOMING, "cancelled"),
                                                  ending_after=now - KEEP_PAST_SECONDS, limit=1000)
        shapes = await describe(session, await visible_sessions(session, rows, viewer))
    calendar = Calendar()
    calendar.add("prodid", "-//peerchat//group sessions//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", f"peerchat sessions: {room.name}" if room else "peerchat sessions")
    stamp = utc_datetime(now)
    for shape in shapes:
        calendar.add_component(_event(shape, stamp))
    return calendar.to_ical()
