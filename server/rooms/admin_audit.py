"""The audit of administrative changes: who changed what, from what to what, and when.

Written in the same transaction as the change itself. The moderators' audit log may absorb this table
later; every admin change goes through record_admin_change so that is one place to move.
"""
from __future__ import annotations

from typing import Any

from ..clock import iso
from ..identity.principal import Principal
from ..identity.roles import Role
from ..storage.admin import AdminChangeStore
from ..storage.admin_models import AdminChange
from ..storage.database import Database, Transaction

# Whoever runs the `peerchat` command on the server: trusted like an admin, recorded as "operator".
OPERATOR = Principal(user_id="operator", role=Role.ADMIN, pseudonym="operator")


def record_admin_change(tx: Transaction, actor: Principal, action: str, target: str,
                        before: dict[str, Any] | None, after: dict[str, Any] | None, *, at: float) -> None:
    AdminChangeStore(tx.session).add(AdminChange(actor_id=actor.user_id, actor_name=actor.pseudonym, action=action,
                                                 target=target, before=before, after=after, created_at=at))


async def list_admin_changes(db: Database, *, limit: int, before_id: int | None = None) -> list[dict[str, Any]]:
    async with db.read() as session:
        rows = await AdminChangeStore(session).latest(limit, before_id)
    return [{"id": r.id, "actor": {"id": r.actor_id, "name": r.actor_name}, "action": r.action, "target": r.target,
             "before": r.before, "after": r.after, "at": iso(r.created_at)} for r in rows]
