"""Joining and leaving rooms: the group agreement, listener mode, capacity and presence."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..broadcast import room_topic
from ..errors import DomainError, ErrorCode
from ..identity.principal import Principal
from ..services import Services
from ..storage.messages import MessageStore
from ..storage.models import Membership
from ..storage.rooms import RoomStore
from .access import check_room, check_visible_room
from .age_bands import can_see_room, check_room_band
from .history import visible_since
from .policy import RoomRules
from .presence import Present
from .sessions.attendance import on_member_left_room
from .shapes import message_shape, room_shape, user_shape

MODES = ("participant", "listener")


@dataclass(frozen=True, slots=True)
class JoinRequest:
    room: str
    accept_agreement: bool
    mode: str


async def do_join_room(svc: Services, *, actor: Principal, sid: str, request: JoinRequest) -> dict[str, Any]:
    if request.mode not in MODES:
        raise DomainError(ErrorCode.INVALID, "Join as a participant or as a listener.", field="as")
    now = svc.clock.now()
    async with svc.db.transaction() as tx:
        room = await check_room(tx.session, request.room)
        check_room_band(actor, room)
        if request.mode == "listener" and not room.listeners_allowed:
            raise DomainError(ErrorCode.LISTENERS_NOT_ALLOWED,
                              "This room asks everyone to take part, so listening only isn't available here.")
        store = RoomStore(tx.session)
        membership = await store.membership(room.id, actor.user_id)
        accepted = membership is not None and membership.agreement_version >= room.agreement_version
        if not accepted and not request.accept_agreement:
            raise DomainError(ErrorCode.AGREEMENT_REQUIRED, "Please read and accept the group agreement to join.",
                              agreement=room.agreement, agreement_version=room.agreement_version)
        already_here = svc.presence.anywhere(room.id, actor.user_id)  # already counted, on any process
        if not already_here and not actor.role.is_staff and svc.presence.count(room.id) >= room.capacity:
            raise DomainError(ErrorCode.ROOM_FULL, "This room is full right now. Please try again a little later.")
        if membership is None:
            membership = Membership(room_id=room.id, user_id=actor.user_id, joined_at=now)
            store.add_membership(membership)
        membership.mode = request.mode
        if not accepted:
            membership.agreement_version = room.agreement_version
            membership.accepted_at = now
        present = Present(principal=actor, mode=request.mode, agreement_version=membership.agreement_version,
                          member_since=membership.joined_at, here_since=now)
        history = await MessageStore(tx.session).page(
            room.id, before=None, after=None, limit=svc.settings.history_on_join,
            since=visible_since(RoomRules.from_json(room.policy), present))
    await svc.broadcaster.subscribe(sid, room_topic(room.id))
    if svc.presence.add(room.id, room.slug, sid, present):
        await svc.broadcaster.publish(room_topic(room.id), "member:joined",
                                      {"room": room.slug, "member": {**actor.public(), "mode": request.mode}},
                                      skip_sid=sid)
    return {
        "room": room_shape(room, online=svc.presence.count(room.id), now=now),
        "history": [message_shape(m, user_shape(u), room.slug) for m, u in history],
        "members": [p.public() for p in svc.presence.members(room.id)],
        "you": {**actor.public(), "mode": request.mode},
    }


async def do_leave_room(svc: Services, *, actor: Principal, sid: str, room_slug: str) -> None:
    async with svc.db.read() as session:
        room = await check_visible_room(session, room_slug, actor)  # the other band's rooms answer as missing
    if not svc.presence.is_in(room.id, actor.user_id, sid):
        raise DomainError(ErrorCode.NOT_MEMBER, "You are not in that room.")
    await _leave(svc, room.id, room.slug, actor, sid)


async def do_leave_all(svc: Services, *, actor: Principal, sid: str) -> None:
    """A connection closed: take it out of every room it was in."""
    room_ids = svc.presence.rooms_of(sid)
    svc.presence.forget_sid(sid)
    for room_id in room_ids:
        await _leave(svc, room_id, svc.presence.slug_of(room_id), actor, sid)


async def remove_other_band_here(svc: Services) -> None:
    """After a room's age band changed anywhere: take this process's peers who no longer see it out of it and
    tell them why, so that a room made for teens keeps no adult in it, nor the other way round, and one made
    for older adults keeps no younger adult (older adults stay in a room made for adults)."""
    local = svc.presence.local_members()
    if not local:
        return
    async with svc.db.read() as session:
        rooms = {room.id: room for room in await RoomStore(session).all_rooms()}
    for room_id, present in local:
        room = rooms.get(room_id)
        if room is None or can_see_room(present.principal, room):
            continue
        notice = {"room": room.slug, "message": f"{room.name} is now for a different age group, so you have "
                  "left it. Your other rooms are as they were."}
        for sid in svc.presence.sids_of(room_id, present.principal.user_id):
            await svc.broadcaster.publish(sid, "room:removed", notice)  # every connection is a topic of its own
        await remove_member(svc, room_id=room_id, user_id=present.principal.user_id)


async def remove_member(svc: Services, *, room_id: str, user_id: str) -> bool:
    """A moderator removed this person: take each of their connections on this process out of the room."""
    present = next((p for p in svc.presence.members(room_id) if p.principal.user_id == user_id), None)
    if present is None:
        return False
    for sid in svc.presence.sids_of(room_id, user_id):
        await _leave(svc, room_id, svc.presence.slug_of(room_id), present.principal, sid)
    return True


async def _leave(svc: Services, room_id: str, slug: str, actor: Principal, sid: str) -> None:
    await svc.broadcaster.unsubscribe(sid, room_topic(room_id))
    if svc.presence.remove(room_id, actor.user_id, sid) is not None:
        await svc.broadcaster.publish(room_topic(room_id), "member:left",
                                      {"room": slug, "member": actor.public()})
        await on_member_left_room(svc, room_id, actor.user_id)
