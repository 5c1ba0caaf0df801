"""Moderator actions on people: timed mutes, removal from a room, bans, and role changes.

Staff act only on people below their own role, and never grant a role above their own (roles.can_grant).
A ban closes the account and revokes every token it holds (token_version), then closes its sockets.
Bans and kicks reach the other processes through the live-config counters (live_config.py): each
process looks at them once a second and closes or removes its own connections of the person.
"""
from __future__ import annotations

from typing import Any

from ..broadcast import user_topic
from ..clock import iso
from ..errors import DomainError, ErrorCode
from ..identity.principal import Principal
from ..identity.revocation import revoke_everywhere
from ..identity.roles import Role, can_grant
from ..rooms.membership import remove_member
from ..rooms.moderator_standing import relieve_of_rooms
from ..services import Services
from ..storage.admin import ConfigVersionStore
from ..storage.audit import AuditQuery, AuditStore
from ..storage.database import Transaction
from ..storage.models import Room
from ..storage.review_models import Mute, ReviewItem
from ..storage.sanctions import SanctionStore
from ..storage.users import UserStore
from .actions import subject_below
from .audit import record
from .live_config import KICKS
from .queue import act_on_item, notify

MAX_MUTE_MINUTES = 7 * 24 * 60
KICK_LOOKBACK_SECONDS = 60.0


async def do_mute(svc: Services, *, actor: Principal, item_id: str, version: int, minutes: int,
                  everywhere: bool) -> dict[str, Any]:
    if not 1 <= minutes <= MAX_MUTE_MINUTES:
        raise DomainError(ErrorCode.INVALID, f"Mutes last 1 to {MAX_MUTE_MINUTES} minutes.", field="minutes")

    async def mute(tx: Transaction, item: ReviewItem) -> dict[str, Any]:
        subject = await subject_below(tx, actor, item)
        if not everywhere and item.room_id is None:
            raise DomainError(ErrorCode.INVALID, "This item has no room: mute everywhere instead.",
                              field="everywhere")
        now = svc.clock.now()
        room_id = None if everywhere else item.room_id
        room = await tx.session.get(Room, room_id) if room_id else None
        until = now + minutes * 60
        SanctionStore(tx.session).add_mute(Mute(user_id=subject.id, room_id=room_id, until=until,
                                                created_by=actor.user_id, created_at=now))
        where = f"in {room.name}" if room else "in every room"
        tx.after_commit(lambda: notify(svc, subject.id, "muted", f"A moderator has muted you {where} until "
                                       f"{iso(until)} (UTC). You can still read, and Get help still works.",
                                       until=iso(until), room=room.slug if room else None))
        return {"muted": {"user_id": subject.id, "room": room.slug if room else None, "until": iso(until)}}
    return await act_on_item(svc, actor=actor, item_id=item_id, version=version, action="mute", change=mute,
                             minutes=minutes, everywhere=everywhere)


async def do_kick(svc: Services, *, actor: Principal, item_id: str, version: int) -> dict[str, Any]:
    """Take the person out of the item's room (they may rejoin; mute them to keep them quiet)."""
    async def kick(tx: Transaction, item: ReviewItem) -> dict[str, Any]:
        subject = await subject_below(tx, actor, item)
        room = await tx.session.get(Room, item.room_id) if item.room_id else None
        if room is None:
            raise DomainError(ErrorCode.INVALID, "This item has no room to remove the person from.",
                              field="item_id")
        if not svc.presence.anywhere(room.id, subject.id):
            raise DomainError(ErrorCode.NOT_MEMBER, "That person has already left the room.")
        removed = {"room": room.slug, "message": f"A moderator removed you from {room.name}."}
        # Every other process removes the person's connections at its next one-second look at this counter.
        await ConfigVersionStore(tx.session).bump(KICKS)

        async def remove() -> None:
            await svc.broadcaster.publish(user_topic(subject.id), "room:removed", removed)
            await remove_member(svc, room_id=room.id, user_id=subject.id)
        tx.after_commit(remove)
        return {"kicked": {"user_id": subject.id, "room": room.slug}}
    return await act_on_item(svc, actor=actor, item_id=item_id, version=version, action="kick", change=kick)


async def remove_kicked_here(svc: Services) -> None:
    """After a kick on any process: take this process's connections of the person out of the room, once
    per kick. A look sees a kick within about a second of its commit, so whoever is here then was here
    when it happened (or rejoined within that second, and can rejoin again); comparing join and kick
    times instead would trust the clocks of different processes. The lookback covers slow transactions
    and a few missed looks."""
    since = svc.clock.now() - KICK_LOOKBACK_SECONDS
    async with svc.db.read() as session:
        kicks = await AuditStore(session).search(AuditQuery(action="kick", since=since))
        fresh = svc.moderation.first_seen_kicks({kick.id: kick.at for kick in kicks}, since)
        removals: set[tuple[str, str]] = set()
        for kick in kicks:
            item = await session.get(ReviewItem, kick.item_id) if kick.id in fresh and kick.item_id else None
            if item is not None and kick.room_id is not None:
                removals.add((kick.room_id, item.subject_id))
    for room_id, user_id in removals:
        await remove_member(svc, room_id=room_id, user_id=user_id)


async def do_ban(svc: Services, *, actor: Principal, item_id: str, version: int) -> dict[str, Any]:
    async def ban(tx: Transaction, item: ReviewItem) -> dict[str, Any]:
        subject = await subject_below(tx, actor, item)
        if subject.deactivated_at is not None:
            raise DomainError(ErrorCode.INVALID, "That account is already closed.", field="item_id")
        subject.deactivated_at = svc.clock.now()
        await revoke_everywhere(svc, tx, subject.id, ("banned", "The moderators have closed this account for "
                                                      "breaking the group agreement."))
        await relieve_of_rooms(tx, actor, subject, svc.clock.now())
        return {"banned": {"user_id": subject.id}}
    return await act_on_item(svc, actor=actor, item_id=item_id, version=version, action="ban", change=ban)


async def do_set_role(svc: Services, *, actor: Principal, user_id: str, role: str) -> dict[str, Any]:
    """Change someone's role; their tokens are revoked so the new role takes effect at the next sign-in."""
    try:
        new_role = Role(role)
    except ValueError:
        raise DomainError(ErrorCode.INVALID, "role is peer, facilitator, moderator or admin.", field="role") from None
    async with svc.db.transaction() as tx:
        store = UserStore(tx.session)
        target = await store.get(user_id)
        if target is None:
            raise DomainError(ErrorCode.NOT_FOUND, "That person doesn't exist.", field="user_id")
        if not can_grant(actor.role, Role(target.role), new_role):
            raise DomainError(ErrorCode.FORBIDDEN, "You can't give that role: staff only act on people below "
                              "them and never grant a role above their own.")
        old_role, target.role = target.role, new_role.value
        await revoke_everywhere(svc, tx, target.id, ("role_changed", "Your role has changed. Please sign in again."))
        record(tx.session, actor=actor, action="role.set", target_type="user", target_id=target.id,
               now=svc.clock.now(), old=old_role, new=new_role.value)
        await relieve_of_rooms(tx, actor, target, svc.clock.now())
    return {"user": {"id": target.id, "pseudonym": target.pseudonym, "role": target.role}}
