"""The Socket.IO client managers: python-socketio's own, with delivery and Redis-failure counts.

With a Redis URL the AsyncRedisManager carries every emit to the other processes (JSON only, never
pickle: CVE-2025-61765). Local delivery happens before the publish, so a Redis outage costs only the
cross-process copy, which clients recover through `room:resume` (the database is the source of truth).
"""
from __future__ import annotations

import logging
from typing import Any

import socketio

from .. import metrics
from . import wirejson

log = logging.getLogger("peerchat.manager")

DELIVERY_EVENTS = frozenset({"message:new"})


def _count_delivery(manager: socketio.AsyncManager, event: str, namespace: str | None, room: Any) -> None:
    if event in DELIVERY_EVENTS and isinstance(room, str):
        metrics.MESSAGES_OUT.inc(len(manager.rooms.get(namespace or "/", {}).get(room, ())))


class LocalManager(socketio.AsyncManager):
    async def emit(self, event: str, data: Any, namespace: str | None = None, room: Any = None,
                   skip_sid: Any = None, callback: Any = None, to: Any = None, **kwargs: Any) -> None:
        _count_delivery(self, event, namespace, to or room)
        await super().emit(event, data, namespace=namespace, room=room, skip_sid=skip_sid, callback=callback,
                           to=to, **kwargs)


class RedisManager(socketio.AsyncRedisManager):
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
