"""Liveness and readiness for load balancers and orchestrators.

/readyz fails (503) while the database is unreachable or the process is draining for shutdown. A Redis
outage only degrades it (200, "degraded"): each process still serves its own clients from the database,
so taking every replica out of the balancer would turn a partial fault into a full one.
"""
from __future__ import annotations

from typing import Any

from aiohttp import web
from sqlalchemy import text

from ..errors import DomainError
from .keys import DRAIN, REDIS_LINK, SERVICES

routes = web.RouteTableDef()


@routes.get("/healthz")
async def healthz(_request: web.Request) -> web.Response:
    return web.json_response({"status": "ok"})


@routes.get("/readyz")
async def readyz(request: web.Request) -> web.Response:
    svc = request.app[SERVICES]
    report: dict[str, Any] = {"status": "ok", "database": "ok"}
    try:
        async with svc.db.read() as session:
            await session.execute(text("SELECT 1"))
    except DomainError:
        report.update(status="unavailable", database="down")
    link = request.app.get(REDIS_LINK)
    if link is not None:
        report["redis"] = "ok" if link.up else "down"
        if not link.up and report["status"] == "ok":
            report["status"] = "degraded"
    if request.app[DRAIN].draining:
        report["status"] = "draining"
    ready = report["status"] in ("ok", "degraded")
    return web.json_response(report, status=200 if ready else 503)
