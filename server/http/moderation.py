"""Admin HTTP API for moderation: the audit log and the team's figures. Bearer token in Authorization."""
from __future__ import annotations

from datetime import datetime

from aiohttp import web

from ..errors import DomainError, ErrorCode
from ..identity.accounts import get_principal
from ..identity.principal import Principal
from ..moderation.audit import check_admin, list_audit
from ..moderation.figures import get_team_figures
from ..storage.audit import AuditQuery
from .keys import SERVICES

routes = web.RouteTableDef()


async def admin_of(request: web.Request) -> Principal:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise DomainError(ErrorCode.UNAUTHORIZED, "Send your token as 'Authorization: Bearer <token>'.")
    principal = await get_principal(request.app[SERVICES], token.strip())
    check_admin(principal)
    return principal


def _time(request: web.Request, name: str) -> float | None:
    raw = request.query.get(name)
    if not raw:
        return None
    try:
        return datetime.fromisoformat(raw.replace("Z", "+00:00")).timestamp()
    except ValueError:
        raise DomainError(ErrorCode.INVALID, f"{name} must be an ISO-8601 time such as 2026-01-31T12:00:00Z.",
                          field=name) from None


def _int(request: web.Request, name: str, default: int | None, high: int) -> int | None:
    raw = request.query.get(name)
    if raw is None:
        return default
    if not raw.isdigit() or not 1 <= int(raw) <= high:
        raise DomainError(ErrorCode.INVALID, f"{name} must be a whole number from 1 to {high}.", field=name)
    return int(raw)


@routes.get("/api/audit")
async def audit(request: web.Request) -> web.Response:
    actor = await admin_of(request)
    query = AuditQuery(actor_id=request.query.get("actor") or None, action=request.query.get("action") or None,
                       target_id=request.query.get("target") or None, since=_time(request, "since"),
                       until=_time(request, "until"), before_id=_int(request, "before", None, 2**62),
                       limit=_int(request, "limit", 100, 500) or 100)
    return web.json_response(await list_audit(request.app[SERVICES], actor=actor, query=query,
                                              who=request.query.get("who") or None,
                                              room=request.query.get("room") or None))


@routes.get("/api/moderation/report")
async def report(request: web.Request) -> web.Response:
    await admin_of(request)
    svc = request.app[SERVICES]
    days = _int(request, "days", 7, 366) or 7
    return web.json_response(await get_team_figures(svc.db, svc.clock, days=days))
