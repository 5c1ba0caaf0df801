"""Prometheus metrics at /metrics (keep it off the public internet: deploy/nginx.conf refuses it)."""
from __future__ import annotations

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from ..metrics import REDIS_UP, ROOMS_ACTIVE, run_probes
from .keys import REDIS_LINK, SERVICES

routes = web.RouteTableDef()


@routes.get("/metrics")
async def metrics(request: web.Request) -> web.Response:
    svc = request.app[SERVICES]
    ROOMS_ACTIVE.set(svc.presence.local_rooms())
    link = request.app.get(REDIS_LINK)
    if link is not None:
        REDIS_UP.set(1 if link.up else 0)
    await run_probes(svc)
    return web.Response(body=generate_latest(), headers={"Content-Type": CONTENT_TYPE_LATEST})
