"""Health, readiness and Prometheus metrics as an operator sees them."""
from __future__ import annotations

import json

from server.http.keys import DRAIN
from tests.harness import RunningServer


async def test_metrics_count_connections_messages_and_latency(server: RunningServer) -> None:
    ada = await server.joined_peer()
    await server.joined_peer()
    assert (await ada.call("message:send", {"room": "anxiety", "text": "hi", "client_msg_id": "m1"}))["ok"]
    status, body, headers = await server.get("/metrics")
    assert status == 200 and headers["Content-Type"].startswith("text/plain")
    figures = {line.split(" ")[0]: float(line.split(" ")[1]) for line in body.splitlines()
               if line and not line.startswith("#")}
    assert figures["peerchat_connections"] >= 2
    assert figures["peerchat_rooms_active"] >= 1
    assert figures["peerchat_messages_in_total"] >= 1
    assert figures["peerchat_messages_out_total"] >= 2
    assert figures["peerchat_send_pipeline_seconds_count"] >= 1
    assert "peerchat_crisis_oldest_open_seconds" in figures
    assert "peerchat_redis_publish_failures_total" in figures
    assert "hi" not in body.split()


async def test_readiness_reports_the_database_and_fails_while_draining(server: RunningServer) -> None:
    status, body, _ = await server.get("/readyz")
    assert status == 200 and json.loads(body) == {"status": "ok", "database": "ok"}
    status, body, _ = await server.get("/healthz")
    assert status == 200
    server.app[DRAIN].draining = True
    status, body, _ = await server.get("/readyz")
    assert status == 503 and json.loads(body)["status"] == "draining"
