"""JSON API for peer sessions and staff sign-in."""
from __future__ import annotations

from aiohttp import web

from ..identity.accounts import address_key, do_create_peer, do_login
from ..identity.revocation import do_sign_out
from ..rooms.erasure import do_delete_account
from .auth import require_principal
from .client_address import client_address
from .errors import read_json
from .keys import SERVICES

routes = web.RouteTableDef()


def _address(request: web.Request) -> str:
    """A keyed hash of the client's address: rate limits never hold it in clear."""
    svc = request.app[SERVICES]
    address = client_address(request.remote, request.headers.get("X-Forwarded-For"), svc.settings.trusted_proxies)
    return address_key(svc.settings.secret_key, address, svc.clock.now())


@routes.post("/api/session")
async def create_session(request: web.Request) -> web.Response:
    svc = request.app[SERVICES]
    body = await read_json(request)
    await svc.limiter.take("create_session", _address(request), svc.settings.rate_limits.create_session)
    reply = await do_create_peer(svc, pseudonym=body.get("pseudonym"), age_band=body.get("age_band", "adults"))
    return web.json_response(reply, status=201)


@routes.post("/api/login")
async def login(request: web.Request) -> web.Response:
    svc = request.app[SERVICES]
    body = await read_json(request)
    reply = await do_login(svc, username=body.get("username"), password=body.get("password"),
                           address_hash=_address(request))
    return web.json_response(reply)


@routes.post("/api/logout")
async def logout(request: web.Request) -> web.Response:
    await do_sign_out(request.app[SERVICES], actor=await require_principal(request))
    return web.json_response({"signed_out": True})


@routes.delete("/api/me")
async def delete_me(request: web.Request) -> web.Response:
    actor = await require_principal(request)
    deleted = await do_delete_account(request.app[SERVICES], actor=actor)
    return web.json_response({"deleted": True, "messages_deleted": deleted})
