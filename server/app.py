"""create_app(settings) -> aiohttp Application. Wiring only: one cleanup context per resource."""
from __future__ import annotations

import asyncio
import logging
from typing import AsyncIterator

from aiohttp import web

from .clock import Clock, SystemClock
from .http import admin_rooms, admin_rules, api, health, metrics, moderation, rooms, sessions
from .http.errors import error_middleware
from .http.keys import DRAIN, REDIS_LINK, SERVICES, SETTINGS
from .http.static import add_static_routes
from .jobs import run_jobs
from .logs import quiet_data_loggers
from .identity.tokens import TokenSigner
from .realtime.backlog import watch_backlogs
from .realtime.broadcaster import SocketBroadcaster
from .realtime.drain import Drain
from .realtime.gateway import Gateway
from .realtime.sockets import build_socket_server
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
                            online=shared.online, presence=shared.presence, moderation=shared.moderation)
        app[SERVICES] = services
        sio.register_namespace(Gateway(services, drain))
        watchdog = asyncio.create_task(watch_backlogs(sio, settings.max_backlog))
        if settings.secret_key_generated:
            log.warning("secret_key_generated tokens will not survive a restart; set PEERCHAT_SECRET_KEY")
        if settings.redis_without_password:
            log.warning("redis_without_password set a password (requirepass) and put it in PEERCHAT_REDIS_URL")
        yield
        watchdog.cancel()
        await asyncio.gather(watchdog, return_exceptions=True)
        await sio.shutdown()
        await drain.settle(settings.shutdown_timeout)
        await shared.stop()
        await db.close()

    async def jobs_ctx(app: web.Application) -> AsyncIterator[None]:
        async with run_jobs(app[SERVICES], app.get(REDIS_LINK)):
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
