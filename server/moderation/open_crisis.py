"""Who this process last saw with their own crisis item open (the per-person item of unseen_crisis.py).

A hint, never the answer: it only says whom to ask the database about before a refused text past the
reading budget goes unread. Someone it doesn't name (forgotten, or alerted on another process) is read
like anyone else, so the hint can cost a reading but never miss one.
"""
from __future__ import annotations


class OpenCrisisHints:
    """A bounded, insertion-ordered set of user ids: the oldest go first past `limit`."""

    def __init__(self, limit: int = 10_000) -> None:
        self._users: dict[str, None] = {}
        self._limit = limit

    def saw_open(self, user_id: str) -> None:
        self._users.pop(user_id, None)
        self._users[user_id] = None
        if len(self._users) > self._limit:
            del self._users[next(iter(self._users))]

    def saw_closed(self, user_id: str) -> None:
        self._users.pop(user_id, None)

    def may_be_open(self, user_id: str) -> bool:
        return user_id in self._users
