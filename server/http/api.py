"""JSON API for sessions and sign-in, plus the room directory for pages that are not connected yet."""
from __future__ import annotations

from aiohttp import web

from ..identity.accounts import address_key, do_create_peer, do_login
from ..rooms.catalogue import list_rooms
from .errors import read_json
from .keys import SERVICES

routes = web.RouteTableDef()


def _address(request: web.Request) -> str:
    """A keyed hash of the client's address: rate limits never hold it in clear."""
    return address_key(request.app[SERVICES].settings.secret_key, request.remote or "unknown")


@routes.post("/api/session")
async def create_session(request: web.Request) -> web.Response:
    svc = request.app[SERVICES]
    body = await read_json(request)
    await svc.limiter.take("create_session", _address(request), svc.settings.rate_limits.create_session)
    return web.json_response(await do_create_peer(svc, pseudonym=body.get("pseudonym")), status=201)


@routes.post("/api/login")
async def login(request: web.Request) -> web.Response:
    svc = request.app[SERVICES]
    body = await read_json(request)
    reply = await do_login(svc, username=body.get("username"), password=body.get("password"),
                           address_hash=_address(request))
    return web.json_response(reply)


@routes.get("/api/rooms")
async def rooms(request: web.Request) -> web.Response:
    svc = request.app[SERVICES]
    return web.json_response({"rooms": await list_rooms(svc.db, svc.presence)})
