"""The one namespace: authenticates connects and wraps every event (allow-list, rate limit, payload,
domain error -> ack, unexpected error -> `internal` ack with a correlation id). Handlers stay thin.
"""
from __future__ import annotations

import asyncio
import logging
import time
import uuid
from typing import Any

import socketio

from .. import metrics
from ..broadcast import user_topic
from ..errors import DomainError, ErrorCode
from ..identity.accounts import get_principal
from ..identity.principal import Principal
from ..rooms.age_bands import audience_bands, audience_topic
from ..rooms.membership import do_leave_all
from ..services import Services
from . import mod_events  # noqa: F401  (registers the moderation events)
from . import session_events  # noqa: F401  (registers the session events)
from . import resume  # noqa: F401  (registers room:resume)
from .drain import Drain
from .events import EVENTS, Call, EventSpec, Refusal
from .payloads import Payload

log = logging.getLogger("peerchat.gateway")


class Gateway(socketio.AsyncNamespace):
    def __init__(self, services: Services, drain: Drain) -> None:
        super().__init__("/")
        self.svc = services
        self.drain = drain
        self.connections: dict[str, Principal] = {}
        self._closing: set[asyncio.Task[None]] = set()

    async def trigger_event(self, event: str, *args: Any) -> Any:
        sid = args[0]
        # A client may emit events named "connect" or "disconnect"; python-socketio only delivers client
        # events for fully connected sids, while the real lifecycle events arrive for pending ones.
        lifecycle = not self.server.manager.is_connected(sid, self.namespace)
        if event == "connect" and lifecycle:
            return await self._connect(sid, args[2] if len(args) > 2 else None)
        if event == "disconnect" and lifecycle:
            return await self._disconnect(sid)
        return await self._dispatch(event, sid, args[1:])

    async def _connect(self, sid: str, auth: Any) -> bool:
        auth = auth if isinstance(auth, dict) else {}
        if self.drain.draining:
            raise socketio.exceptions.ConnectionRefusedError(
                "This server is restarting. Please connect again.", {"code": ErrorCode.UNAVAILABLE.value,
                                                                     "retry_after": 2})
        try:
            principal = await get_principal(self.svc, auth.get("token"), auth.get("locale"))
        except DomainError as error:
            log.info("connect_refused code=%s", error.code.value)
            raise socketio.exceptions.ConnectionRefusedError(error.message, {"code": error.code.value}) from None
        limit = self.svc.settings.max_connections_per_user
        if self.svc.online.connections_everywhere(principal) >= limit:
            # One person's tabs and devices on every process (with Redis down, on this one): bounds what
            # one token can hold open.
            log.info("connect_refused code=rate_limited user=%s connections=%d", principal.user_id, limit)
            raise socketio.exceptions.ConnectionRefusedError(
                f"You already have {limit} connections open (tabs or devices). Close one, then try again.",
                {"code": ErrorCode.RATE_LIMITED.value, "retry_after": 5})
        self.connections[sid] = principal
        metrics.CONNECTIONS.inc()
        self.svc.online.add(principal, sid)
        self.svc.moderation.connected(principal.user_id)
        await self.svc.broadcaster.subscribe(sid, user_topic(principal.user_id))
        for band in audience_bands(principal):
            await self.svc.broadcaster.subscribe(sid, audience_topic(band))
        log.info("connected user=%s role=%s", principal.user_id, principal.role.value)
        return True

    async def _disconnect(self, sid: str) -> None:
        principal = self.connections.pop(sid, None)
        if principal is None:
            return
        metrics.CONNECTIONS.dec()
        self.svc.online.remove(principal, sid)
        self.svc.moderation.disconnected(sid, principal.user_id, now=self.svc.clock.now(),
                                         connections_left=self.svc.online.connection_count(principal.user_id))
        try:
            with self.drain.track():  # it still writes to the database, so shutdown waits for it
                await do_leave_all(self.svc, actor=principal, sid=sid)
        except Exception:
            log.exception("disconnect_cleanup_failed user=%s", principal.user_id)

    async def _dispatch(self, event: Any, sid: str, args: tuple[Any, ...]) -> dict[str, Any]:
        if event != "message:send":
            with self.drain.track():
                return await self._answer(event, sid, args)
        metrics.MESSAGES_IN.inc()
        started = time.perf_counter()
        with self.drain.track():
            reply = await self._answer(event, sid, args)
        metrics.PIPELINE_SECONDS.observe(time.perf_counter() - started)
        return reply

    async def _answer(self, event: Any, sid: str, args: tuple[Any, ...]) -> dict[str, Any]:
        principal = self.connections.get(sid)
        spec = EVENTS.get(event) if isinstance(event, str) else None
        try:
            if principal is None:
                raise DomainError(ErrorCode.UNAUTHORIZED, "Please sign in again.")
            if spec is None:
                raise DomainError(ErrorCode.UNKNOWN_EVENT, "That event doesn't exist.")
            result = await self._run(spec, principal, sid, args)
        except DomainError as error:
            return {"ok": False, **error.to_dict()}
        except Exception:
            correlation_id = uuid.uuid4().hex[:12]
            log.exception("handler_failed event=%s correlation_id=%s", str(event)[:40], correlation_id)
            return {"ok": False, "error": {"code": ErrorCode.INTERNAL.value, "correlation_id": correlation_id,
                                           "message": "Something went wrong on our side. Please try again."}}
        if spec.ends_connection:
            self._close_after_ack(sid)
        return {"ok": True, **(result or {})}

    async def _run(self, spec: EventSpec, principal: Principal, sid: str,
                   args: tuple[Any, ...]) -> dict[str, Any] | None:
        """Rate limit, parse, handle; an event with `on_refusal` has its say on any refusal first, so the rate
        limit's metric counts only what stayed refused (a crisis message sent anyway over it is not)."""
        async def go_ahead() -> dict[str, Any] | None:
            return await spec.handler(Call(self.svc, principal, sid, Payload.parse(args, spec.fields)))

        async def refused(error: DomainError) -> dict[str, Any] | None:
            if spec.on_refusal is None:
                raise error
            return await spec.on_refusal(Refusal(self.svc, principal, sid, args, error, go_ahead))
        try:
            await self._rate_limit(spec, principal)
        except DomainError as limited:
            try:
                return await refused(limited)
            except DomainError as final:
                if final.code is ErrorCode.RATE_LIMITED:
                    metrics.RATE_LIMITED.labels(action=spec.limit).inc()
                raise
        try:
            return await go_ahead()
        except DomainError as error:
            return await refused(error)

    def _close_after_ack(self, sid: str) -> None:
        """The ack is queued before this task first runs, so the client reads its answer, then the close."""
        task = asyncio.get_running_loop().create_task(self.server.disconnect(sid))
        self._closing.add(task)
        task.add_done_callback(self._closing.discard)

    async def _rate_limit(self, spec: EventSpec, principal: Principal) -> None:
        if spec.limit is None:
            return
        limit = getattr(self.svc.settings.rate_limits, spec.limit)
        await self.svc.limiter.take(spec.limit, principal.user_id, limit)
