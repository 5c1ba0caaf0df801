"""Running the server process: listen, and on SIGTERM/SIGINT drain (server/realtime/drain.py) before
closing, so a rolling deploy loses no acknowledged message and sheds its clients gradually.
"""
from __future__ import annotations

import asyncio
import logging
import signal

from aiohttp import web

from .http.keys import DRAIN
from .settings import Settings

log = logging.getLogger("peerchat")


async def serve(app: web.Application, settings: Settings) -> None:
    runner = web.AppRunner(app, access_log=None, shutdown_timeout=2.0, handle_signals=False)
    await runner.setup()
    site = web.TCPSite(runner, settings.host, settings.port)
    await site.start()
    log.info("listening %s:%s", settings.host, settings.port)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()
    log.info("shutdown_requested")
    try:
        await asyncio.wait_for(_shutdown(app, runner, settings), settings.shutdown_drain + settings.shutdown_timeout)
    except asyncio.TimeoutError:
        log.error("shutdown_timeout exiting anyway")
    log.info("stopped")


async def _shutdown(app: web.Application, runner: web.AppRunner, settings: Settings) -> None:
    await app[DRAIN].run(drain_delay=settings.shutdown_drain, timeout=settings.shutdown_timeout)
    await runner.cleanup()
