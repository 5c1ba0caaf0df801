"""Roles and the pure permission checks every service asks before acting."""
from __future__ import annotations

from enum import StrEnum

from ..errors import DomainError, ErrorCode


class Role(StrEnum):
    PEER = "peer"
    FACILITATOR = "facilitator"
    MODERATOR = "moderator"
    ADMIN = "admin"

    @property
    def level(self) -> int:
        return _LEVELS[self]

    @property
    def is_staff(self) -> bool:
        return self is not Role.PEER


class AgeBand(StrEnum):
    """Which peers someone chats with: teen rooms and adult rooms never mix; rooms for older adults (60 and
    over) are theirs alone, while they keep every adult room too (rooms/age_bands.py)."""

    ADULTS = "adults"
    TEENS = "teens"
    OLDER = "older"  # fits the String(8) age_band columns


def check_age_band(raw: object, field: str = "age_band") -> AgeBand:
    """A peer's or a room's band, or a refusal that lists the valid ones."""
    try:
        return AgeBand(str(raw))
    except ValueError:
        raise DomainError(ErrorCode.INVALID, f"age_band is one of: {', '.join(AgeBand)}.", field=field) from None


_LEVELS = {Role.PEER: 0, Role.FACILITATOR: 1, Role.MODERATOR: 2, Role.ADMIN: 3}
STAFF_ROLES = (Role.FACILITATOR, Role.MODERATOR, Role.ADMIN)


def can_grant(actor: Role, target_current: Role, new_role: Role) -> bool:
    """Synapse's rule: only act on people below you, and never grant above your own level."""
    return actor.level > target_current.level and actor.level >= new_role.level and actor is Role.ADMIN


def can_moderate(role: Role) -> bool:
    return role in (Role.MODERATOR, Role.ADMIN)
