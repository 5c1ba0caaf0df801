"""Presence, online users and the moderators watching the queue across processes, behind the in-process
classes' interfaces.

Each process stays authoritative for its own connections (the parent classes); the Mirror publishes
them and caches the other processes' entries, so counts, member lists, pseudonym checks, the per-person
connection cap and "is a moderator online" see the whole deployment. With Redis down they fall back to
what this process knows, and say so where a guess would mislead (SharedModeration.sees_everyone).
"""
from __future__ import annotations

import orjson

from ..identity.online import OnlineUsers
from ..identity.principal import Principal
from ..identity.pseudonyms import pseudonym_key
from ..identity.roles import Role
from ..moderation.state import ModerationState
from ..rooms.presence import Present, Presence
from .link import RedisLink
from .mirror import Mirror

ONLINE_GROUP = "all"
MODERATORS_GROUP = "all"


def _present(value: str) -> Present:
    """Someone connected to another process: only their public face travels (member lists and counts);
    what they accepted and when they arrived is checked by their own process."""
    data = orjson.loads(value)
    return Present(Principal(user_id=data["id"], role=Role(data["role"]), pseudonym=data["pseudonym"]),
                   data["mode"], agreement_version=0, member_since=0.0, here_since=0.0)


class SharedPresence(Presence):
    def __init__(self, link: RedisLink) -> None:
        super().__init__()
        self.mirror = Mirror(link, "presence", self._local_value, self._local_items)

    def _local_value(self, room_id: str, user_id: str) -> str | None:
        present = self._who.get((room_id, user_id))
        return orjson.dumps(present.public()).decode() if present is not None else None

    def _local_items(self) -> list[tuple[str, str]]:
        return list(self._who)

    def add(self, room_id: str, slug: str, sid: str, present: Present) -> bool:
        first = super().add(room_id, slug, sid, present)
        user_id = present.principal.user_id
        self.mirror.touch(room_id, user_id)
        return first and user_id not in self.mirror.remote(room_id)

    def remove(self, room_id: str, user_id: str, sid: str) -> Present | None:
        gone = super().remove(room_id, user_id, sid)
        if gone is None:
            return None
        self.mirror.touch(room_id, user_id)
        return None if user_id in self.mirror.remote(room_id) else gone

    def anywhere(self, room_id: str, user_id: str) -> bool:
        return super().anywhere(room_id, user_id) or user_id in self.mirror.remote(room_id)

    def count(self, room_id: str) -> int:
        local = self._rooms.get(room_id, {})
        return len(local) + sum(1 for uid in self.mirror.remote(room_id) if uid not in local)

    def members(self, room_id: str) -> list[Present]:
        local = super().members(room_id)
        here = {p.principal.user_id for p in local}
        return local + [_present(values[0]) for uid, values in self.mirror.remote(room_id).items()
                        if uid not in here]


def _holder(value: str) -> tuple[str, int]:
    """An online entry: the user id holding the pseudonym, and how many connections they hold there."""
    user_id, _, count = value.partition(" ")
    return user_id, int(count or 1)


class SharedOnline(OnlineUsers):
    def __init__(self, link: RedisLink) -> None:
        super().__init__()
        self.mirror = Mirror(link, "online", self._local_value, self._local_items)

    def _local_value(self, _group: str, key: str) -> str | None:
        user_id = self._keys.get(key)
        return None if user_id is None else f"{user_id} {self.connection_count(user_id)}"

    def _local_items(self) -> list[tuple[str, str]]:
        return [(ONLINE_GROUP, key) for key in self._keys]

    def add(self, principal: Principal, sid: str) -> None:
        super().add(principal, sid)
        self.mirror.touch(ONLINE_GROUP, pseudonym_key(principal.pseudonym))

    def remove(self, principal: Principal, sid: str) -> None:
        super().remove(principal, sid)
        self.mirror.touch(ONLINE_GROUP, pseudonym_key(principal.pseudonym))

    def holder_of(self, pseudonym: str) -> str | None:
        local = super().holder_of(pseudonym)
        if local is not None:
            return local
        remote = self.mirror.remote(ONLINE_GROUP).get(pseudonym_key(pseudonym))
        return _holder(remote[0])[0] if remote else None

    def anywhere(self, user_id: str) -> bool:
        return super().anywhere(user_id) or any(_holder(value)[0] == user_id
                                                for values in self.mirror.remote(ONLINE_GROUP).values()
                                                for value in values)

    def connections_everywhere(self, principal: Principal) -> int:
        remote = self.mirror.remote(ONLINE_GROUP).get(pseudonym_key(principal.pseudonym), [])
        return self.connection_count(principal.user_id) + sum(
            count for user_id, count in map(_holder, remote) if user_id == principal.user_id)


class SharedModeration(ModerationState):
    """Who watches the review queue, deployment-wide: each process mirrors the moderators subscribed on it."""

    def __init__(self, link: RedisLink) -> None:
        super().__init__()
        self.link = link
        self.mirror = Mirror(link, "moderators", self._local_value, self._local_items)

    def _local_value(self, _group: str, user_id: str) -> str | None:
        return "1" if user_id in self.subscribers.values() else None

    def _local_items(self) -> list[tuple[str, str]]:
        return [(MODERATORS_GROUP, user_id) for user_id in set(self.subscribers.values())]

    def subscribe(self, sid: str, user_id: str) -> None:
        super().subscribe(sid, user_id)
        self.mirror.touch(MODERATORS_GROUP, user_id)

    def unsubscribe(self, sid: str) -> str | None:
        user_id = super().unsubscribe(sid)
        if user_id is not None:
            self.mirror.touch(MODERATORS_GROUP, user_id)
        return user_id

    def moderators_online(self) -> int:
        return len(set(self.subscribers.values()) | self.mirror.remote(MODERATORS_GROUP).keys())

    def watching(self, user_ids: list[str]) -> set[str]:
        return super().watching(user_ids) | (set(user_ids) & self.mirror.remote(MODERATORS_GROUP).keys())

    def sees_everyone(self) -> bool:
        return self.link.settled()
