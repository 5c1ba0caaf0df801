"""Admins change a room's confidentiality rules and agreement; changes apply to the very next message, and
people in the room are told (room:updated), within a second when the command line made the change."""
from __future__ import annotations

import logging
from typing import Any, Mapping

from ..broadcast import room_topic
from ..errors import DomainError, ErrorCode
from ..identity.principal import Principal
from ..identity.roles import Role
from ..pushes import push_after_commit, queueable
from ..services import Services
from ..storage.database import Transaction
from ..storage.models import Room
from .access import check_room
from .admin_audit import record_admin_change
from .policy import RoomRules

log = logging.getLogger("peerchat.rooms")

MAX_AGREEMENT_CHARS = 10_000


def check_admin(actor: Principal) -> None:
    if actor.role is not Role.ADMIN:
        raise DomainError(ErrorCode.FORBIDDEN, "Only administrators can change a room's rules.")


async def _update_rules(tx: Transaction, slug: str, changes: Mapping[str, Any], actor: Principal,
                        now: float) -> tuple[Room, RoomRules]:
    room = await check_room(tx.session, slug)
    before = RoomRules.from_json(room.policy)
    rules = before.updated(changes)
    room.policy = rules.to_json()
    record_admin_change(tx, actor, "room.policy", f"room:{slug}", before.to_json(), rules.to_json(), at=now)
    return room, rules


async def do_update_room_rules(svc: Services, *, actor: Principal, slug: str,
                               changes: Mapping[str, Any]) -> RoomRules:
    """The next message in the room already follows the new rules: sends read them from the room row."""
    check_admin(actor)
    async with svc.db.transaction() as tx:
        room, rules = await _update_rules(tx, slug, changes, actor, svc.clock.now())
        await push_after_commit(svc, tx, announce_rules, room_id=room.id, slug=slug, policy=rules.to_json())
    log.info("room_rules_changed room=%s actor=%s fields=%s", slug, actor.user_id, ",".join(sorted(changes)))
    return rules


@queueable("room.rules")
async def announce_rules(svc: Services, *, room_id: str, slug: str, policy: dict[str, Any]) -> None:
    await svc.broadcaster.publish(room_topic(room_id), "room:updated", {"room": slug, "policy": policy})


async def do_change_agreement(svc: Services, *, actor: Principal, slug: str, text: object) -> int:
    """A new agreement text gets a new version, which everyone must accept again before posting."""
    check_admin(actor)
    if not isinstance(text, str) or not text.strip() or len(text) > MAX_AGREEMENT_CHARS:
        raise DomainError(ErrorCode.INVALID, f"The agreement must be 1 to {MAX_AGREEMENT_CHARS} characters.",
                          field="agreement")
    async with svc.db.transaction() as tx:
        room = await check_room(tx.session, slug)
        record_admin_change(tx, actor, "room.agreement", f"room:{slug}", {"agreement": room.agreement},
                            {"agreement": text.strip()}, at=svc.clock.now())
        room.agreement = text.strip()
        room.agreement_version += 1
        version = room.agreement_version
        tx.after_commit(lambda: svc.broadcaster.publish(room_topic(room.id), "room:updated", {
            "room": slug, "agreement": room.agreement, "agreement_version": version}))
    log.info("room_agreement_changed room=%s actor=%s version=%s", slug, actor.user_id, version)
    return version
