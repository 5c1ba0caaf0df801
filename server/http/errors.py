"""Every HTTP error is JSON the client can read; never a stack trace."""
from __future__ import annotations

import json
import logging
import uuid
from typing import Any, Awaitable, Callable

from aiohttp import web

from ..errors import DomainError, ErrorCode
from ..metrics import RATE_LIMITED
from ..unicode_text import unstorable_text

log = logging.getLogger("peerchat.http")

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

SECURITY_HEADERS = {
    "Content-Security-Policy": ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                                "connect-src 'self' ws: wss:; object-src 'none'; base-uri 'none'; "
                                "frame-ancestors 'none'; form-action 'self'"),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}


def error_response(error: DomainError) -> web.Response:
    headers = {"Retry-After": str(max(1, round(error.retry_after)))} if error.retry_after else None
    return web.json_response(error.to_dict(), status=error.http_status, headers=headers)


@web.middleware
async def error_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    try:
        unstorable = unstorable_text([request.path, *request.query.keys(), *request.query.values()])
        if unstorable:  # a NUL in a path or query would reach the database, which can't take it
            raise DomainError(ErrorCode.INVALID, unstorable)
        response = await handler(request)
    except DomainError as error:
        if error.code is ErrorCode.RATE_LIMITED:
            resource = request.match_info.route.resource
            RATE_LIMITED.labels(action=f"{request.method}:{resource.canonical if resource else request.path}").inc()
        response = error_response(error)
    except web.HTTPException as exc:
        if exc.status < 400:
            raise
        code = ErrorCode.NOT_FOUND if exc.status == 404 else ErrorCode.INVALID
        response = web.json_response({"error": {"code": code.value, "message": exc.reason}}, status=exc.status)
    except Exception:
        correlation_id = uuid.uuid4().hex[:12]
        log.exception("http_handler_failed path=%s correlation_id=%s", request.path, correlation_id)
        response = web.json_response({"error": {"code": "internal", "correlation_id": correlation_id,
                                                "message": "Something went wrong on our side."}}, status=500)
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response


async def read_json(request: web.Request) -> dict[str, Any]:
    """The request body as a JSON object, or an `invalid` error saying what is wrong."""
    try:
        body = await request.json(loads=json.loads)
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise DomainError(ErrorCode.INVALID, "The request body must be JSON.") from None
    if not isinstance(body, dict):
        raise DomainError(ErrorCode.INVALID, "The request body must be a JSON object.")
    unstorable = unstorable_text(body)
    if unstorable:
        raise DomainError(ErrorCode.INVALID, unstorable)
    return body
