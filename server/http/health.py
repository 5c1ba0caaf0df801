"""Liveness and readiness for load balancers and orchestrators."""
from __future__ import annotations

from aiohttp import web
from sqlalchemy import text

from ..errors import DomainError
from .keys import SERVICES

routes = web.RouteTableDef()


@routes.get("/healthz")
async def healthz(_request: web.Request) -> web.Response:
    return web.json_response({"status": "ok"})


@routes.get("/readyz")
async def readyz(request: web.Request) -> web.Response:
    svc = request.app[SERVICES]
    try:
        async with svc.db.read() as session:
            await session.execute(text("SELECT 1"))
    except DomainError:
        return web.json_response({"status": "unavailable", "database": "down"}, status=503)
    return web.json_response({"status": "ok", "database": "ok"})
