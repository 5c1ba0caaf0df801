"""Writing and reading the audit log: who did what to whom and when, never a message body.

Entries are written in the same transaction as the change they describe, so the log cannot miss one.
What an entry says is ids, codes and numbers only (a report's reason, a resolution's outcome, a mute's
length); free text that staff type (a warning, a resolution's note) stays out, since it may quote what
someone wrote in a room whose rules keep it from admins' eyes or delete it after days, while this log is
kept for PEERCHAT_AUDIT_RETENTION_DAYS. Reading it names people and rooms by looking them up now.
"""
from __future__ import annotations

import dataclasses
from typing import Any, Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from ..clock import iso
from ..errors import DomainError, ErrorCode
from ..identity.principal import Principal
from ..identity.pseudonyms import pseudonym_key
from ..identity.roles import Role
from ..rooms.admin_audit import OPERATOR
from ..services import Services
from ..storage.audit import AuditNames, AuditQuery, AuditStore
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


async def _named(session: AsyncSession, entries: Sequence[AuditEntry]) -> list[dict[str, Any]]:
    """entry_shape plus who the actor is, the room, and the person a target is or whose message it is."""
    names = AuditNames(session)
    authors = await names.authors({e.target_id for e in entries if e.target_type == "message"})
    person_of = {e.id: e.target_id if e.target_type == "user" else authors.get(e.target_id) for e in entries}
    people = await names.people({e.actor_id for e in entries if e.actor_id}
                                | {p for p in person_of.values() if p})
    rooms = await names.rooms({e.room_id for e in entries if e.room_id})
    shown = []
    for entry in entries:
        shape = entry_shape(entry)
        actor = people.get(entry.actor_id or "")
        if actor is not None:
            shape["actor"].update(name=actor.pseudonym, username=actor.username)
        else:  # the server itself, the command line's operator, or a deleted account
            operator = entry.actor_id == OPERATOR.user_id
            shape["actor"].update(name=OPERATOR.pseudonym if operator else None, username=None)
        person = people.get(person_of[entry.id] or "")
        shape["target"]["person"] = {"id": person.id, "name": person.pseudonym} if person else None
        room = rooms.get(entry.room_id or "")
        shape["room"] = {"slug": room.slug, "name": room.name} if room else None
        shown.append(shape)
    return shown


async def list_audit(svc: Services, *, actor: Principal, query: AuditQuery, who: str | None = None,
                     room: str | None = None) -> dict[str, Any]:
    """Admins only; reading the log is itself logged. `who` is a username or pseudonym (every account
    that answers to it), or `system` for the server itself; `room` is a room's slug."""
    check_admin(actor)
    who = (who or "").strip()
    async with svc.db.transaction() as tx:
        if who:
            ids = (None,) if who.lower() == SYSTEM else \
                await AuditNames(tx.session).people_called(who, pseudonym_key(who))
            query = dataclasses.replace(query, actor_ids=ids)
        if room:
            room_id = await AuditNames(tx.session).room_id_of(room)
            if room_id is None:
                raise DomainError(ErrorCode.NOT_FOUND, "That room doesn't exist.", field="room")
            query = dataclasses.replace(query, room_id=room_id)
        entries = await AuditStore(tx.session).search(query)
        shown = await _named(tx.session, entries)
        record(tx.session, actor=actor, action="audit.read", target_type="audit", target_id="audit",
               now=svc.clock.now(), count=len(entries))
    return {"entries": shown, "next_before": entries[-1].id if len(entries) == query.limit else None}
