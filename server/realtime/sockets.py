"""Builds the Socket.IO server: origins, frame size, JSON codec, and the manager (in-process or Redis)."""
from __future__ import annotations

import socketio

from ..settings import Settings
from . import wirejson


def build_socket_server(settings: Settings) -> socketio.AsyncServer:
    manager: socketio.AsyncManager
    if settings.redis_url:
        manager = socketio.AsyncRedisManager(settings.redis_url, json=wirejson)
    else:
        manager = socketio.AsyncManager()
    return socketio.AsyncServer(
        async_mode="aiohttp",
        client_manager=manager,
        cors_allowed_origins=settings.origins,
        max_http_buffer_size=settings.max_frame_bytes,
        json=wirejson,
        always_connect=False,
        # python-socketio's own loggers print packet contents (message text): never enabled.
        logger=False,
        engineio_logger=False,
        ping_interval=25,
        ping_timeout=20,
    )
