"""The administrators' JSON API for watched-word rules and crisis resources (plus the public resource view)."""
from __future__ import annotations

from aiohttp import web

from ..identity.accounts import check_locale
from ..identity.roles import Role
from ..moderation.resources_admin import (do_add_resource, do_edit_resource, do_remove_resource, get_resources_for,
                                          list_resource_entries)
from ..moderation.watched_admin import do_add_watched, do_edit_watched, do_remove_watched, list_watched, try_watched
from .auth import require_role
from .errors import read_json
from .keys import SERVICES

routes = web.RouteTableDef()


@routes.get("/api/watched-words")
async def watched(request: web.Request) -> web.Response:
    actor = await require_role(request, Role.ADMIN)
    return web.json_response({"rules": await list_watched(request.app[SERVICES], actor=actor)})


@routes.post("/api/watched-words")
async def add_watched(request: web.Request) -> web.Response:
    actor = await require_role(request, Role.ADMIN)
    rule = await do_add_watched(request.app[SERVICES], actor=actor, body=await read_json(request))
    return web.json_response({"rule": rule}, status=201)


@routes.patch("/api/watched-words/{rule_id}")
async def edit_watched(request: web.Request) -> web.Response:
    actor = await require_role(request, Role.ADMIN)
    rule = await do_edit_watched(request.app[SERVICES], actor=actor, rule_id=request.match_info["rule_id"],
                                 body=await read_json(request))
    return web.json_response({"rule": rule})


@routes.delete("/api/watched-words/{rule_id}")
async def remove_watched(request: web.Request) -> web.Response:
    actor = await require_role(request, Role.ADMIN)
    await do_remove_watched(request.app[SERVICES], actor=actor, rule_id=request.match_info["rule_id"])
    return web.json_response({"removed": True})


@routes.post("/api/watched-words/check")
async def check_text(request: web.Request) -> web.Response:
    """Try a message against a room's rules and the live watched words, as the admin page's test box."""
    actor = await require_role(request, Role.ADMIN)
    body = await read_json(request)
    return web.json_response(await try_watched(request.app[SERVICES], actor=actor, text=body.get("text"),
                                               room=body.get("room")))


@routes.get("/api/crisis-resources")
async def resources(request: web.Request) -> web.Response:
    """Public: the help offered to someone in this locale (what a crisis notice carries)."""
    svc = request.app[SERVICES]
    locale = check_locale(request.query.get("locale"), svc.settings.locale)
    return web.json_response({"locale": locale, "resources": await get_resources_for(svc, locale)})


@routes.get("/api/admin/crisis-resources")
async def resource_entries(request: web.Request) -> web.Response:
    actor = await require_role(request, Role.ADMIN)
    return web.json_response({"resources": await list_resource_entries(request.app[SERVICES], actor=actor)})


@routes.post("/api/crisis-resources")
async def add_resource(request: web.Request) -> web.Response:
    actor = await require_role(request, Role.ADMIN)
    entry = await do_add_resource(request.app[SERVICES], actor=actor, body=await read_json(request))
    return web.json_response({"resource": entry}, status=201)


@routes.patch("/api/crisis-resources/{resource_id}")
async def edit_resource(request: web.Request) -> web.Response:
    actor = await require_role(request, Role.ADMIN)
    entry = await do_edit_resource(request.app[SERVICES], actor=actor, resource_id=request.match_info["resource_id"],
                                   body=await read_json(request))
    return web.json_response({"resource": entry})


@routes.delete("/api/crisis-resources/{resource_id}")
async def remove_resource(request: web.Request) -> web.Response:
    actor = await require_role(request, Role.ADMIN)
    await do_remove_resource(request.app[SERVICES], actor=actor, resource_id=request.match_info["resource_id"])
    return web.json_response({"removed": True})
