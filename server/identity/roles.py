"""Roles and the pure permission checks every service asks before acting."""
from __future__ import annotations

from enum import StrEnum


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
    """Which peers someone chats with: teen rooms and adult rooms never mix."""

    ADULTS = "adults"
    TEENS = "teens"


_LEVELS = {Role.PEER: 0, Role.FACILITATOR: 1, Role.MODERATOR: 2, Role.ADMIN: 3}
STAFF_ROLES = (Role.FACILITATOR, Role.MODERATOR, Role.ADMIN)


def can_grant(actor: Role, target_current: Role, new_role: Role) -> bool:
    """Synapse's rule: only act on people below you, and never grant above your own level."""
    return actor.level > target_current.level and actor.level >= new_role.level and actor is Role.ADMIN


def can_moderate(role: Role) -> bool:
    return role in (Role.MODERATOR, Role.ADMIN)
