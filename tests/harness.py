"""The test harness: a real server on a free port, and real Socket.IO clients that record what they receive."""
from __future__ import annotations

import asyncio
import itertools
import socket
import time
from dataclasses import dataclass, field
from typing import Any, Awaitable, Callable

import aiohttp
import socketio
from aiohttp import web

from server.app import create_app
from server.clock import FakeClock
from server.http.keys import SERVICES
from server.rooms.catalogue import do_seed_rooms
from server.services import Services
from server.settings import RateLimits, Settings

TEST_SECRET = "test-secret-key-that-is-long-enough-0123456789"
_ids = itertools.count(1)


def test_settings(database_url: str, **overrides: Any) -> Settings:
    base = Settings(host="127.0.0.1", port=0, database_url=database_url, secret_key=TEST_SECRET,
                    secret_key_generated=False, uvloop=False, rate_limits=RateLimits.disabled(),
                    allowed_origins=("http://peerchat.test",))
    return base.with_overrides(**overrides)


@dataclass
class RunningServer:
    app: web.Application
    runner: web.AppRunner
    url: str
    clock: FakeClock
    clients: list[Client] = field(default_factory=list)

    @property
    def services(self) -> Services:
        return self.app[SERVICES]

    async def post(self, path: str, body: Any = None, *, raw: bytes | None = None,
                   headers: dict[str, str] | None = None) -> tuple[int, Any]:
        async with aiohttp.ClientSession() as http:
            kwargs: dict[str, Any] = {"data": raw} if raw is not None else {"json": body}
            async with http.post(self.url + path, headers=headers, **kwargs) as response:
                return response.status, await response.json(content_type=None)

    async def get(self, path: str) -> tuple[int, Any, dict[str, str]]:
        async with aiohttp.ClientSession() as http:
            async with http.get(self.url + path) as response:
                body = await response.text()
                return response.status, body, dict(response.headers)

    async def peer_token(self, pseudonym: str | None = None) -> str:
        status, body = await self.post("/api/session", {"pseudonym": pseudonym or f"peer{next(_ids)}"})
        assert status == 201, body
        return str(body["token"])

    async def connect(self, token: str | None, **kwargs: Any) -> Client:
        client = Client()
        await client.connect(self.url, token, **kwargs)
        self.clients.append(client)
        return client

    async def peer(self, pseudonym: str | None = None) -> Client:
        return await self.connect(await self.peer_token(pseudonym))

    async def joined_peer(self, room: str = "anxiety", pseudonym: str | None = None,
                          mode: str = "participant") -> Client:
        client = await self.peer(pseudonym)
        reply = await client.call("room:join", {"room": room, "accept_agreement": True, "as": mode})
        assert reply["ok"], reply
        return client

    async def stop(self) -> None:
        for client in self.clients:
            await client.close()
        await self.runner.cleanup()


class Client:
    """A python-socketio AsyncClient that keeps every pushed event, in arrival order."""

    def __init__(self) -> None:
        self.sio = socketio.AsyncClient(reconnection=False)
        self.events: list[tuple[str, Any]] = []
        self.connect_error: Any = None
        self._arrived = asyncio.Event()

        @self.sio.on("*")
        async def record(event: str, data: Any = None) -> None:
            self.events.append((event, data))
            self._arrived.set()

        @self.sio.on("connect_error")
        async def refused(data: Any) -> None:
            self.connect_error = data

    async def connect(self, url: str, token: str | None, headers: dict[str, str] | None = None,
                      auth_extra: dict[str, str] | None = None, transports: tuple[str, ...] = ("websocket",)) -> None:
        auth = {"token": token, **(auth_extra or {})} if token is not None else None
        await self.sio.connect(url, auth=auth, headers=headers or {}, transports=list(transports), wait_timeout=5)

    async def call(self, event: str, data: Any = None, timeout: float = 10) -> Any:
        """Emit and wait for the ack; a tuple sends several arguments."""
        return await self.sio.call(event, data, timeout=timeout)

    def received(self, event: str) -> list[Any]:
        return [data for name, data in self.events if name == event]

    async def wait_for(self, event: str, predicate: Callable[[Any], bool] = lambda _: True,
                       timeout: float = 5.0) -> Any:
        async def scan() -> Any:
            while True:
                for name, data in self.events:
                    if name == event and predicate(data):
                        return data
                self._arrived.clear()
                await self._arrived.wait()
        return await asyncio.wait_for(scan(), timeout)

    async def close(self) -> None:
        if self.sio.connected:
            await self.sio.disconnect()


async def start_server(database_url: str, *, own_origin: bool = False, **overrides: Any) -> RunningServer:
    """own_origin=True also allows the server's own URL as an origin, for a real browser loading its pages."""
    clock = FakeClock(start=time.time())
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    if own_origin:
        overrides.setdefault("allowed_origins", ("http://peerchat.test", f"http://127.0.0.1:{port}"))
    app = create_app(test_settings(database_url, **overrides), clock=clock)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.SockSite(runner, sock)
    await site.start()
    await do_seed_rooms(app[SERVICES].db, clock)
    return RunningServer(app=app, runner=runner, url=f"http://127.0.0.1:{port}", clock=clock)


ServerFactory = Callable[..., Awaitable[RunningServer]]
