"""Age bands: teen rooms and adult rooms never see each other's peers. Staff see both.

A peer chooses a band when their session starts; rooms:list shows only rooms of that band, and joining
(or staying in) a room of the other band answers like a room that does not exist, so teen peers
cannot even learn adult rooms' names and the other way round.
"""
from __future__ import annotations

from ..errors import DomainError, ErrorCode
from ..identity.principal import Principal
from ..identity.roles import AgeBand
from ..moderation.policy import ContactAction, ProfanityAction
from ..storage.models import Room
from .policy import HistoryVisibility, RoomRules


# Stricter defaults for teen rooms: strong language blocked, contact details held for a moderator,
# newcomers see nothing from before they joined, and a shorter memory.
TEEN_DEFAULT_RULES = RoomRules(retention_days=7, history=HistoryVisibility.SINCE_JOINED,
                               contact=ContactAction.HOLD, profanity=ProfanityAction.BLOCK)


def check_age_band(raw: object, field: str = "age_band") -> AgeBand:
    try:
        return AgeBand(str(raw))
    except ValueError:
        raise DomainError(ErrorCode.INVALID, "age_band is one of: adults, teens.", field=field) from None


def default_rules(band: AgeBand) -> RoomRules:
    return TEEN_DEFAULT_RULES if band is AgeBand.TEENS else RoomRules()


def can_see_room(viewer: Principal | None, room: Room) -> bool:
    if viewer is None:
        return room.age_band == AgeBand.ADULTS
    return viewer.role.is_staff or room.age_band == viewer.age_band


def check_room_band(actor: Principal | None, room: Room) -> None:
    """Refuse, as for a room that does not exist, one of the other band (anonymous callers: adults')."""
    if not can_see_room(actor, room):
        raise DomainError(ErrorCode.NOT_FOUND, "That room doesn't exist (or is no longer open).")


def audience_bands(principal: Principal) -> tuple[AgeBand, ...]:
    return tuple(AgeBand) if principal.role.is_staff else (AgeBand(principal.age_band),)


def audience_topic(band: str) -> str:
    """Every connection of one band (staff join both): where rooms:changed goes."""
    return f"audience:{band}"
