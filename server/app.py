"""create_app(settings) -> aiohttp Application. Wiring only: one cleanup context per resource."""
from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import AsyncIterator

from aiohttp import web

from .background import periodic
from .clock import Clock, SystemClock
from .http import admin_rooms, admin_rules, api, health, metrics, moderation, rooms, sessions
from .http.errors import error_middleware
from .http.keys import DRAIN, REDIS_LINK, SERVICES, SETTINGS
from .http.static import add_static_routes
from .logs import quiet_data_loggers
from .identity.staff import do_refresh_live_config
from .identity.tokens import TokenSigner
from .moderation.escalation import run_escalation_tick
from .realtime.backlog import watch_backlogs
from .realtime.broadcaster import SocketBroadcaster
from .realtime.drain import Drain
from .realtime.gateway import Gateway
from .realtime.sockets import build_socket_server
from .rooms.retention import do_purge_expired
from .rooms.sessions.lifecycle import run_session_tick
from .services import Services
from .settings import Settings
from .shared.state import build_shared_state
from .storage.database import Database
from .storage.schema import check_schema

log = logging.getLogger("peerchat.app")

HTTP_BODY_LIMIT = 64 * 1024


def create_app(settings: Settings, clock: Clock | None = None) -> web.Application:
    clock = clock or SystemClock()
    quiet_data_loggers()
    app = web.Application(middlewares=[error_middleware], client_max_size=HTTP_BODY_LIMIT)
    app[SETTINGS] = settings
    sio = build_socket_server(settings)
    sio.attach(app)
    app[DRAIN] = drain = Drain(sio)

    async def services_ctx(app: web.Application) -> AsyncIterator[None]:
        db = Database.from_url(settings.database_url)
        try:
            await check_schema(db.engine)
        except Exception:
            await db.close()
            raise
        shared = build_shared_state(settings, clock)
        await shared.start()
        if shared.link is not None:
            app[REDIS_LINK] = shared.link
        services = Services(settings=settings, clock=clock, db=db, broadcaster=SocketBroadcaster(sio),
                            signer=TokenSigner(settings.secret_key, clock), limiter=shared.limiter,
                            online=shared.online, presence=shared.presence)
        app[SERVICES] = services
        sio.register_namespace(Gateway(services, drain))
        watchdog = asyncio.create_task(watch_backlogs(sio, settings.max_backlog))
        if settings.secret_key_generated:
            log.warning("secret_key_generated tokens will not survive a restart; set PEERCHAT_SECRET_KEY")
        yield
        watchdog.cancel()
        await asyncio.gather(watchdog, return_exceptions=True)
        await sio.shutdown()
        await shared.stop()
        await db.close()

    async def jobs_ctx(app: web.Application) -> AsyncIterator[None]:
        """Background jobs, in every process: each is safe to run more than once (conditional updates)."""
        svc = app[SERVICES]
        async with contextlib.AsyncExitStack() as jobs:
            await jobs.enter_async_context(periodic("retention_purge", settings.purge_interval,
                                                    lambda: do_purge_expired(svc.db, svc.clock,
                                                                             settings.moderation_retention_days)))
            await jobs.enter_async_context(periodic("live_config", svc.live.max_age,
                                                    lambda: do_refresh_live_config(svc)))
            await jobs.enter_async_context(periodic("review_escalation", settings.review_tick,
                                                    lambda: run_escalation_tick(svc)))
            if settings.session_tick_seconds:
                await jobs.enter_async_context(periodic("session_transitions", settings.session_tick_seconds,
                                                        lambda: run_session_tick(svc)))
            yield

    app.cleanup_ctx.append(services_ctx)
    app.cleanup_ctx.append(jobs_ctx)
    app.add_routes(api.routes)
    app.add_routes(moderation.routes)
    app.add_routes(sessions.routes)
    app.add_routes(health.routes)
    app.add_routes(rooms.routes)
    app.add_routes(admin_rooms.routes)
    app.add_routes(admin_rules.routes)
    app.add_routes(metrics.routes)
    add_static_routes(app, settings.web_dir)
    return app
