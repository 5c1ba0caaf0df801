"""PostgreSQL stops: sends fail fast with `unavailable` and a retry_after, nothing is broadcast that was
not stored, readiness fails, and reads and writes recover when it returns. A crisis message refused so still
brings its sender the crisis lines."""
from __future__ import annotations

import asyncio
import contextlib
import time
from typing import Any, AsyncIterator
from urllib.parse import urlsplit, urlunsplit

from tests.chaos.proxy import Proxy
from tests.harness import Client
from tests.processes import Cluster, ServerProcess, eventually, free_port
from tests.rooms.test_refused_crisis import CRISIS

STORING_FAILED = "The service is having trouble storing messages. Please try again in a moment."


@contextlib.asynccontextmanager
async def _server_behind_a_proxy(cluster: Cluster) -> AsyncIterator[tuple[ServerProcess, Proxy]]:
    """One server process whose connections to PostgreSQL go through a proxy the test stops and starts."""
    real = urlsplit(cluster.database_url)
    proxy = Proxy(real.hostname or "127.0.0.1", real.port or 5432, free_port())
    await proxy.start()
    cluster.database_url = urlunsplit(real._replace(netloc=f"{real.username}@127.0.0.1:{proxy.port}"))
    try:
        [server] = await cluster.start(1, None)
        yield server, proxy
    finally:
        await cluster.close()
        await proxy.stop()


async def test_sends_fail_fast_while_postgres_is_down(cluster: Cluster) -> None:
    async with _server_behind_a_proxy(cluster) as (server, proxy):
        ada = await cluster.track(await server.joined())
        bo = await cluster.track(await server.joined())
        assert (await ada.call("message:send", {"room": "anxiety", "text": "one", "client_msg_id": "m1"}))["ok"]
        await bo.wait_for("message:new", lambda m: m["seq"] == 1)

        await proxy.stop()
        started = time.monotonic()
        reply = await ada.call("message:send", {"room": "anxiety", "text": "two", "client_msg_id": "m2"})
        assert time.monotonic() - started < 6
        assert reply["ok"] is False and reply["error"]["code"] == "unavailable", reply
        assert reply["error"]["retry_after"] > 0
        status, body = await server.get_json("/readyz")
        assert status == 503 and body["database"] == "down"
        history = await ada.call("message:history", {"room": "anxiety", "after": 0})
        assert history["error"]["code"] == "unavailable"
        await asyncio.sleep(0.3)
        assert [m["seq"] for m in bo.received("message:new")] == [1]

        await proxy.start()
        reply = await _resent_once_back(server, ada, {"room": "anxiety", "text": "two", "client_msg_id": "m2"})
        assert reply["message"]["seq"] == 2
        await bo.wait_for("message:new", lambda m: m["seq"] == 2)
        history = await bo.call("message:history", {"room": "anxiety", "after": 0})
        assert [m["text"] for m in history["messages"]] == ["one", "two"]


async def test_a_crisis_message_refused_while_postgres_is_down_brings_the_crisis_lines(cluster: Cluster) -> None:
    async with _server_behind_a_proxy(cluster) as (server, proxy):
        ada = await cluster.track(await server.joined())
        await proxy.stop()
        ordinary = await ada.call("message:send", {"room": "anxiety", "text": "hello", "client_msg_id": "m1"})
        assert ordinary["error"] == {"code": "unavailable", "message": STORING_FAILED, "retry_after": 5}, \
            "an ordinary message is refused exactly as before"

        started = time.monotonic()
        reply = await ada.call("message:send", {"room": "anxiety", "text": CRISIS, "client_msg_id": "c1"})
        assert time.monotonic() - started < 6, "no second wait on the database for the crisis lines"
        error = reply["error"]
        assert error["code"] == "unavailable" and error["retry_after"] == 5, "the client still resends it"
        assert error["resources"] and all(r["name"] for r in error["resources"]), "the crisis lines, from memory"
        assert error["alerted"] is False and "moderator_online" not in error, "nobody could be alerted: not claimed"
        assert error["message"].startswith(f"{STORING_FAILED} Your message wasn't posted"), error
        assert "We couldn't reach the moderators just now" in error["message"]
        assert "call your local emergency number or one of these services" in error["message"]

        await proxy.start()
        posted = await _resent_once_back(server, ada, {"room": "anxiety", "text": CRISIS, "client_msg_id": "c1"})
        assert [n["code"] for n in posted["notices"]] == ["crisis_resources"], "read as crisis and flagged, once back"


async def _resent_once_back(server: ServerProcess, client: Client, payload: dict[str, Any]) -> dict[str, Any]:
    """What the client's resend (same client_msg_id) gets once PostgreSQL is back and the server ready."""
    assert await eventually(lambda: _ready(server))

    async def resent() -> Any:
        reply = await client.call("message:send", payload)
        return reply if reply["ok"] else None
    return dict(await eventually(resent))


async def _ready(server: Any) -> bool:
    status, _ = await server.get_json("/readyz")
    return status == 200
