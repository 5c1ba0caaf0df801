"""Writing and reading the audit log: who did what to whom and when, never a message body.

Entries are written in the same transaction as the change they describe, so the log cannot miss one.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from ..clock import iso
from ..errors import DomainError, ErrorCode
from ..identity.principal import Principal
from ..identity.roles import Role
from ..services import Services
from ..storage.audit import AuditQuery, AuditStore
from ..storage.review_models import AuditEntry

SYSTEM = "system"


def record(session: AsyncSession, *, actor: Principal | None, action: str, target_type: str, target_id: str,
           now: float, item_id: str | None = None, room_id: str | None = None, **detail: Any) -> None:
    """Append one entry; `actor=None` is the server itself (escalations, released claims)."""
    AuditStore(session).append(AuditEntry(
        at=now, actor_id=actor.user_id if actor else None, actor_role=actor.role.value if actor else SYSTEM,
        action=action, target_type=target_type, target_id=target_id, item_id=item_id, room_id=room_id,
        detail=detail))


def check_admin(actor: Principal) -> None:
    if actor.role is not Role.ADMIN:
        raise DomainError(ErrorCode.FORBIDDEN, "Only admins can do this.")


def entry_shape(entry: AuditEntry) -> dict[str, Any]:
    return {"id": entry.id, "at": iso(entry.at), "actor": {"id": entry.actor_id, "role": entry.actor_role},
            "action": entry.action, "target": {"type": entry.target_type, "id": entry.target_id},
            "item_id": entry.item_id, "room_id": entry.room_id, "detail": entry.detail}


async def list_audit(svc: Services, *, actor: Principal, query: AuditQuery) -> dict[str, Any]:
    """Admins only; reading the log is itself logged."""
    check_admin(actor)
    async with svc.db.transaction() as tx:
        entries = await AuditStore(tx.session).search(query)
        record(tx.session, actor=actor, action="audit.read", target_type="audit", target_id="audit",
               now=svc.clock.now(), count=len(entries))
    return {"entries": [entry_shape(e) for e in entries],
            "next_before": entries[-1].id if len(entries) == query.limit else None}
