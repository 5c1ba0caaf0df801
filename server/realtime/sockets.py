"""Builds the Socket.IO server: origins, frame size, JSON codec, and the manager (in-process or Redis)."""
from __future__ import annotations

import socketio

from ..settings import Settings
from . import wirejson
from .engine import SocketServer
from .manager import LocalManager, RedisManager


def build_socket_server(settings: Settings) -> socketio.AsyncServer:
    manager: socketio.AsyncManager
    if settings.redis_url:
        manager = RedisManager(settings.redis_url, channel=f"{settings.redis_prefix}:socketio")
    else:
        manager = LocalManager()
    sio = SocketServer(
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
    if settings.admin_ui_password:
        # Only when an admin sets its password; "production" mode never forwards event payloads (message
        # text) to the Admin UI, and read-only means it cannot disconnect anyone.
        sio.instrument(auth={"username": "admin", "password": settings.admin_ui_password}, mode="production",
                       read_only=True, server_stats_interval=5)
    return sio
