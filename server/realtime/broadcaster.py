"""The Broadcaster services use, on top of python-socketio rooms (and so across processes via Redis)."""
from __future__ import annotations

from typing import Any

import socketio


class SocketBroadcaster:
    def __init__(self, sio: socketio.AsyncServer) -> None:
        self._sio = sio

    async def publish(self, topic: str, event: str, payload: dict[str, Any], *,
                      skip_sid: str | None = None) -> None:
        await self._sio.emit(event, payload, room=topic, skip_sid=skip_sid)

    async def subscribe(self, sid: str, topic: str) -> None:
        await self._sio.enter_room(sid, topic)

    async def unsubscribe(self, sid: str, topic: str) -> None:
        await self._sio.leave_room(sid, topic)

    async def disconnect_topic(self, topic: str) -> None:
        for sid in [sid for sid, _eio_sid in self._sio.manager.get_participants("/", topic)]:
            await self._sio.disconnect(sid)
