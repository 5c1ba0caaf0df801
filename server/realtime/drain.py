"""Graceful shutdown: fail readiness, refuse new connections, tell clients to reconnect elsewhere with
jitter, let in-flight events finish, then close every connection, all within a bound.
"""
from __future__ import annotations

import asyncio
import logging
import random
from contextlib import contextmanager
from typing import Iterator

import socketio

log = logging.getLogger("peerchat.drain")

RECONNECT_SPREAD_SECONDS = 10.0


class Drain:
    def __init__(self, sio: socketio.AsyncServer) -> None:
        self._sio = sio
        self.draining = False
        self._inflight = 0
        self._idle = asyncio.Event()
        self._idle.set()

    async def settle(self, timeout: float) -> None:
        """Wait, at most `timeout` seconds, for what is in flight: the last step before the database closes."""
        try:
            await asyncio.wait_for(self._idle.wait(), timeout)
        except asyncio.TimeoutError:
            log.warning("shutdown_inflight_timeout inflight=%d", self._inflight)

    @contextmanager
    def track(self) -> Iterator[None]:
        """Count one client event (or a closed connection's clean-up) as in flight, so shutdown waits for it."""
        self._inflight += 1
        self._idle.clear()
        try:
            yield
        finally:
            self._inflight -= 1
            if self._inflight == 0:
                self._idle.set()

    def local_sids(self) -> list[str]:
        return [sid for sid, _eio_sid in self._sio.manager.get_participants("/", None)]

    async def run(self, *, drain_delay: float, timeout: float) -> None:
        """Shut this process's real-time side down; returns within about `drain_delay + timeout`."""
        self.draining = True
        log.info("draining delay=%.1fs", drain_delay)
        await asyncio.sleep(drain_delay)  # load balancers see /readyz fail and stop sending new clients
        sids = self.local_sids()
        for sid in sids:
            delay = round(random.uniform(1.0, RECONNECT_SPREAD_SECONDS), 1)
            await self._sio.emit("server:draining", {"reconnect_in": delay}, to=sid)
        try:
            await asyncio.wait_for(self._idle.wait(), timeout / 2)
        except asyncio.TimeoutError:
            log.warning("drain_inflight_timeout inflight=%d", self._inflight)
        closing = [asyncio.create_task(self._sio.disconnect(sid)) for sid in sids]
        if closing:
            await asyncio.wait(closing, timeout=timeout / 2)
        log.info("drained connections=%d", len(sids))
