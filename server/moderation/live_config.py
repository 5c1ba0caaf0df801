"""What administrators change live, cached per process: compiled watched-word rules and crisis resources.

Every change bumps a counter row (config_versions) in its own transaction. Each process reads the
counters at most once per `max_age` seconds, on the send path and from a background tick, and reloads
only what moved, so a change reaches every process within a second without Redis. (Redis pub/sub
could replace the poll; the counters would still be the truth after a missed message.) Four counters
carry no configuration: `staff` (an account closed or changed), `kicks` (someone removed from a room) and
`rooms` (a room's age band changed) tell every process to look for connections of its own to close or
take out of a room (server/jobs.py); `pushes` tells it the command line queued pushes for connected
clients (server/pushes.py).
"""
from __future__ import annotations

import asyncio
import logging
import math
from typing import TYPE_CHECKING, Iterable

from ..storage.admin import ConfigVersionStore, CrisisResourceStore, WatchedWordStore
from ..storage.admin_models import CrisisResourceRow, WatchedWord
from ..storage.database import Database
from .resource_book import DEFAULT_BOOK, CustomResource, ResourceBook
from .resources import CrisisResource, ResourceKind
from .watched import EMPTY_MATCHER, RuleAction, RuleKind, WatchedMatcher, WatchedRule, WatchedRules

if TYPE_CHECKING:
    from ..services import Services

log = logging.getLogger("peerchat.live_config")

WATCHED_WORDS = "watched_words"
CRISIS_RESOURCES = "crisis_resources"
STAFF = "staff"
KICKS = "kicks"
ROOMS = "rooms"
PUSHES = "pushes"


class LiveConfig:
    def __init__(self, max_age: float = 1.0) -> None:
        self.max_age = max_age
        self.matcher: WatchedMatcher = EMPTY_MATCHER
        self.book: ResourceBook = DEFAULT_BOOK
        self.versions: dict[str, int] = {}
        self._checked_at = -math.inf
        self._moved: set[str] = set()
        self._lock = asyncio.Lock()
        self._views: dict[str | None, WatchedRules] = {}

    def watched_for(self, room_id: str) -> WatchedRules:
        view = self._views.get(room_id)
        if view is None or view.matcher is not self.matcher:
            view = self._views[room_id] = WatchedRules(self.matcher, room_id)
        return view

    def take_moved(self) -> set[str]:
        """The counters that moved since the last call, whichever look saw them (the send path looks too)."""
        moved, self._moved = self._moved, set()
        return moved

    def put_back(self, names: Iterable[str]) -> None:
        """Counters whose work failed: the next take_moved returns them again."""
        self._moved.update(names)

    async def refresh(self, db: Database, now: float, *, force: bool = False) -> None:
        """Reload what changed since the last look."""
        if not force and now - self._checked_at < self.max_age:
            return
        async with self._lock:
            if not force and now - self._checked_at < self.max_age:
                return
            self._checked_at = now
            async with db.read() as session:
                versions = await ConfigVersionStore(session).all()
                changed = {name for name, version in versions.items() if self.versions.get(name) != version}
                if WATCHED_WORDS in changed:
                    rules = [_rule(row) for row in await WatchedWordStore(session).all()]
                if CRISIS_RESOURCES in changed:
                    custom = [_resource(row) for row in await CrisisResourceStore(session).all()]
            if WATCHED_WORDS in changed:
                # Compiling thousands of rules takes a moment: off the event loop.
                self.matcher = await asyncio.to_thread(WatchedMatcher, tuple(rules), versions[WATCHED_WORDS])
                log.info("watched_words_loaded version=%d rules=%d", versions[WATCHED_WORDS], len(rules))
            if CRISIS_RESOURCES in changed:
                self.book = ResourceBook(custom)
                log.info("crisis_resources_loaded version=%d entries=%d", versions[CRISIS_RESOURCES], len(custom))
            self.versions = versions
            self._moved |= changed


async def reload_now(svc: Services) -> None:
    """After a change commits: this process reloads at once instead of at its next look."""
    await svc.live.refresh(svc.db, svc.clock.now(), force=True)


def _rule(row: WatchedWord) -> WatchedRule:
    return WatchedRule(id=row.id, kind=RuleKind(row.kind), text=row.text, action=RuleAction(row.action),
                       room_id=row.room_id, mute_minutes=row.mute_minutes)


def _resource(row: CrisisResourceRow) -> CustomResource:
    resource = CrisisResource(row.name, row.phone, row.text, row.url, row.hours, ResourceKind(row.kind))
    return CustomResource(row.region, resource, row.hidden)
