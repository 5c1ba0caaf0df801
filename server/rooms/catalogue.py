"""The topic rooms a fresh installation offers, and the room directory peers browse."""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from ..clock import Clock
from ..storage.database import Database
from ..storage.models import Room
from ..storage.rooms import RoomStore
from ..identity.principal import Principal
from ..moderation.policy import ContactAction
from .age_bands import can_see_room
from .policy import HistoryVisibility, RoomRules
from .presence import Presence
from .sessions.scheduling import next_session_by_room
from .shapes import room_shape

BASE_AGREEMENT = (
    "This is a peer-support group, not therapy or a crisis service. "
    "What is shared here stays here: do not copy, screenshot or repeat it elsewhere. "
    "Use a pseudonym and do not share contact details or other identifying information, yours or anyone's. "
    "Listen without judging, speak from your own experience, and give advice only when it is asked for. "
    "Be kind; no harassment, hate or graphic detail. "
    "If you or someone here may be in danger, use the Get help button: moderators will see it. "
)


@dataclass(frozen=True, slots=True)
class RoomSeed:
    slug: str
    name: str
    description: str
    extra_agreement: str
    listeners_allowed: bool = True
    capacity: int = 50
    rules: RoomRules = RoomRules()


DEFAULT_ROOMS: tuple[RoomSeed, ...] = (
    RoomSeed("check-in", "General check-in",
             "A gentle place to say how today is going, whatever is on your mind.",
             "Keep it light on detail; point people to a topic room for longer conversations.", capacity=100,
             rules=RoomRules(retention_days=2)),
    RoomSeed("anxiety", "Anxiety",
             "For people living with worry, panic or social anxiety, and what helps them through.",
             "Describe symptoms without graphic detail; no medication advice."),
    RoomSeed("depression", "Depression",
             "For people living with low mood and depression, on good days and hard ones.",
             "No medication or dosage advice; share what helps you rather than telling others what to do."),
    RoomSeed("postpartum", "Postpartum & new parents",
             "For parents in pregnancy and the first years: postnatal depression, anxiety, exhaustion.",
             "No judgement about feeding, sleep or parenting choices."),
    RoomSeed("grief", "Grief & loss",
             "For anyone grieving a person, a pregnancy, a pet or a life they expected.",
             "Every loss counts; there is no right way or timeline to grieve."),
    RoomSeed("recovery", "Recovery (addiction)",
             "For people in or considering recovery from alcohol, drugs, gambling or other addictions.",
             "No sourcing, no glorifying use, no detailed descriptions of using; every path to recovery is "
             "respected.", listeners_allowed=False, capacity=30,
             rules=RoomRules(retention_days=7, history=HistoryVisibility.SINCE_JOINED, contact=ContactAction.HOLD)),
    RoomSeed("trauma", "Trauma",
             "For people living with the effects of trauma, recent or long ago, and finding their way through.",
             "Share what you feel and what helps, not the details of what happened; start a hard post with a "
             "content note. Nobody has to explain or prove their experience.",
             rules=RoomRules(retention_days=14, history=HistoryVisibility.SINCE_JOINED)),
    RoomSeed("relationships", "Relationships & divorce",
             "For people going through a break-up, separation or divorce, or a hard time with a partner or family.",
             "Talk about others without names or identifying details; if you are not safe at home, use the Get "
             "help button."),
    RoomSeed("lgbtq", "LGBTQ+",
             "For lesbian, gay, bisexual, trans, queer and questioning people, and anyone exploring.",
             "Use the names and pronouns people give; never out anyone.",
             rules=RoomRules(retention_days=14, history=HistoryVisibility.SINCE_JOINED)),
    RoomSeed("carers", "Carers",
             "For people caring for a family member or friend, for example someone living with dementia.",
             "Talk about the person you care for with respect and without identifying details."),
)


async def do_seed_rooms(db: Database, clock: Clock) -> list[str]:
    """Create the default rooms that are missing; returns the slugs created (idempotent)."""
    async with db.transaction() as tx:
        store = RoomStore(tx.session)
        existing = await store.slugs()
        created = []
        for position, seed in enumerate(DEFAULT_ROOMS):
            if seed.slug in existing:
                continue
            store.add(Room(
                id=uuid.uuid4().hex, slug=seed.slug, name=seed.name, description=seed.description,
                agreement=BASE_AGREEMENT + seed.extra_agreement, agreement_version=1,
                listeners_allowed=seed.listeners_allowed, capacity=seed.capacity, policy=seed.rules.to_json(),
                position=position, last_seq=0, created_at=clock.now()))
            created.append(seed.slug)
    return created


async def list_rooms(db: Database, presence: Presence, viewer: Principal | None, *,
                     now: float) -> list[dict[str, Any]]:
    """The open rooms this person may see: their age band's (older adults: adults' too; adults' without a
    session), staff all."""
    async with db.read() as session:
        rooms = await RoomStore(session).list_open()
    upcoming = await next_session_by_room(db)
    return [{**room_shape(room, online=presence.count(room.id), now=now), "next_session": upcoming.get(room.id)}
            for room in rooms if can_see_room(viewer, room)]
