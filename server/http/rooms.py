"""Room pages and room rules over HTTP: the directory, the privacy page, and admin changes to the rules."""
from __future__ import annotations

from html import escape

from aiohttp import web

from ..identity.roles import Role
from ..rooms.access import check_visible_room
from ..rooms.catalogue import list_rooms
from ..rooms.policy import RoomRules
from ..rooms.policy_changes import do_change_agreement, do_update_room_rules
from ..rooms.privacy import PrivacyPoint, describe
from ..storage.models import Room
from .auth import optional_principal, require_role
from .errors import read_json
from .keys import SERVICES

routes = web.RouteTableDef()


@routes.get("/api/rooms")
async def rooms(request: web.Request) -> web.Response:
    svc = request.app[SERVICES]
    viewer = await optional_principal(request)  # a peer's token lists their bands' rooms; no token, adults'
    return web.json_response({"rooms": await list_rooms(svc.db, svc.presence, viewer, now=svc.clock.now())})


async def _room_and_privacy(request: web.Request) -> tuple[Room, RoomRules, list[PrivacyPoint]]:
    svc = request.app[SERVICES]
    viewer = await optional_principal(request)
    async with svc.db.read() as session:
        room = await check_visible_room(session, request.match_info["slug"], viewer)
    rules = RoomRules.from_json(room.policy)
    return room, rules, describe(room, rules, svc.settings.moderation_retention_days)


@routes.get("/api/rooms/{slug}/policy")
async def room_policy(request: web.Request) -> web.Response:
    room, rules, points = await _room_and_privacy(request)
    return web.json_response({
        "room": room.slug, "policy": rules.to_json(), "agreement": room.agreement,
        "agreement_version": room.agreement_version,
        "moderation_retention_days": request.app[SERVICES].settings.moderation_retention_days,
        "explained": [{"topic": p.topic, "text": p.text} for p in points],
    })


@routes.get("/rooms/{slug}/privacy")
async def privacy_page(request: web.Request) -> web.Response:
    room, _rules, points = await _room_and_privacy(request)
    items = "\n".join(f"<dt>{escape(p.topic)}</dt><dd>{escape(p.text)}</dd>" for p in points)
    page = (f'<!doctype html><html lang="en"><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>Privacy in {escape(room.name)} - peerchat</title>"
            f"<main><h1>Privacy in {escape(room.name)}</h1><dl>{items}</dl>"
            f"<h2>Group agreement</h2><p>{escape(room.agreement)}</p>"
            f"<p>Peer support is not therapy or a crisis service. If you are in danger now, call your local "
            f"emergency number.</p></main></html>")
    return web.Response(text=page, content_type="text/html")


@routes.patch("/api/rooms/{slug}/policy")
async def update_policy(request: web.Request) -> web.Response:
    actor = await require_role(request, Role.ADMIN)
    rules = await do_update_room_rules(request.app[SERVICES], actor=actor, slug=request.match_info["slug"],
                                       changes=await read_json(request))
    return web.json_response({"room": request.match_info["slug"], "policy": rules.to_json()})


@routes.put("/api/rooms/{slug}/agreement")
async def change_agreement(request: web.Request) -> web.Response:
    actor = await require_role(request, Role.ADMIN)
    body = await read_json(request)
    version = await do_change_agreement(request.app[SERVICES], actor=actor, slug=request.match_info["slug"],
                                        text=body.get("agreement"))
    return web.json_response({"room": request.match_info["slug"], "agreement_version": version})
