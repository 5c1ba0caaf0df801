"""Ending a person's connections everywhere after their account changed, and signing out.

The process making the change closes its own connections of the person once the change commits; every
other process does at its next look at the `staff` counter (identity/staff.close_outdated_here closes the
connections that no longer match their account). Tokens are revoked by version (tokens.py), so signing
out ends every session of that person: the safe choice on a shared computer in a clinic or a library.
"""
from __future__ import annotations

import logging

from ..broadcast import user_topic
from ..moderation.live_config import STAFF
from ..services import Services
from ..storage.admin import ConfigVersionStore
from ..storage.database import Transaction
from ..storage.users import UserStore
from .principal import Principal

log = logging.getLogger("peerchat.identity")

Told = tuple[str, str]  # the `session:ended` code and sentence each tab shows before it closes


async def close_everywhere(svc: Services, tx: Transaction, user_id: str, told: Told | None = None) -> None:
    """Their connections close (a role change: they reconnect with the new role)."""
    await ConfigVersionStore(tx.session).bump(STAFF)

    async def close() -> None:
        if told is not None:
            await svc.broadcaster.publish(user_topic(user_id), "session:ended", {"code": told[0], "message": told[1]})
        await svc.broadcaster.close_topic(user_topic(user_id))
    tx.after_commit(close)


async def revoke_everywhere(svc: Services, tx: Transaction, user_id: str, told: Told | None = None) -> None:
    """No token of theirs works again, and their connections close."""
    await UserStore(tx.session).bump_token_version(user_id)
    await close_everywhere(svc, tx, user_id, told)


async def do_sign_out(svc: Services, *, actor: Principal) -> None:
    async with svc.db.transaction() as tx:
        await revoke_everywhere(svc, tx, actor.user_id)
    log.info("signed_out user=%s", actor.user_id)
