"""Crisis over the send limit with the buckets shared in Redis: a moderator on another process hears at once."""
from __future__ import annotations

from typing import Any

from tests.processes import CROSS_PROCESS_PUSH_S, Cluster, redis_url
from tests.rooms.test_refused_crisis import CRISIS
from tests.scale.test_multiprocess import _moderator


async def test_a_crisis_over_the_shared_send_limit_reaches_a_moderator_on_another_process(cluster: Cluster) -> None:
    one, two = await cluster.start(2, redis_url(), PEERCHAT_RATE_LIMITS="true")
    mod = await _moderator(cluster, two)
    peer = await cluster.track(await one.joined())

    async def send(text: str, n: int) -> Any:
        return await peer.call("message:send", {"room": "anxiety", "text": text, "client_msg_id": f"c{n}"})

    ordinary = [await send(f"m{n}", n) for n in range(12)]
    assert ordinary[-1]["error"]["code"] == "rate_limited" and "alerted" not in ordinary[-1]["error"], ordinary
    crisis = await send(CRISIS, 100)
    assert crisis["ok"] and crisis["message"]["status"] == "visible", crisis
    await mod.wait_for("flag:new", lambda e: e["item"]["target"]["id"] == crisis["message"]["id"],
                       timeout=CROSS_PROCESS_PUSH_S)

    for n in range(101, 160):  # the crisis bucket (20, refilling 1 every 3 s) runs out
        refused = await send(CRISIS, n)
        if not refused["ok"]:
            break
    assert refused["error"]["code"] == "rate_limited" and refused["error"]["alerted"] is True, refused
    assert refused["error"]["resources"] and refused["error"]["retry_after"] > 0
    alert = await mod.wait_for("flag:new", lambda e: e["item"]["target"]["type"] == "user",
                               timeout=CROSS_PROCESS_PUSH_S)
    assert alert["item"]["kind"] == "crisis" and alert["item"]["room"] == "anxiety", alert
