"""Administrators shape the room catalogue: create, edit and archive rooms, live.

Sends, joins and lists read the room row, so a change applies to the very next event on every
process; connected clients are told with room:updated (people in the room) and rooms:changed
(everyone who sees the room's age band, who re-read rooms:list), within a second when the change was
made at the command line (server/pushes.py). An archived room takes no new joins or messages and is
purged by its retention like any other.
"""
from __future__ import annotations

import logging
import re
import uuid
from typing import Any, Mapping

from sqlalchemy import func, select

from ..broadcast import room_topic
from ..clock import iso
from ..errors import DomainError, ErrorCode
from ..identity.principal import Principal
from ..identity.roles import AgeBand, check_age_band
from ..identity.staff import check_admin
from ..moderation.live_config import ROOMS
from ..pushes import push_after_commit, queueable
from ..services import Services
from ..storage.admin import ConfigVersionStore
from ..storage.models import Room
from ..storage.room_moderators import RoomModeratorStore
from ..storage.rooms import RoomStore
from .access import check_room
from .admin_audit import record_admin_change
from .age_bands import audience_topic, default_rules
from .membership import remove_other_band_here
from .moderators import moderator_shape
from .policy import RoomRules
from .policy_changes import MAX_AGREEMENT_CHARS
from .shapes import room_shape

log = logging.getLogger("peerchat.rooms")

SLUG = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,46}[a-z0-9])?$")
MAX_CAPACITY = 1000
EDITABLE = ("name", "description", "agreement", "policy", "capacity", "listeners_allowed", "age_band")


def _text(body: Mapping[str, Any], name: str, low: int, high: int) -> str:
    value = body.get(name)
    if not isinstance(value, str) or not low <= len(value.strip()) <= high:
        what = "can't be empty" if isinstance(value, str) and not value.strip() else f"is {low} to {high} characters"
        raise DomainError(ErrorCode.INVALID, f"The {name} {what}.", field=name)
    return value.strip()


def check_room_changes(body: Mapping[str, Any], *, creating: bool) -> dict[str, Any]:
    """Validated fields for a new or edited room; unknown fields and bad values are refused by name."""
    allowed = (*EDITABLE, "slug") if creating else EDITABLE
    unknown = sorted(str(k)[:40] for k in body if k not in allowed)
    if unknown:
        raise DomainError(ErrorCode.INVALID, f"Unknown room field: {unknown[0]}.", field=unknown[0])
    required = ("slug", "name", "agreement") if creating else ()
    missing = [name for name in required if name not in body]
    if missing:
        raise DomainError(ErrorCode.INVALID, f"A new room needs a {missing[0]}.", field=missing[0])
    fields: dict[str, Any] = {}
    if "slug" in body:
        slug = body["slug"]
        if not isinstance(slug, str) or not SLUG.match(slug):
            raise DomainError(ErrorCode.INVALID, "A slug is 1-48 lowercase letters, digits and inner dashes, "
                              "like 'new-parents'.", field="slug")
        fields["slug"] = slug
    for name, low, high in (("name", 1, 80), ("description", 0, 500), ("agreement", 1, MAX_AGREEMENT_CHARS)):
        if name in body:
            fields[name] = _text(body, name, low, high)
    if "capacity" in body:
        capacity = body["capacity"]
        if isinstance(capacity, bool) or not isinstance(capacity, int) or not 2 <= capacity <= MAX_CAPACITY:
            raise DomainError(ErrorCode.INVALID, f"capacity is a whole number from 2 to {MAX_CAPACITY}.",
                              field="capacity")
        fields["capacity"] = capacity
    if "listeners_allowed" in body:
        if not isinstance(body["listeners_allowed"], bool):
            raise DomainError(ErrorCode.INVALID, "listeners_allowed is true or false.", field="listeners_allowed")
        fields["listeners_allowed"] = body["listeners_allowed"]
    if "age_band" in body:
        fields["age_band"] = check_age_band(body["age_band"])
    if "policy" in body:
        if not isinstance(body["policy"], dict):
            raise DomainError(ErrorCode.INVALID, "policy is an object of room rules.", field="policy")
        fields["policy"] = body["policy"]
    return fields


def snapshot(room: Room) -> dict[str, Any]:
    """The room's administrable state, as the audit row and the admin API show it."""
    return {"slug": room.slug, "name": room.name, "description": room.description, "agreement": room.agreement,
            "agreement_version": room.agreement_version, "capacity": room.capacity,
            "listeners_allowed": room.listeners_allowed, "age_band": room.age_band,
            "policy": RoomRules.from_json(room.policy).to_json(),
            "archived_at": iso(room.archived_at) if room.archived_at is not None else None}


@queueable("room.changed")
async def announce_room(svc: Services, *, room_id: str, bands: list[str], change: str) -> None:
    """The room as it is now, to the people in it; `rooms:changed` to everyone who sees one of `bands`."""
    async with svc.db.read() as session:
        room = await session.get(Room, room_id)
    if room is None:
        return
    shape = room_shape(room, online=svc.presence.count(room.id), now=svc.clock.now())
    await svc.broadcaster.publish(room_topic(room.id), "room:updated", {
        "room": room.slug, **shape, "archived": room.archived_at is not None})
    for band in sorted(bands):
        await svc.broadcaster.publish(audience_topic(band), "rooms:changed", {"room": room.slug, "change": change})


async def do_create_room(svc: Services, *, actor: Principal, body: Mapping[str, Any]) -> dict[str, Any]:
    check_admin(actor)
    fields = check_room_changes(body, creating=True)
    band = fields.get("age_band", AgeBand.ADULTS)
    rules = default_rules(band).updated(fields.get("policy", {}))
    now = svc.clock.now()
    async with svc.db.transaction() as tx:
        if fields["slug"] in await RoomStore(tx.session).slugs():
            raise DomainError(ErrorCode.CONFLICT, f"There is already a room with the slug {fields['slug']} "
                              "(perhaps archived). Choose another.", field="slug")
        position = (await tx.session.execute(select(func.max(Room.position)))).scalar_one_or_none()
        room = Room(id=uuid.uuid4().hex, slug=fields["slug"], name=fields["name"],
                    description=fields.get("description", ""), agreement=fields["agreement"], agreement_version=1,
                    listeners_allowed=fields.get("listeners_allowed", True), capacity=fields.get("capacity", 50),
                    policy=rules.to_json(), position=(position or 0) + 1, last_seq=0, created_at=now,
                    age_band=band.value)
        RoomStore(tx.session).add(room)
        record_admin_change(tx, actor, "room.create", f"room:{room.slug}", None, snapshot(room), at=now)
        await push_after_commit(svc, tx, announce_room, room_id=room.id, bands=[room.age_band], change="created")
    log.info("room_created room=%s band=%s actor=%s", room.slug, room.age_band, actor.user_id)
    return snapshot(room)


async def do_edit_room(svc: Services, *, actor: Principal, slug: str, body: Mapping[str, Any]) -> dict[str, Any]:
    """Only the fields sent change; a changed agreement gets a new version everyone accepts again."""
    check_admin(actor)
    fields = check_room_changes(body, creating=False)
    async with svc.db.transaction() as tx:
        room = await check_room(tx.session, slug)
        before = snapshot(room)
        bands = {room.age_band}
        if "policy" in fields:
            room.policy = RoomRules.from_json(room.policy).updated(fields.pop("policy")).to_json()
        if "agreement" in fields and fields["agreement"] != room.agreement:
            room.agreement_version += 1
        for name, value in fields.items():
            setattr(room, name, value.value if isinstance(value, AgeBand) else value)
        after = snapshot(room)
        if after != before:
            record_admin_change(tx, actor, "room.edit", f"room:{slug}", before, after, at=svc.clock.now())
            await push_after_commit(svc, tx, announce_room, room_id=room.id, bands=sorted(bands | {room.age_band}),
                                    change="updated")
        if room.age_band not in bands:
            # Peers of the old band leave it: here at once, on every other process at its next look.
            await ConfigVersionStore(tx.session).bump(ROOMS)
            tx.after_commit(lambda: remove_other_band_here(svc))
    log.info("room_edited room=%s actor=%s fields=%s", slug, actor.user_id, ",".join(sorted(body)))
    return after


async def do_archive_room(svc: Services, *, actor: Principal, slug: str) -> dict[str, Any]:
    check_admin(actor)
    now = svc.clock.now()
    async with svc.db.transaction() as tx:
        room = await check_room(tx.session, slug)
        before = snapshot(room)
        room.archived_at = now
        record_admin_change(tx, actor, "room.archive", f"room:{slug}", before, snapshot(room), at=now)
        await push_after_commit(svc, tx, announce_room, room_id=room.id, bands=[room.age_band], change="archived")
    log.info("room_archived room=%s actor=%s", slug, actor.user_id)
    return snapshot(room)


async def list_rooms_for_admin(svc: Services, *, actor: Principal) -> list[dict[str, Any]]:
    """Every room, archived ones too, with who is in it on this process and the moderators who look after it."""
    check_admin(actor)
    async with svc.db.read() as session:
        rooms = await RoomStore(session).all_rooms()
        moderators: dict[str, list[dict[str, Any]]] = {}
        for room_id, user in await RoomModeratorStore(session).accounts():
            moderators.setdefault(room_id, []).append(moderator_shape(user))
    rooms.sort(key=lambda r: (r.archived_at is not None, r.position, r.name))
    return [{**snapshot(r), "online": svc.presence.count(r.id), "moderators": moderators.get(r.id, [])}
            for r in rooms]
