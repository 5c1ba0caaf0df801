"""What services need from the real-time layer, without importing it: topics, publish, subscribe.

Topics are strings such as "room:<id>" and "user:<id>"; realtime/ maps them onto Socket.IO rooms.
"""
from __future__ import annotations

from typing import Any, Protocol


def room_topic(room_id: str) -> str:
    return f"room:{room_id}"


def user_topic(user_id: str) -> str:
    return f"user:{user_id}"


class Broadcaster(Protocol):
    async def publish(self, topic: str, event: str, payload: dict[str, Any], *,
                      skip_sid: str | None = None) -> None:
        """Send an event to every connection subscribed to the topic, on every process."""

    async def subscribe(self, sid: str, topic: str) -> None:
        """Add one connection of this process to a topic."""

    async def unsubscribe(self, sid: str, topic: str) -> None:
        """Remove one connection of this process from a topic."""

    async def disconnect_topic(self, topic: str) -> None:
        """Close this process's connections subscribed to a topic (a ban, a role change)."""
