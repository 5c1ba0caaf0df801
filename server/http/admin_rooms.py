"""The administrators' JSON API for rooms, staff and the audit of admin changes. Every route is admin-only,
but a room's slow mode, which moderators set too."""
from __future__ import annotations

from aiohttp import web

from ..identity.roles import Role
from ..identity.staff import do_add_staff, do_change_role, do_reset_password, do_set_staff_active, list_staff
from ..rooms.admin import do_archive_room, do_create_room, do_edit_room, list_rooms_for_admin
from ..rooms.admin_audit import list_admin_changes
from ..rooms.moderators import do_set_room_moderators
from ..rooms.slow_mode import do_set_slow_mode
from .auth import require_role
from .errors import read_json
from .keys import SERVICES

routes = web.RouteTableDef()


@routes.post("/api/rooms")
async def create_room(request: web.Request) -> web.Response:
    actor = await require_role(request, Role.ADMIN)
    room = await do_create_room(request.app[SERVICES], actor=actor, body=await read_json(request))
    return web.json_response({"room": room}, status=201)


@routes.patch("/api/rooms/{slug}")
async def edit_room(request: web.Request) -> web.Response:
    actor = await require_role(request, Role.ADMIN)
    room = await do_edit_room(request.app[SERVICES], actor=actor, slug=request.match_info["slug"],
                              body=await read_json(request))
    return web.json_response({"room": room})


@routes.post("/api/rooms/{slug}/archive")
async def archive_room(request: web.Request) -> web.Response:
    actor = await require_role(request, Role.ADMIN)
    return web.json_response({"room": await do_archive_room(request.app[SERVICES], actor=actor,
                                                            slug=request.match_info["slug"])})


@routes.put("/api/rooms/{slug}/slow_mode")
async def set_slow_mode(request: web.Request) -> web.Response:
    actor = await require_role(request, Role.MODERATOR, Role.ADMIN)
    body = await read_json(request)
    return web.json_response(await do_set_slow_mode(
        request.app[SERVICES], actor=actor, slug=request.match_info["slug"], seconds=body.get("seconds"),
        minutes=body.get("minutes"), reason=body.get("reason")))


@routes.put("/api/rooms/{slug}/moderators")
async def set_room_moderators(request: web.Request) -> web.Response:
    actor = await require_role(request, Role.ADMIN)
    body = await read_json(request)
    return web.json_response(await do_set_room_moderators(request.app[SERVICES], actor=actor,
                                                          slug=request.match_info["slug"],
                                                          usernames=body.get("moderators")))


@routes.get("/api/admin/rooms")
async def admin_rooms(request: web.Request) -> web.Response:
    actor = await require_role(request, Role.ADMIN)
    return web.json_response({"rooms": await list_rooms_for_admin(request.app[SERVICES], actor=actor)})


@routes.get("/api/staff")
async def staff(request: web.Request) -> web.Response:
    actor = await require_role(request, Role.ADMIN)
    return web.json_response({"staff": await list_staff(request.app[SERVICES], actor=actor)})


@routes.post("/api/staff")
async def add_staff(request: web.Request) -> web.Response:
    actor = await require_role(request, Role.ADMIN)
    body = await read_json(request)
    member = await do_add_staff(request.app[SERVICES], actor=actor, username=body.get("username"),
                                role=body.get("role"), password=body.get("password"))
    return web.json_response({"staff": member}, status=201)


@routes.patch("/api/staff/{username}")
async def change_role(request: web.Request) -> web.Response:
    actor = await require_role(request, Role.ADMIN)
    body = await read_json(request)
    member = await do_change_role(request.app[SERVICES], actor=actor, username=request.match_info["username"],
                                  role=body.get("role"))
    return web.json_response({"staff": member})


@routes.post("/api/staff/{username}/deactivate")
async def deactivate(request: web.Request) -> web.Response:
    actor = await require_role(request, Role.ADMIN)
    member = await do_set_staff_active(request.app[SERVICES], actor=actor, username=request.match_info["username"],
                                       active=False)
    return web.json_response({"staff": member})


@routes.post("/api/staff/{username}/reactivate")
async def reactivate(request: web.Request) -> web.Response:
    actor = await require_role(request, Role.ADMIN)
    member = await do_set_staff_active(request.app[SERVICES], actor=actor, username=request.match_info["username"],
                                       active=True)
    return web.json_response({"staff": member})


@routes.post("/api/staff/{username}/password")
async def reset_password(request: web.Request) -> web.Response:
    actor = await require_role(request, Role.ADMIN)
    body = await read_json(request)
    await do_reset_password(request.app[SERVICES], actor=actor, username=request.match_info["username"],
                            password=body.get("password"))
    return web.json_response({"reset": True})


@routes.get("/api/admin/changes")
async def changes(request: web.Request) -> web.Response:
    await require_role(request, Role.ADMIN)
    limit = request.query.get("limit", "50")
    before = request.query.get("before")
    return web.json_response({"changes": await list_admin_changes(
        request.app[SERVICES].db, limit=min(int(limit), 200) if limit.isdigit() and int(limit) > 0 else 50,
        before_id=int(before) if before and before.isdigit() else None)})
