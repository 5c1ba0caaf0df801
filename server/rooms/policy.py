"""A room's confidentiality rules: what is kept, for how long, who sees it. One value, read from the room row.

The moderation part (contact details, profanity) is handed to the pipeline as a moderation RoomPolicy.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from enum import StrEnum
from typing import Any, Mapping

from ..errors import DomainError, ErrorCode
from ..moderation.policy import ContactAction, ProfanityAction, RoomPolicy
from ..moderation.watched import NO_WATCHED, WatchedRules

MAX_RETENTION_DAYS = 3650


class HistoryVisibility(StrEnum):
    ALL = "all"
    SINCE_JOINED = "since_joined"
    NONE = "none"


class HeldOriginals(StrEnum):
    MODERATORS = "moderators"
    ADMINS = "admins"


@dataclass(frozen=True, slots=True)
class RoomRules:
    retention_days: int = 30
    history: HistoryVisibility = HistoryVisibility.ALL
    contact: ContactAction = ContactAction.REDACT
    profanity: ProfanityAction = ProfanityAction.MASK
    held_originals: HeldOriginals = HeldOriginals.MODERATORS

    @property
    def stores_messages(self) -> bool:
        return self.retention_days > 0

    def moderation(self, locale: str, watched: WatchedRules = NO_WATCHED) -> RoomPolicy:
        """The pipeline's part; the locale decides which national phone formats are recognised."""
        return RoomPolicy(profanity=self.profanity, contact=self.contact, locale=locale, watched=watched)

    def to_json(self) -> dict[str, Any]:
        return {k: (v.value if isinstance(v, StrEnum) else v) for k, v in asdict(self).items()}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> RoomRules:
        """Stored rules; unknown or missing keys fall back to defaults so old rows keep working."""
        return cls().updated(data, strict=False)

    def updated(self, changes: Mapping[str, Any], *, strict: bool = True) -> RoomRules:
        """Apply changes from an admin; with strict, unknown keys and bad values are refused."""
        fields: dict[str, Any] = {}
        for key, raw in changes.items():
            if key not in _PARSERS:
                if strict:
                    raise DomainError(ErrorCode.INVALID, f"Unknown policy field: {str(key)[:40]}.", field=str(key)[:40])
                continue
            try:
                fields[key] = _PARSERS[key](raw)
            except (ValueError, TypeError):
                if strict:
                    raise DomainError(ErrorCode.INVALID, _HELP[key], field=key) from None
        return replace(self, **fields)


def _retention(raw: Any) -> int:
    if isinstance(raw, bool) or not isinstance(raw, int) or not 0 <= raw <= MAX_RETENTION_DAYS:
        raise ValueError(raw)
    return raw


_PARSERS = {
    "retention_days": _retention,
    "history": HistoryVisibility,
    "contact": ContactAction,
    "profanity": ProfanityAction,
    "held_originals": HeldOriginals,
}

_HELP = {
    "retention_days": f"retention_days is a whole number of days from 0 (never stored) to {MAX_RETENTION_DAYS}.",
    "history": "history is one of: all, since_joined, none.",
    "contact": "contact is one of: redact, hold, allow.",
    "profanity": "profanity is one of: mask, block.",
    "held_originals": "held_originals is one of: moderators, admins.",
}
