"""Answers about people on other processes: whether a moderator is online, how many connections a person
holds, whether someone is already in a full room. Two real processes on one PostgreSQL and one Redis."""
from __future__ import annotations

import signal
import time
from typing import Any

import socketio
from sqlalchemy import update

from server.shared.link import HEARTBEAT_SECONDS, PROCESS_TTL_SECONDS
from server.storage.database import Database
from server.storage.models import Room
from tests.harness import Client
from tests.processes import Cluster, ServerProcess, eventually, redis_url
from tests.scale.test_multiprocess import _moderator, _moderator_token, _reported_item, _subscribed


async def _help(peer: Client) -> Any:
    reply = await peer.call("help:request", {"room": "anxiety"})
    assert reply["ok"] and reply["alerted"] is True, reply
    return reply


async def _says(peer: Client, online: bool | None) -> Any:
    reply = await _help(peer)
    return reply if reply["moderator_online"] is online else None


async def test_a_peer_on_another_process_is_told_a_moderator_is_online(cluster: Cluster) -> None:
    one, two = await cluster.start(2, redis_url())
    peer = await cluster.track(await two.joined())
    nobody = await eventually(lambda: _says(peer, False), timeout=10)  # not None: Redis is up
    assert "no moderator is online right now" in nobody["message"] and "emergency" in nobody["message"]

    mod = await _moderator(cluster, one)
    reply = await eventually(lambda: _says(peer, True), timeout=5)
    assert reply["message"].startswith("The moderators have been alerted and will reach out")
    alert = await mod.wait_for("flag:updated")  # the alert reached them (the item was raised before they came)
    assert alert["item"]["kind"] == "help"
    colleague = await _subscribed(cluster, two, await _moderator_token(cluster, two, "colleague"))
    assert (await colleague.call("mod:subscribe", {}))["moderators_online"] == 2  # one here, one on process one

    await mod.close()
    await colleague.close()
    left = time.monotonic()
    reply = await eventually(lambda: _says(peer, False), timeout=5, every=0.05)
    took = time.monotonic() - left
    # a notice from the moderator's process; a lost one is made up at the next heartbeat
    assert took < HEARTBEAT_SECONDS + 1.0, took
    assert "will reach out" not in reply["message"]


async def test_a_killed_process_leaves_no_ghost_moderator(cluster: Cluster) -> None:
    one, two = await cluster.start(2, redis_url())
    peer = await cluster.track(await one.joined())
    await _moderator(cluster, two)
    await eventually(lambda: _says(peer, True), timeout=5)

    two.signal(signal.SIGKILL)  # no clean-up: its entries stay in Redis until its heartbeat expires
    killed = time.monotonic()
    assert (await _help(peer))["moderator_online"] is True  # the dead process's last word, for a while
    await eventually(lambda: _says(peer, False), timeout=PROCESS_TTL_SECONDS + 2 * HEARTBEAT_SECONDS + 2,
                     every=0.25)
    took = time.monotonic() - killed
    assert took <= PROCESS_TTL_SECONDS + 2 * HEARTBEAT_SECONDS + 0.5, took  # the documented "about 12 s"


async def test_claims_of_a_moderator_whose_process_was_killed_go_back_to_the_team(cluster: Cluster) -> None:
    one, two = await cluster.start(2, redis_url(), PEERCHAT_CLAIM_RELEASE_SECONDS="10")
    colleague = await _moderator(cluster, one, "colleague")
    gone = await _subscribed(cluster, two, await _moderator_token(cluster, two, "gone"))
    back_token = await _moderator_token(cluster, two, "back")
    back = await _subscribed(cluster, two, back_token)
    reporter = await cluster.track(await one.joined())
    for text in ("first", "second"):
        await _reported_item(await cluster.track(await one.joined()), reporter, colleague, text)
    items = (await colleague.call("mod:queue", {}))["items"]
    assert len(items) == 2, items
    for mod, item in zip((gone, back), items):
        assert (await mod.call("mod:claim", {"item_id": item["id"], "version": item["version"]}))["ok"]

    two.signal(signal.SIGKILL)  # nobody saw either moderator leave
    killed = time.monotonic()
    await _subscribed(cluster, one, back_token)  # "back" reconnects to the other process at once
    released = await colleague.wait_for("flag:updated", lambda e: e["item"]["id"] == items[0]["id"]
                                        and e["item"]["status"] == "pending", timeout=40)
    took = time.monotonic() - killed
    # gone from every process once the dead one's heartbeat expired, then the 10 s release time
    assert 10 <= took <= PROCESS_TTL_SECONDS + 2 * HEARTBEAT_SECONDS + 10 + 3, took
    assert released["item"]["claimed_by"] is None
    queue = await colleague.call("mod:queue", {})
    assert [i["status"] for i in queue["items"] if i["id"] == items[1]["id"]] == ["claimed"]


async def _connection(server: ServerProcess, token: str) -> Client | Any:
    """A connected client, or the refusal the server sent."""
    client = Client()
    try:
        await client.connect(server.url, token)
    except socketio.exceptions.ConnectionError:
        return client.connect_error
    return client


async def test_the_connection_cap_counts_every_process(cluster: Cluster) -> None:
    one, two = await cluster.start(2, redis_url(), PEERCHAT_MAX_CONNECTIONS_PER_USER="3")
    token = await one.token()
    await cluster.track(await one.client(token))
    await cluster.track(await one.client(token))
    on_two = await cluster.track(await two.client(token))

    async def refused(server: ServerProcess) -> Any:
        answer = await _connection(server, token)
        if isinstance(answer, Client):  # this process had not heard of the others yet
            await answer.close()
            return None
        return answer
    for server in (one, two):
        error = await eventually(lambda: refused(server), timeout=5)
        assert error["data"]["code"] == "rate_limited" and "3 connections open" in error["message"]
    assert (await cluster.track(await two.client())).sio.connected  # other people are not affected

    await on_two.close()

    async def admitted() -> bool:
        answer = await _connection(one, token)
        if isinstance(answer, Client):
            await cluster.track(answer)
        return isinstance(answer, Client)
    assert await eventually(admitted, timeout=5)


async def test_a_full_room_readmits_someone_already_in_it_on_another_process(cluster: Cluster) -> None:
    db = Database.from_url(cluster.database_url)
    try:
        async with db.transaction() as tx:
            await tx.session.execute(update(Room).where(Room.slug == "grief").values(capacity=2))
    finally:
        await db.close()
    one, two = await cluster.start(2, redis_url())
    token = await one.token()
    await cluster.track(await one.joined("grief", token=token))
    await cluster.track(await one.joined("grief"))

    async def full_on_two() -> bool:
        client = await cluster.track(await two.client())
        reply = await client.call("room:join", {"room": "grief", "accept_agreement": True})
        return not reply["ok"] and reply["error"]["code"] == "room_full"
    assert await eventually(full_on_two, timeout=5)  # process two counts the two people on process one
    again = await cluster.track(await two.client(token))
    reply = await again.call("room:join", {"room": "grief", "accept_agreement": True})
    assert reply["ok"], reply  # the same person in a second tab: already counted, not a third
    assert reply["room"]["online"] == 2
