"""PostgreSQL stops: sends fail fast with `unavailable` and a retry_after, nothing is broadcast that was
not stored, readiness fails, and reads and writes recover when it returns."""
from __future__ import annotations

import asyncio
import time
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from tests.chaos.proxy import Proxy
from tests.processes import Cluster, eventually, free_port


async def test_sends_fail_fast_while_postgres_is_down(cluster: Cluster) -> None:
    real = urlsplit(cluster.database_url)
    proxy = Proxy(real.hostname or "127.0.0.1", real.port or 5432, free_port())
    await proxy.start()
    cluster.database_url = urlunsplit(real._replace(netloc=f"{real.username}@127.0.0.1:{proxy.port}"))
    try:
        [server] = await cluster.start(1, None)
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
        assert await eventually(lambda: _ready(server))

        async def resent() -> Any:
            reply = await ada.call("message:send", {"room": "anxiety", "text": "two", "client_msg_id": "m2"})
            return reply if reply["ok"] else None
        reply = await eventually(resent)
        assert reply["message"]["seq"] == 2
        await bo.wait_for("message:new", lambda m: m["seq"] == 2)
        history = await bo.call("message:history", {"room": "anxiety", "after": 0})
        assert [m["text"] for m in history["messages"]] == ["one", "two"]
    finally:
        await cluster.close()
        await proxy.stop()


async def _ready(server: Any) -> bool:
    status, _ = await server.get_json("/readyz")
    return status == 200
