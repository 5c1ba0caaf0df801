"""Who is calling an HTTP endpoint: `Authorization: Bearer <token>`, resolved like a socket's token."""
from __future__ import annotations

from aiohttp import web

from ..errors import DomainError, ErrorCode
from ..identity.accounts import get_principal
from ..identity.principal import Principal
from ..identity.roles import Role
from .keys import SERVICES


async def require_principal(request: web.Request) -> Principal:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise DomainError(ErrorCode.UNAUTHORIZED, "Sign in first, then send your token as "
                          "'Authorization: Bearer <token>'.")
    return await get_principal(request.app[SERVICES], token.strip())


async def require_role(request: web.Request, *roles: Role) -> Principal:
    principal = await require_principal(request)
    if principal.role not in roles:
        raise DomainError(ErrorCode.FORBIDDEN, "Your role may not do this.")
    return principal
