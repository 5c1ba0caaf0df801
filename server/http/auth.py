"""Bearer-token authentication for HTTP handlers: the same tokens and checks as socket connects."""
from __future__ import annotations

from aiohttp import web

from ..errors import DomainError, ErrorCode
from ..identity.accounts import get_principal
from ..identity.principal import Principal
from ..identity.roles import Role
from .keys import SERVICES


async def require_principal(request: web.Request) -> Principal:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise DomainError(ErrorCode.UNAUTHORIZED, "Please sign in: send your token as 'Authorization: Bearer ...'.")
    return await get_principal(request.app[SERVICES], token.strip())


async def optional_principal(request: web.Request) -> Principal | None:
    """Who is asking, on pages anyone may read; a token that is sent must be valid."""
    if "Authorization" not in request.headers:
        return None
    return await require_principal(request)


async def require_role(request: web.Request, *roles: Role) -> Principal:
    principal = await require_principal(request)
    if principal.role not in roles:
        raise DomainError(ErrorCode.FORBIDDEN, "Your role doesn't allow this.")
    return principal
