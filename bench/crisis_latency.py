"""Crisis-to-moderator latency: start the real server (its own process), connect N moderators and P peers,
send M help requests and crisis reports, and print p50/p99 of send -> flag:new at every moderator.

    /work/venv/bin/python bench/crisis_latency.py [--moderators 10] [--peers 20] [--requests 200]

Uses a fresh SQLite database in a temporary directory (or PEERCHAT_DATABASE_URL if set); rate limits are
off so the figures measure the path, not the throttle. Stops by itself.
"""
from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import aiohttp
import socketio

REPO = Path(__file__).resolve().parents[1]
PASSWORD = "bench password 123"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _peerchat(env: dict[str, str], *args: str, stdin: str = "") -> None:
    subprocess.run([sys.executable, "-m", "server", *args], cwd=REPO, env=env, input=stdin, text=True,
                   check=True, capture_output=True, timeout=120)


async def _wait_ready(url: str) -> None:
    async with aiohttp.ClientSession() as http:
        for _ in range(200):
            try:
                async with http.get(url + "/readyz") as response:
                    if response.status == 200:
                        return
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.05)
    raise RuntimeError("the server did not become ready")


async def _token(http: aiohttp.ClientSession, url: str, path: str, body: dict[str, str]) -> tuple[str, str]:
    async with http.post(url + path, json=body) as response:
        data = await response.json()
        return data["token"], data["user"]["id"]


async def _client(url: str, token: str) -> socketio.AsyncClient:
    client = socketio.AsyncClient(reconnection=False)
    await client.connect(url, auth={"token": token}, transports=["websocket"], wait_timeout=10)
    return client


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


async def measure(url: str, moderators: int, peers: int, requests: int) -> list[float]:
    sent: dict[str, float] = {}
    pending: list[set[str]] = []
    latencies: list[float] = []
    done = asyncio.Event()
    expected = requests * moderators
    async with aiohttp.ClientSession() as http:
        mods = []
        for i in range(moderators):
            token, _ = await _token(http, url, "/api/login", {"username": f"benchmod{i}", "password": PASSWORD})
            client = await _client(url, token)

            waiting: set[str] = set()
            pending.append(waiting)

            def on_flag(data: dict[str, object], waiting: set[str] = waiting) -> None:
                """The first flag event for a raised key at this moderator: a new item, or a resolved
                item that a fresh help request reopened (pushed as flag:updated)."""
                item = data["item"]
                assert isinstance(item, dict)
                key = f"{item['target']['id']}"
                if key in waiting:
                    waiting.discard(key)
                    latencies.append(time.perf_counter() - sent[key])
                    if len(latencies) >= expected:
                        done.set()
            client.on("flag:new", on_flag)
            client.on("flag:updated", on_flag)
            await client.call("mod:subscribe", {})
            mods.append(client)
        people = []
        for i in range(peers):
            token, user_id = await _token(http, url, "/api/session", {"pseudonym": f"bench peer {i}"})
            client = await _client(url, token)
            await client.call("room:join", {"room": "anxiety", "accept_agreement": True})
            people.append((client, user_id))
        for n in range(requests):
            # every peer writes and asks in turn, slowly enough each that the pipeline's flood rule
            # (8 messages in 10 s per person) never holds a message the bench then reports
            client, user_id = people[(n // 2) % peers]
            if n % 2 == 0:  # a crisis report on a fresh message: a new item each time
                author, _ = people[(n // 2 + 1) % peers]
                reply = await author.call("message:send", {"room": "anxiety", "text": f"bench {n}",
                                                           "client_msg_id": uuid.uuid4().hex})
                target = reply["message"]["id"]
                sent[target] = time.perf_counter()
                for waiting in pending:
                    waiting.add(target)
                await client.call("message:report", {"message_id": target, "reason": "crisis"})
            else:  # a help request; resolved at once so the next one from this peer is a new flag:new
                sent[user_id] = time.perf_counter()
                for waiting in pending:
                    waiting.add(user_id)
                await client.call("help:request", {"room": "anxiety"})
                await asyncio.sleep(0)
            await asyncio.sleep(0.005)
            if n % 2 == 1:
                await _resolve_help(mods[0], user_id)
        try:
            await asyncio.wait_for(done.wait(), 30)
        except asyncio.TimeoutError:
            print(f"warning: only {len(latencies)} of {expected} flag:new arrived within 30 s", file=sys.stderr)
        for client in mods + [c for c, _ in people]:
            await client.disconnect()
    return latencies


async def _resolve_help(mod: socketio.AsyncClient, user_id: str) -> None:
    queue = await mod.call("mod:queue", {"severity": "imminent", "limit": 100})
    for item in queue["items"]:
        if item["target"]["id"] == user_id:
            await mod.call("mod:resolve", {"item_id": item["id"], "version": item["version"], "outcome": "no_action"})


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--moderators", type=int, default=10)
    parser.add_argument("--peers", type=int, default=20)
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        port = _free_port()
        env = {**{k: v for k, v in os.environ.items() if not k.startswith("PEERCHAT_")},
               "PEERCHAT_DATABASE_URL": os.environ.get("PEERCHAT_DATABASE_URL", f"sqlite:///{tmp}/bench.sqlite3"),
               "PEERCHAT_RATE_LIMITS": "off", "PEERCHAT_LOG_LEVEL": "ERROR", "PEERCHAT_SECRET_KEY": "b" * 40}
        _peerchat(env, "migrate")
        _peerchat(env, "seed")
        for i in range(args.moderators):
            _peerchat(env, "staff", "add", "--role", "moderator", "--password-stdin", f"benchmod{i}", stdin=PASSWORD)
        server = subprocess.Popen([sys.executable, "-m", "server", "serve", "--port", str(port)], cwd=REPO, env=env)
        try:
            url = f"http://127.0.0.1:{port}"
            asyncio.run(_wait_ready(url))
            latencies = asyncio.run(measure(url, args.moderators, args.peers, args.requests))
        finally:
            server.terminate()
            server.wait(timeout=10)
    if not latencies:
        print("no flags arrived")
        return 1
    ms = [1000 * v for v in latencies]
    print(f"crisis send -> flag:new at each of {args.moderators} moderators, {args.requests} requests, "
          f"{len(ms)} deliveries: p50 {statistics.median(ms):.1f} ms  p99 {_percentile(ms, 0.99):.1f} ms  "
          f"max {max(ms):.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
