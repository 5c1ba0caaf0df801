"""The Socket.IO client managers: python-socketio's own, with delivery and Redis-failure counts, and a
broadcast that hands each recipient its packet without a task of its own (FanOut).

With a Redis URL the AsyncRedisManager carries every emit to the other processes (JSON only, never
pickle: CVE-2025-61765). Local delivery happens before the publish, so a Redis outage costs only the
cross-process copy, which clients recover through `room:resume` (the database is the source of truth).
"""
from __future__ import annotations

import asyncio
import logging
from typing import Any

import socketio
from engineio import packet as eio_packet
from socketio import packet

from .. import metrics
from . import wirejson

log = logging.getLogger("peerchat.manager")

DELIVERY_EVENTS = frozenset({"message:new"})


def _count_delivery(manager: socketio.AsyncManager, event: str, namespace: str | None, room: Any) -> None:
    if event in DELIVERY_EVENTS and isinstance(room, str):
        metrics.MESSAGES_OUT.inc(len(manager.rooms.get(namespace or "/", {}).get(room, ())))


class FanOut(socketio.AsyncManager):
    """Upstream's emit creates a task per recipient and waits for them all, though each only puts the packet
    on that connection's send queue (unbounded: the put never waits). Here those puts run in turn within the
    emit, which in rooms of 20 saved 20 tasks and their scheduling per message. A connection with a ping
    outstanding keeps its own task, as upstream: its send may find the ping unanswered too long and close it,
    running the disconnect handler, which must not hold up the others. Recipients are listed first, so the
    room cannot change under the loop; one recipient's failure never stops the rest. A connection already
    closed is skipped, as upstream's send does, and each send goes straight to the connection, not through
    the two server methods that look it up again. Acknowledged emits (callbacks) and binary payloads take
    upstream's path."""

    async def emit(self, event: str, data: Any, namespace: str | None = None, room: Any = None,
                   skip_sid: Any = None, callback: Any = None, to: Any = None, **kwargs: Any) -> None:
        room = to or room
        if callback is not None or namespace not in self.rooms:
            await super().emit(event, data, namespace=namespace, room=room, skip_sid=skip_sid, callback=callback,
                               **kwargs)
            return
        args = list(data) if isinstance(data, tuple) else [] if data is None else [data]
        encoded = self.server.packet_class(packet.EVENT, namespace=namespace, data=[event, *args]).encode()
        if isinstance(encoded, list):
            await super().emit(event, data, namespace=namespace, room=room, skip_sid=skip_sid, **kwargs)
            return
        message = eio_packet.Packet(eio_packet.MESSAGE, encoded)
        skipped = skip_sid if isinstance(skip_sid, list) else [skip_sid]
        sockets = self.server.eio.sockets
        waiting: list[asyncio.Task[None]] = []
        for eio_sid in [eio_sid for sid, eio_sid in self.get_participants(namespace, room) if sid not in skipped]:
            connection = sockets.get(eio_sid)
            if connection is None or connection.closed:
                continue
            if connection.last_ping:
                waiting.append(asyncio.create_task(connection.send(message)))
                continue
            try:
                await connection.send(message)
            except Exception as error:  # as a failed task upstream: this connection misses it, the rest don't
                log.warning("fan_out_send_failed error=%s", type(error).__name__)
        if waiting:
            await asyncio.wait(waiting)


class LocalManager(FanOut):
    async def emit(self, event: str, data: Any, namespace: str | None = None, room: Any = None,
                   skip_sid: Any = None, callback: Any = None, to: Any = None, **kwargs: Any) -> None:
        _count_delivery(self, event, namespace, to or room)
        await super().emit(event, data, namespace=namespace, room=room, skip_sid=skip_sid, callback=callback,
                           to=to, **kwargs)


class RedisManager(socketio.AsyncRedisManager, FanOut):
    """Its local deliveries (`_handle_emit`, for this process's emits and those from Redis) go through FanOut."""

    def __init__(self, url: str, channel: str) -> None:
        super().__init__(url, channel=channel, json=wirejson,
                         redis_options={"socket_connect_timeout": 1.0, "health_check_interval": 10})

    async def _handle_emit(self, message: dict[str, Any]) -> None:
        _count_delivery(self, message.get("event", ""), message.get("namespace"), message.get("room"))
        await super()._handle_emit(message)

    async def _publish(self, data: Any) -> None:
        """One attempt, then one reconnect and retry (as upstream), counting the packets given up."""
        for attempt in (1, 2):
            try:
                if not self.connected:  # type: ignore[has-type]
                    self._redis_connect()
                await self.redis.publish(self.channel, self.json.dumps(data))
                return
            except Exception as error:  # redis raises many types; each means "not published"
                self.connected = False
                if attempt == 2:
                    metrics.REDIS_PUBLISH_FAILURES.inc()
                    log.warning("redis_publish_failed error=%s", type(error).__name__)
