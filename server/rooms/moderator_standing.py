"""Someone who can no longer moderate (demoted, deactivated, banned) looks after no room any more.

Called in the transaction that takes their standing away, so there is never a moment when a room's list
names someone who cannot act: routing would alert them first (and everyone else only after the window),
the admin page would show them as the room's moderator, and a later promotion or reactivation would hand
the rooms back without an admin deciding it again (the teen rooms' moderators are chosen for their
safeguarding training). Each room's list change is audited as `room.moderators`, by whoever made the change.
"""
from __future__ import annotations

from ..identity.principal import Principal
from ..identity.roles import Role, can_moderate
from ..storage.database import Transaction
from ..storage.models import User
from ..storage.room_moderators import RoomModeratorStore
from .admin_audit import record_admin_change


async def relieve_of_rooms(tx: Transaction, actor: Principal, user: User, now: float) -> None:
    """Take `user` off every room's moderators unless they still are an active moderator or admin."""
    if can_moderate(Role(user.role)) and user.deactivated_at is None:
        return
    store = RoomModeratorStore(tx.session)
    for room_id, slug in await store.rooms_of(user.id):
        before = [account.username for _room, account in await store.accounts(room_id)]
        record_admin_change(tx, actor, "room.moderators", f"room:{slug}", {"moderators": before},
                            {"moderators": [name for name in before if name != user.username]}, at=now)
    await store.remove_everywhere(user.id)
