"""HTTP API for scheduled sessions: scheduling (facilitators, admins), listings, RSVPs, calendars, feedback."""
from __future__ import annotations

from aiohttp import web

from ..identity.roles import Role
from ..rooms.sessions.calendar import calendar_feed
from ..rooms.sessions.feedback import get_feedback
from ..rooms.sessions.scheduling import (do_cancel_session, do_rsvp, do_schedule_sessions, do_update_session,
                                         get_session, list_sessions)
from .auth import optional_principal, require_principal, require_role
from .errors import read_json
from .keys import SERVICES

routes = web.RouteTableDef()
SCHEDULERS = (Role.FACILITATOR, Role.ADMIN)


def _ics(body: bytes) -> web.Response:
    return web.Response(body=body, content_type="text/calendar", charset="utf-8")


@routes.post("/api/sessions")
async def schedule(request: web.Request) -> web.Response:
    actor = await require_role(request, *SCHEDULERS)
    reply = await do_schedule_sessions(request.app[SERVICES], actor=actor, body=await read_json(request))
    return web.json_response(reply, status=201)


@routes.get("/api/sessions")
async def upcoming(request: web.Request) -> web.Response:
    actor = await require_role(request, *SCHEDULERS)
    return web.json_response({"sessions": await list_sessions(request.app[SERVICES], viewer=actor)})


@routes.get("/api/sessions.ics")
async def feed(request: web.Request) -> web.Response:
    return _ics(await calendar_feed(request.app[SERVICES], viewer=await optional_principal(request)))


@routes.get("/api/sessions/{id}")
async def one(request: web.Request) -> web.Response:
    actor = await require_principal(request)
    return web.json_response({"session": await get_session(request.app[SERVICES], request.match_info["id"],
                                                           viewer=actor)})


@routes.patch("/api/sessions/{id}")
async def update(request: web.Request) -> web.Response:
    actor = await require_role(request, *SCHEDULERS)
    reply = await do_update_session(request.app[SERVICES], actor=actor, session_id=request.match_info["id"],
                                    body=await read_json(request))
    return web.json_response(reply)


@routes.delete("/api/sessions/{id}")
async def cancel(request: web.Request) -> web.Response:
    actor = await require_role(request, *SCHEDULERS)
    reply = await do_cancel_session(request.app[SERVICES], actor=actor, session_id=request.match_info["id"],
                                    series=request.query.get("series") == "true")
    return web.json_response(reply)


@routes.post("/api/sessions/{id}/rsvp")
@routes.delete("/api/sessions/{id}/rsvp")
async def rsvp(request: web.Request) -> web.Response:
    actor = await require_principal(request)
    reply = await do_rsvp(request.app[SERVICES], actor=actor, session_id=request.match_info["id"],
                          going=request.method == "POST")
    return web.json_response(reply)


@routes.get("/api/sessions/{id}/feedback")
async def feedback(request: web.Request) -> web.Response:
    actor = await require_role(request, *SCHEDULERS)
    return web.json_response(await get_feedback(request.app[SERVICES], actor=actor,
                                                session_id=request.match_info["id"]))


@routes.get("/api/rooms/{slug}/sessions")
async def room_sessions(request: web.Request) -> web.Response:
    sessions = await list_sessions(request.app[SERVICES], room_slug=request.match_info["slug"],
                                   viewer=await optional_principal(request))
    return web.json_response({"sessions": sessions})


@routes.get("/api/rooms/{slug}/sessions.ics")
async def room_feed(request: web.Request) -> web.Response:
    return _ics(await calendar_feed(request.app[SERVICES], room_slug=request.match_info["slug"],
                                    viewer=await optional_principal(request)))
