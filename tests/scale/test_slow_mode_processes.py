"""Room-wide slow mode set on one process holds on the other from its next message, for one person's
connections on both, and everyone in the room on either process is told at once."""
from __future__ import annotations

import time

import aiohttp

from tests.processes import CROSS_PROCESS_PUSH_S, Cluster, redis_url
from tests.scale.test_multiprocess import _moderator_token


async def test_slow_mode_set_on_one_process_holds_on_the_other_from_its_next_message(cluster: Cluster) -> None:
    one, two = await cluster.start(2, redis_url())
    mod = await cluster.track(await one.client(await _moderator_token(cluster, one)))
    token = await two.token("Ada")
    ada_two = await cluster.track(await two.joined(token=token))
    ada_one = await cluster.track(await one.joined(token=token))
    watcher = await cluster.track(await two.joined())
    assert (await ada_two.call("message:send", {"room": "anxiety", "text": "before", "client_msg_id": "b"}))["ok"]

    reply = await mod.call("room:slow_mode", {"room": "anxiety", "seconds": 60, "reason": "pile_on"})
    assert reply["ok"] and reply["slow_mode"] == {"seconds": 60, "until": None}
    # No push has to arrive first: the two sends right after the answer are the first under slow mode there.
    # The wait counts from "one" (not "before"): the server's two times (same host clock) fall between ours,
    # so its retry_after can be no shorter than 60 s less the time we spent, however slow the host.
    sent = time.time()
    first = await ada_two.call("message:send", {"room": "anxiety", "text": "one", "client_msg_id": "1"})
    second = await ada_two.call("message:send", {"room": "anxiety", "text": "two", "client_msg_id": "2"})
    spent = time.time() - sent
    assert first["ok"], first
    assert second["error"]["code"] == "slow_mode", second
    assert 60 - spent <= second["error"]["retry_after"] <= 60, (second["error"]["retry_after"], spent)
    pushed = await watcher.wait_for("room:updated", lambda d: "slow_mode" in d, timeout=CROSS_PROCESS_PUSH_S)
    assert pushed["slow_mode"] == {"seconds": 60, "until": None}
    # The same person's connection on the first process shares the wait.
    third = await ada_one.call("message:send", {"room": "anxiety", "text": "three", "client_msg_id": "3"})
    assert third["error"]["code"] == "slow_mode"
    _, listed = await two.get_json("/api/rooms")
    assert next(r for r in listed["rooms"] if r["slug"] == "anxiety")["slow_mode"]["seconds"] == 60

    # Turned off over HTTP on the second process: the first lets the message through at once.
    async with aiohttp.ClientSession() as http:
        async with http.put(two.url + "/api/rooms/anxiety/slow_mode", json={"seconds": 0, "reason": "calmer"},
                            headers={"Authorization": f"Bearer {await _moderator_token(cluster, two, 'mo2')}"}) as r:
            assert r.status == 200 and (await r.json())["slow_mode"] is None
    assert (await ada_one.call("message:send", {"room": "anxiety", "text": "three", "client_msg_id": "3"}))["ok"]
    await ada_one.wait_for("room:updated", lambda d: "slow_mode" in d and d["slow_mode"] is None,
                           timeout=CROSS_PROCESS_PUSH_S)
