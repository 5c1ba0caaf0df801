"""Age bands: which rooms each peer sees and joins. Staff see every band.

Teen rooms and adult rooms never see each other's peers. Rooms for older adults (60 and over) are kept for
them: other adults and teens never see them, while older adults keep every adult room too (they are adults,
and the grief or anxiety room is theirs as much as anyone's). A peer chooses a band when their session
starts; rooms:list shows only the rooms of the bands they see, and joining (or staying in) any other room
answers like a room that does not exist, so nobody learns the names of rooms that are not for them.
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


# The rooms' bands each peer's band sees (someone not signed in: adults' rooms only).
SEEN_BY: dict[AgeBand, tuple[AgeBand, ...]] = {
    AgeBand.ADULTS: (AgeBand.ADULTS,),
    AgeBand.TEENS: (AgeBand.TEENS,),
    AgeBand.OLDER: (AgeBand.ADULTS, AgeBand.OLDER),
}


def default_rules(band: AgeBand) -> RoomRules:
    """Older adults' rooms start like adults' ones: the adult defaults already take contact details out,
    which is what guards against the befriending scams that seek older people out (README, Older adults)."""
    return TEEN_DEFAULT_RULES if band is AgeBand.TEENS else RoomRules()


def audience_bands(viewer: Principal | None) -> tuple[AgeBand, ...]:
    """The bands of the rooms this person sees and joins (None: someone not signed in)."""
    if viewer is None:
        return SEEN_BY[AgeBand.ADULTS]
    if viewer.role.is_staff:
        return tuple(AgeBand)
    return SEEN_BY[AgeBand(viewer.age_band)]


def can_see_room(viewer: Principal | None, room: Room) -> bool:
    return room.age_band in audience_bands(viewer)


def check_room_band(actor: Principal | None, room: Room) -> None:
    """Refuse, as for a room that does not exist, one this person's band does not see."""
    if not can_see_room(actor, room):
        raise DomainError(ErrorCode.NOT_FOUND, "That room doesn't exist (or is no longer open).")


def audience_topic(band: str) -> str:
    """Every connection that sees one band's rooms (staff: all; older adults: theirs and adults'): where
    rooms:changed goes."""
    return f"audience:{band}"
