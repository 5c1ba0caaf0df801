"""Signing out ends every session of that person: their tokens stop working, their sockets close everywhere.

Tokens are revoked by version (tokens.py), so one tab cannot be signed out alone; ending them all is the
safe choice on a shared computer in a clinic, a library or a counselling office.
"""
from __future__ import annotations

import logging

from ..broadcast import user_topic
from ..moderation.live_config import STAFF
from ..services import Services
from ..storage.admin import ConfigVersionStore
from ..storage.users import UserStore
from .principal import Principal

log = logging.getLogger("peerchat.identity")


async def do_sign_out(svc: Services, *, actor: Principal) -> None:
    """This process closes the person's sockets now; every other one at its next look at the counters."""
    user_id = actor.user_id
    async with svc.db.transaction() as tx:
        await UserStore(tx.session).bump_token_version(user_id)
        await ConfigVersionStore(tx.session).bump(STAFF)
        tx.after_commit(lambda: svc.broadcaster.close_topic(user_topic(user_id)))
    log.info("signed_out user=%s", user_id)
