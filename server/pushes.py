"""What connected clients are told after an admin change, whether the API or the command line made it.

A push is an async function of (Services, **JSON arguments) that publishes through the broadcaster, which
reaches every process. A server process runs it once the change commits. The command line has no sockets:
it queues the push's name and arguments in the change's own transaction (table queued_pushes) and bumps
the `pushes` live-config counter; at its next one-second look, the first server process to see the counter
move takes every queued push (one DELETE, so each runs once per deployment) and runs it. Both ways run the
same function, so people see the same event, once, whichever way the change was made.
"""
from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any, Awaitable, Callable, TypeVar

from .moderation.live_config import PUSHES
from .storage.admin import ConfigVersionStore, QueuedPushStore
from .storage.database import Transaction

if TYPE_CHECKING:
    from .services import Services

log = logging.getLogger("peerchat.pushes")

Push = Callable[..., Awaitable[None]]
P = TypeVar("P", bound=Push)

# Past this a queued push is dropped unsent: no server took it in time (none was running), and whoever
# connected since read the change when they joined.
MAX_AGE_S = 60.0

_by_name: dict[str, Push] = {}
_names: dict[Push, str] = {}


def queueable(name: str) -> Callable[[P], P]:
    """Register a push under a name that stays the same across versions: the command line queues it by name."""
    def register(push: P) -> P:
        _by_name[name] = push
        _names[push] = name
        return push
    return register


async def push_after_commit(svc: Services, tx: Transaction, push: Push, **args: Any) -> None:
    """Run `push(svc, **args)` once the change in `tx` commits; from the command line, queue it with the
    change for the servers. The arguments must be JSON: ids, slugs and values, never rows."""
    if not svc.queue_pushes:
        tx.after_commit(lambda: push(svc, **args))
        return
    QueuedPushStore(tx.session).add(_names[push], args, svc.clock.now())
    await ConfigVersionStore(tx.session).bump(PUSHES)


async def run_queued_pushes(svc: Services) -> int:
    """Take what the command line queued and send it; returns how many pushes ran here."""
    async with svc.db.transaction() as tx:
        taken = await QueuedPushStore(tx.session).take_all()
    now, ran = svc.clock.now(), 0
    for name, args, queued_at in taken:
        push = _by_name.get(name)
        if push is None or now - queued_at > MAX_AGE_S:
            log.warning("queued_push_dropped name=%s age_s=%.1f known=%s", name, now - queued_at, push is not None)
            continue
        try:
            await push(svc, **args)
        except Exception:  # the others are taken too: one failure must not lose them
            log.exception("queued_push_failed name=%s", name)
        else:
            ran += 1
    if taken:
        log.info("queued_pushes_run taken=%d ran=%d", len(taken), ran)
    return ran
