"""Administrators assign moderators to rooms: a room's reports and rule-break flags alert its own
moderators first (moderation/routing.py). Zero or more per room; a room with none is every moderator's,
as it always was. Assigning changes who is alerted first, never who may see or act.

Assignments live in the database, so every process routes by them from the next item on; the moderators
concerned hear of their rooms at once (`moderator:rooms`, through the broadcaster, on every process), or
within a second when the command line made the change (server/pushes.py).
"""
from __future__ import annotations

import logging
from typing import Any

from ..errors import DomainError, ErrorCode
from ..identity.accounts import check_username
from ..identity.principal import Principal
from ..identity.roles import Role, can_moderate
from ..identity.staff import check_admin
from ..moderation.routing import moderator_topic
from ..pushes import push_after_commit, queueable
from ..services import Services
from ..storage.admin import StaffStore
from ..storage.models import User
from ..storage.room_moderators import RoomModeratorStore
from .access import check_room
from .admin_audit import record_admin_change

log = logging.getLogger("peerchat.rooms")

MAX_MODERATORS = 50
MOVED = "moderator:rooms"


def moderator_shape(user: User) -> dict[str, Any]:
    return {"id": user.id, "username": user.username, "role": user.role, "active": user.deactivated_at is None}


def check_moderator_names(raw: object) -> list[str]:
    if not isinstance(raw, list) or len(raw) > MAX_MODERATORS:
        raise DomainError(ErrorCode.INVALID, f"moderators is a list of up to {MAX_MODERATORS} usernames.",
                          field="moderators")
    try:
        return sorted({check_username(name) for name in raw})
    except DomainError:
        raise DomainError(ErrorCode.INVALID, "moderators is a list of staff usernames.", field="moderators") from None


async def do_set_room_moderators(svc: Services, *, actor: Principal, slug: str, usernames: object) -> dict[str, Any]:
    """Exactly these active moderators and admins look after the room from now (an empty list: nobody)."""
    check_admin(actor)
    names = check_moderator_names(usernames)
    now = svc.clock.now()
    async with svc.db.transaction() as tx:
        room = await check_room(tx.session, slug)
        chosen: list[User] = []
        for name in names:
            # Locked like a role change locks it: an assignment racing a demotion waits and sees the new role.
            user = await StaffStore(tx.session).by_username(name, lock=True)
            if user is None or not can_moderate(Role(user.role)) or user.deactivated_at is not None:
                raise DomainError(ErrorCode.INVALID, f"{name} is not an active moderator or administrator.",
                                  field="moderators")
            chosen.append(user)
        store = RoomModeratorStore(tx.session)
        before = {user.id: user.username for _room, user in await store.accounts(room.id)}
        await store.replace(room.id, [user.id for user in chosen], now)
        after = {user.id: user.username for user in chosen}
        if before != after:
            record_admin_change(tx, actor, "room.moderators", f"room:{slug}", {"moderators": sorted(before.values())},
                                {"moderators": sorted(after.values())}, at=now)
            await push_after_commit(svc, tx, tell_moderators, user_ids=sorted(before.keys() ^ after.keys()))
    log.info("room_moderators_set room=%s count=%d actor=%s", slug, len(chosen), actor.user_id)
    return {"room": slug, "moderators": [moderator_shape(user) for user in chosen]}


async def list_my_rooms(svc: Services, user_id: str) -> list[str]:
    """The slugs of the rooms this moderator looks after."""
    async with svc.db.read() as session:
        return await RoomModeratorStore(session).slugs_of(user_id)


@queueable("room.moderators")
async def tell_moderators(svc: Services, *, user_ids: list[str]) -> None:
    """Each moderator given or relieved of a room gets their list of rooms again, on every queue page."""
    for user_id in user_ids:
        await svc.broadcaster.publish(moderator_topic(user_id), MOVED, {"rooms": await list_my_rooms(svc, user_id)})
