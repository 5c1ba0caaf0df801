"""Who is in which room on this process, per connection, so several tabs count as one person."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace

from ..identity.principal import Principal


@dataclass(frozen=True, slots=True)
class Present:
    """One person in one room: how they joined, which agreement they accepted, since when."""

    principal: Principal
    mode: str
    agreement_version: int
    member_since: float
    here_since: float

    def public(self) -> dict[str, str]:
        return {**self.principal.public(), "mode": self.mode}


class Presence:
    def __init__(self) -> None:
        self._rooms: dict[str, dict[str, set[str]]] = defaultdict(dict)
        self._who: dict[tuple[str, str], Present] = {}
        self._sid_rooms: dict[str, set[str]] = defaultdict(set)
        self._slugs: dict[str, str] = {}

    def add(self, room_id: str, slug: str, sid: str, present: Present) -> bool:
        """Record the connection; True when this is the person's first connection in the room."""
        principal = present.principal
        self._slugs[room_id] = slug
        users = self._rooms[room_id]
        first = principal.user_id not in users
        users.setdefault(principal.user_id, set()).add(sid)
        previous = self._who.get((room_id, principal.user_id))
        if previous is not None:
            present = replace(present, here_since=previous.here_since)
        self._who[(room_id, principal.user_id)] = present
        self._sid_rooms[sid].add(room_id)
        return first

    def remove(self, room_id: str, user_id: str, sid: str) -> Present | None:
        """Forget the connection; returns who left when it was the person's last one in the room."""
        self._sid_rooms.get(sid, set()).discard(room_id)
        users = self._rooms.get(room_id)
        if not users or user_id not in users:
            return None
        users[user_id].discard(sid)
        if users[user_id]:
            return None
        del users[user_id]
        if not users:
            del self._rooms[room_id]
        return self._who.pop((room_id, user_id), None)

    def slug_of(self, room_id: str) -> str:
        return self._slugs.get(room_id, "")

    def rooms_of(self, sid: str) -> set[str]:
        return set(self._sid_rooms.get(sid, ()))

    def forget_sid(self, sid: str) -> None:
        self._sid_rooms.pop(sid, None)

    def is_in(self, room_id: str, user_id: str, sid: str) -> bool:
        return sid in self._rooms.get(room_id, {}).get(user_id, ())

    def get(self, room_id: str, user_id: str) -> Present | None:
        return self._who.get((room_id, user_id))

    def anywhere(self, room_id: str, user_id: str) -> bool:
        """In the room on any process (SharedPresence adds the others; alone, this process is all there is)."""
        return (room_id, user_id) in self._who

    def sids_of(self, room_id: str, user_id: str) -> set[str]:
        return set(self._rooms.get(room_id, {}).get(user_id, ()))

    def local_rooms(self) -> int:
        """Rooms with a connection on this process (a metrics figure)."""
        return len(self._rooms)

    def count(self, room_id: str) -> int:
        return len(self._rooms.get(room_id, ()))

    def members(self, room_id: str) -> list[Present]:
        return [self._who[(room_id, uid)] for uid in self._rooms.get(room_id, {})]

    def local_members(self) -> list[tuple[str, Present]]:
        """(room id, who) for everyone in a room through a connection of this process."""
        return [(room_id, present) for (room_id, _user_id), present in self._who.items()]
