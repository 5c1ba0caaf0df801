"""The moderation part of a room's rules, and what the pipeline knows about the sender."""
from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Mapping

from .watched import NO_WATCHED, WatchedRules


class ProfanityAction(StrEnum):
    MASK = "mask"
    BLOCK = "block"


class ContactAction(StrEnum):
    REDACT = "redact"
    HOLD = "hold"
    ALLOW = "allow"


@dataclass(frozen=True, slots=True)
class RoomPolicy:
    profanity: ProfanityAction = ProfanityAction.MASK
    contact: ContactAction = ContactAction.REDACT
    locale: str = "en-US"
    # The community's watched-word rules for this room, compiled by the server (watched.py).
    watched: WatchedRules = NO_WATCHED

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> RoomPolicy:
        """Build from stored JSON, ignoring keys that belong to other parts of the room's rules."""
        default = cls()
        return cls(
            profanity=ProfanityAction(data.get("profanity", default.profanity)),
            contact=ContactAction(data.get("contact", default.contact)),
            locale=str(data.get("locale", default.locale)),
        )


@dataclass(frozen=True, slots=True)
class RecentMessage:
    """One of the sender's own recent messages, for flood and duplicate detection."""

    text: str
    sent_at: float


@dataclass(frozen=True, slots=True)
class SenderContext:
    now: float = 0.0
    recent: tuple[RecentMessage, ...] = field(default=())
