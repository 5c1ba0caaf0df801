"""Who is connected to this process right now, by user and by pseudonym."""
from __future__ import annotations

from collections import defaultdict

from .principal import Principal
from .pseudonyms import pseudonym_key


class OnlineUsers:
    def __init__(self) -> None:
        self._sids: dict[str, set[str]] = defaultdict(set)
        self._keys: dict[str, str] = {}
        self._principals: dict[str, Principal] = {}

    def add(self, principal: Principal, sid: str) -> None:
        self._sids[principal.user_id].add(sid)
        self._principals[sid] = principal
        self._keys[pseudonym_key(principal.pseudonym)] = principal.user_id

    def remove(self, principal: Principal, sid: str) -> None:
        self._principals.pop(sid, None)
        sids = self._sids.get(principal.user_id)
        if sids is None:
            return
        sids.discard(sid)
        if not sids:
            del self._sids[principal.user_id]
            key = pseudonym_key(principal.pseudonym)
            if self._keys.get(key) == principal.user_id:
                del self._keys[key]

    def holder_of(self, pseudonym: str) -> str | None:
        """The user id of the online person using this pseudonym, if any."""
        return self._keys.get(pseudonym_key(pseudonym))

    def user_ids(self) -> list[str]:
        return list(self._sids)

    def principals(self) -> list[Principal]:
        """Who each connection here acts as: its role and token version as they were when it connected."""
        return list(self._principals.values())

    def anywhere(self, user_id: str) -> bool:
        """Whether this person has a connection on any process of the deployment (here: this one)."""
        return user_id in self._sids

    def connection_count(self, user_id: str) -> int:
        """Connections of this person on this process."""
        return len(self._sids.get(user_id, ()))

    def connections_everywhere(self, principal: Principal) -> int:
        """Connections of this person on every process of the deployment (here: this one)."""
        return self.connection_count(principal.user_id)
