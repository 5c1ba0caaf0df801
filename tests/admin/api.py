"""Calling the admin JSON API from tests: staff accounts made with the real do_create_staff, then HTTP."""
from __future__ import annotations

from typing import Any

import aiohttp

from server.identity.accounts import do_create_staff
from server.identity.roles import Role
from tests.harness import RunningServer

PASSWORD = "correct horse battery"


async def staff_token(server: RunningServer, username: str = "root", role: Role = Role.ADMIN) -> str:
    await do_create_staff(server.services.db, server.clock, role=role, username=username, password=PASSWORD)
    _status, body = await server.post("/api/login", {"username": username, "password": PASSWORD})
    return str(body["token"])


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def call(server: RunningServer, method: str, path: str, body: Any = None,
               token: str | None = None) -> tuple[int, Any]:
    headers = bearer(token) if token else {}
    async with aiohttp.ClientSession() as http:
        kwargs: dict[str, Any] = {"json": body} if body is not None else {}
        async with http.request(method, server.url + path, headers=headers, **kwargs) as response:
            return response.status, await response.json(content_type=None)


async def admin(server: RunningServer) -> str:
    return await staff_token(server)
