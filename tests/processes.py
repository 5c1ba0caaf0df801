"""Real `peerchat serve` processes for scale and chaos tests: started on free ports against the test
PostgreSQL (and a Redis), waited for until ready, and always killed at the end of the test.
"""
from __future__ import annotations

import asyncio
import os
import signal as signals
import socket
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, AsyncIterator, Callable

import aiohttp
import pytest

from tests.conftest import IN_CI
from tests.harness import TEST_SECRET, Client

ROOT = Path(__file__).resolve().parent.parent
REDIS_URL_VAR = "PEERCHAT_TEST_REDIS_URL"
# How long a test waits for a push to reach a client on another process: one Redis hop after the commit. A lost
# push fails whatever the bound; the bound only has to tell a prompt push from a lost one without failing a 2-core
# host busy with the whole suite, where the hop can run late. Where a slower path could bring the same event (a
# job that runs later), the test tells the two apart by something other than time.
CROSS_PROCESS_PUSH_S = 5.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def redis_url() -> str:
    """The shared Redis for tests, or skip (fail under CI=true) when it is not there."""
    url = os.environ.get(REDIS_URL_VAR, "")
    reason = f"{REDIS_URL_VAR} is not set" if not url else ""
    if url:
        host, port = url.split("//", 1)[1].split("/", 1)[0].rsplit(":", 1)
        try:
            socket.create_connection((host.split("@")[-1], int(port)), timeout=2).close()
        except OSError as error:
            reason = f"Redis at {REDIS_URL_VAR} is unreachable: {error}"
    if reason:
        pytest.fail(reason + " (CI=true needs it)") if IN_CI else pytest.skip(reason)
    return url


def plain_url(url: str) -> str:
    return url.replace("postgresql+asyncpg://", "postgresql://", 1)


@dataclass
class ServerProcess:
    port: int
    env: dict[str, str]
    log_path: Path
    proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        log = self.log_path.open("ab")
        self.proc = subprocess.Popen([sys.executable, "-m", "server", "serve", "--port", str(self.port)],
                                     cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT)

    async def wait_ready(self, timeout: float = 20) -> None:
        deadline = time.monotonic() + timeout
        async with aiohttp.ClientSession() as http:
            while time.monotonic() < deadline:
                assert self.proc is not None and self.proc.poll() is None, self.log_path.read_text()[-3000:]
                try:
                    async with http.get(self.url + "/readyz") as response:
                        if response.status == 200:
                            return
                except aiohttp.ClientError:
                    pass
                await asyncio.sleep(0.1)
        raise AssertionError(f"server on {self.port} not ready: {self.log_path.read_text()[-3000:]}")

    def signal(self, sig: signals.Signals) -> None:
        assert self.proc is not None
        self.proc.send_signal(sig)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(10)

    async def get_json(self, path: str) -> tuple[int, Any]:
        async with aiohttp.ClientSession() as http:
            async with http.get(self.url + path) as response:
                return response.status, await response.json(content_type=None)

    async def text(self, path: str) -> str:
        async with aiohttp.ClientSession() as http:
            async with http.get(self.url + path) as response:
                return await response.text()

    async def token(self, pseudonym: str | None = None) -> str:
        async with aiohttp.ClientSession() as http:
            async with http.post(self.url + "/api/session",
                                 json={"pseudonym": pseudonym or f"p{uuid.uuid4().hex[:8]}"}) as response:
                body = await response.json()
                assert response.status == 201, body
                return str(body["token"])

    async def client(self, token: str | None = None) -> Client:
        client = Client()
        await client.connect(self.url, token or await self.token())
        return client

    async def joined(self, room: str = "anxiety", token: str | None = None) -> Client:
        client = await self.client(token)
        reply = await client.call("room:join", {"room": room, "accept_agreement": True})
        assert reply["ok"], reply
        return client


@dataclass
class Cluster:
    """Processes plus the clients tests open on them; everything is closed or killed at the end."""
    database_url: str
    tmp: Path
    servers: list[ServerProcess] = field(default_factory=list)
    clients: list[Client] = field(default_factory=list)

    def env(self, redis: str | None, **extra: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("PEERCHAT_")}
        env.update(PEERCHAT_DATABASE_URL=plain_url(self.database_url), PEERCHAT_SECRET_KEY=TEST_SECRET,
                   PEERCHAT_RATE_LIMITS="false", PEERCHAT_UVLOOP="false", PEERCHAT_LOG_LEVEL="INFO",
                   PEERCHAT_SHUTDOWN_DRAIN="0.2", PEERCHAT_SHUTDOWN_TIMEOUT="5")
        if redis:
            env.update(PEERCHAT_REDIS_URL=redis, PEERCHAT_REDIS_PREFIX=f"t{uuid.uuid4().hex[:10]}")
        env.update(extra)
        return env

    async def start(self, count: int, redis: str | None, **extra: str) -> list[ServerProcess]:
        env = self.env(redis, **extra)
        started = [ServerProcess(free_port(), env, self.tmp / f"server{len(self.servers) + i}.log")
                   for i in range(count)]
        for server in started:
            server.start()
            self.servers.append(server)
        await asyncio.gather(*(s.wait_ready() for s in started))
        return started

    async def track(self, client: Client) -> Client:
        self.clients.append(client)
        return client

    async def close(self) -> None:
        for client in self.clients:
            try:
                await asyncio.wait_for(client.close(), 2)
            except (asyncio.TimeoutError, Exception):
                pass
        for server in self.servers:
            server.stop()


async def eventually(check: Callable[[], Any], timeout: float = 10, every: float = 0.1) -> Any:
    """Poll an async check until it returns a truthy value (state that converges across processes)."""
    deadline = time.monotonic() + timeout
    last: Any = None
    while time.monotonic() < deadline:
        last = await check()
        if last:
            return last
        await asyncio.sleep(every)
    raise AssertionError(f"did not converge within {timeout}s; last result: {last!r}")


class RedisServer:
    """A redis-server of the test's own on a free port, to stop and restart (fault tests)."""

    def __init__(self, tmp: Path) -> None:
        self.port = free_port()
        self.tmp = tmp
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    async def start(self) -> None:
        binary = "redis-server"
        self.proc = subprocess.Popen([binary, "--port", str(self.port), "--save", "", "--appendonly", "no",
                                      "--daemonize", "no", "--bind", "127.0.0.1"], cwd=self.tmp,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.5).close()
                return
            except OSError:
                await asyncio.sleep(0.05)
        raise AssertionError("redis-server did not start")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(10)


@pytest.fixture
async def cluster(postgres_migrated: str, tmp_path: Path) -> AsyncIterator[Cluster]:
    """An empty, seeded PostgreSQL database and a place for server processes."""
    from server.clock import SystemClock
    from server.rooms.catalogue import do_seed_rooms
    from server.storage.database import Database
    from tests.conftest import _truncate
    await _truncate(postgres_migrated)
    db = Database.from_url(postgres_migrated)
    try:
        await do_seed_rooms(db, SystemClock())
    finally:
        await db.close()
    running = Cluster(postgres_migrated, tmp_path)
    try:
        yield running
    finally:
        await running.close()


@pytest.fixture
async def own_redis(tmp_path: Path) -> AsyncIterator[RedisServer]:
    import shutil
    if shutil.which("redis-server") is None:
        message = "redis-server is not installed"
        pytest.fail(message) if IN_CI else pytest.skip(message)
    server = RedisServer(tmp_path)
    await server.start()
    try:
        yield server
    finally:
        server.stop()
