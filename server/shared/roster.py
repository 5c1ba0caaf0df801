"""Presence and online users across processes, behind the in-process classes' interfaces.

Each process stays authoritative for its own connections (the parent classes); the Mirror publishes
them and caches the other processes' entries, so counts, member lists and pseudonym checks see the
whole deployment. With Redis down they fall back to what this process knows.
"""
from __future__ import annotations

import orjson

from ..identity.online import OnlineUsers
from ..identity.principal import Principal
from ..identity.pseudonyms import pseudonym_key
from ..identity.roles import Role
from ..rooms.presence import Present, Presence
from .link import RedisLink
from .mirror import Mirror

ONLINE_GROUP = "all"


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


class SharedOnline(OnlineUsers):
    def __init__(self, link: RedisLink) -> None:
        super().__init__()
        self.mirror = Mirror(link, "online", self._local_value, self._local_items)

    def _local_value(self, _group: str, key: str) -> str | None:
        return self._keys.get(key)

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
        return remote[0] if remote else None

    def anywhere(self, user_id: str) -> bool:
        return super().anywhere(user_id) or any(user_id in values
                                                for values in self.mirror.remote(ONLINE_GROUP).values())
