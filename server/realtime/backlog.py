"""Slow consumers: a connection whose unsent packets pile up past a bound is cut, so one client that
stops reading cannot make the server's memory grow without limit (python-socketio's queues are
unbounded). The client reconnects and catches up with `room:resume`; nothing stored is lost.
"""
from __future__ import annotations

import asyncio
import logging

import socketio

from .. import metrics

log = logging.getLogger("peerchat.backlog")

CHECK_EVERY_SECONDS = 0.5


async def watch_backlogs(sio: socketio.AsyncServer, max_backlog: int) -> None:
    while True:
        await asyncio.sleep(CHECK_EVERY_SECONDS)
        for eio_sid, sock in list(sio.eio.sockets.items()):
            if sock.queue.qsize() > max_backlog:
                cut_slow_client(sio, eio_sid, sock.queue.qsize())


def cut_slow_client(sio: socketio.AsyncServer, eio_sid: str, backlog: int) -> None:
    """Abort the TCP connection: a polite close would queue behind the backlog it cannot drain."""
    request = sio.environ.get(eio_sid, {}).get("aiohttp.request")
    transport = getattr(request, "transport", None)
    if transport is None:
        return
    log.warning("slow_client_disconnected backlog=%d", backlog)
    metrics.SLOW_CLIENTS.inc()
    transport.abort()
