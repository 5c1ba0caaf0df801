"""Who may do what to a session: only its own facilitators (and admins) control it."""
from __future__ import annotations

from ...errors import DomainError, ErrorCode
from ...identity.principal import Principal
from ...identity.roles import Role
from ...storage.session_models import GroupSession
from ...storage.sessions import SessionStore


async def check_session(store: SessionStore, session_id: str, *, lock: bool = False) -> GroupSession:
    row = await store.get(session_id, lock=lock) if len(session_id) <= 32 else None
    if row is None:
        raise DomainError(ErrorCode.NOT_FOUND, "That session doesn't exist.")
    return row


def can_control(row: GroupSession, actor: Principal) -> bool:
    return actor.role is Role.ADMIN or actor.user_id in row.facilitators


def check_can_control(row: GroupSession, actor: Principal) -> None:
    if not can_control(row, actor):
        raise DomainError(ErrorCode.FORBIDDEN, "Only this session's facilitators (or an admin) can do that.")


def check_can_schedule(actor: Principal) -> None:
    if actor.role not in (Role.FACILITATOR, Role.ADMIN):
        raise DomainError(ErrorCode.FORBIDDEN, "Only facilitators and admins schedule sessions.")
