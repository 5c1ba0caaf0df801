"""Starting what the benchmark measures: peerchat (migrated database with bench rooms) or a bare relay,
as subprocesses pinned to the server core, on free loopback ports."""
from __future__ import annotations

import argparse
import asyncio
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
from sqlalchemy import text

ROOT = Path(__file__).resolve().parent.parent
SECRET = "bench-secret-key-that-is-long-enough-0123456789"


def _port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Target:
    kind: str
    urls: list[str]
    procs: list[subprocess.Popen[bytes]]
    connected: int = 0
    tmp: Any = None
    run_id: str = field(default_factory=lambda: uuid.uuid4().hex[:6])

    @property
    def pids(self) -> list[int]:
        return [p.pid for p in self.procs]

    async def auth(self, http: aiohttp.ClientSession, url: str, index: int) -> dict[str, Any] | None:
        if self.kind != "peerchat":
            return None
        async with http.post(url + "/api/session", json={"pseudonym": f"b{self.run_id}{index}"}) as response:
            body = await response.json()
            assert response.status == 201, body
            return {"token": body["token"]}

    def toggle_profile(self) -> None:
        """Starts or stops recording in a peerchat run under BENCH_PROFILE (bench/profiled.py)."""
        if self.kind == "peerchat" and os.environ.get("BENCH_PROFILE"):
            for proc in self.procs:
                os.kill(proc.pid, signal.SIGUSR1)

    def stop(self) -> None:
        for proc in self.procs:
            proc.terminate()
        for proc in self.procs:
            try:
                proc.wait(15)
            except subprocess.TimeoutExpired:
                proc.kill()


async def _prepare_database(url: str, rooms: int) -> None:
    from server.clock import SystemClock
    from server.rooms.catalogue import BASE_AGREEMENT
    from server.storage.database import Database
    from server.storage.models import Room
    from server.storage.schema import upgrade_to_head
    db = Database.from_url(url)
    try:
        if not db.is_sqlite:
            async with db.engine.begin() as connection:
                await connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
                await connection.execute(text("CREATE SCHEMA public"))
        await upgrade_to_head(db.engine)
        async with db.transaction() as tx:
            for i in range(rooms):
                tx.session.add(Room(id=uuid.uuid4().hex, slug=f"bench-{i}", name=f"Bench {i}", description="bench",
                                    agreement=BASE_AGREEMENT, agreement_version=1, listeners_allowed=True,
                                    capacity=100_000, policy={}, position=i, last_seq=0,
                                    created_at=SystemClock().now()))
    finally:
        await db.close()


async def _wait(url: str, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    async with aiohttp.ClientSession() as http:
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise RuntimeError(f"{url} exited with {proc.returncode}")
            try:
                async with http.get(url + "/socket.io/?EIO=4&transport=polling") as response:
                    if response.status == 200:
                        return
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.1)
    raise RuntimeError(f"{url} did not start")


async def start_target(kind: str, args: argparse.Namespace, *, processes: int, rooms: int) -> Target:
    pin = ["taskset", "-c", str(args.server_core)]
    env = {k: v for k, v in os.environ.items() if not k.startswith("PEERCHAT_")}
    tmp = None
    if kind == "peerchat":
        tmp = tempfile.TemporaryDirectory(prefix="peerchat-bench-")
        url = args.database_url or f"sqlite+aiosqlite:///{tmp.name}/bench.sqlite3"
        url = url.replace("postgresql://", "postgresql+asyncpg://", 1)
        await _prepare_database(url, rooms)
        env.update(PEERCHAT_DATABASE_URL=url, PEERCHAT_SECRET_KEY=SECRET, PEERCHAT_RATE_LIMITS="false",
                   PEERCHAT_LOG_LEVEL="WARNING", PEERCHAT_ALLOWED_ORIGINS="http://bench.test")
        if processes > 1:
            env.update(PEERCHAT_REDIS_URL=args.redis_url, PEERCHAT_REDIS_PREFIX=f"bench{uuid.uuid4().hex[:6]}")
        profiled = [str(ROOT / "bench" / "profiled.py")] if os.environ.get("BENCH_PROFILE") else ["-m", "server"]
        command = [sys.executable, *profiled, "serve", "--port"]
    else:
        command = [sys.executable, str(ROOT / "bench" / "relay.py")] + (["--tuned"] if kind == "relay-tuned" else [])
        command.append("--port")
    ports = [_port() for _ in range(processes)]
    procs = [subprocess.Popen(pin + command + [str(port)], cwd=ROOT, env=env) for port in ports]
    urls = [f"http://127.0.0.1:{port}" for port in ports]
    target = Target(kind, urls, procs, tmp=tmp)
    try:
        for url, proc in zip(urls, procs):
            await _wait(url, proc)
    except Exception:
        target.stop()
        raise
    return target
