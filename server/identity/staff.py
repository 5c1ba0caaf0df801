"""Administrators manage staff: list, add, change role, deactivate, reset a password.

Nobody grants a role above their own, and the last active administrator can be neither demoted nor
deactivated. Deactivating (or resetting a password) ends every session of that person at once: the
token version moves, so no token of theirs is accepted again, and their sockets are closed.
"""
from __future__ import annotations

import logging
from typing import Any

from ..broadcast import user_topic
from ..clock import iso
from ..errors import DomainError, ErrorCode
from ..rooms.admin_audit import record_admin_change
from ..rooms.moderator_standing import relieve_of_rooms
from ..services import Services
from ..storage.admin import StaffStore
from ..storage.database import Transaction
from ..storage.models import User
from .accounts import check_password, check_username, do_create_staff
from .passwords import hash_password
from .principal import Principal
from .revocation import close_everywhere, revoke_everywhere
from .roles import STAFF_ROLES, Role

log = logging.getLogger("peerchat.staff")


def check_admin(actor: Principal) -> None:
    if actor.role is not Role.ADMIN:
        raise DomainError(ErrorCode.FORBIDDEN, "Only administrators can do this.")


def can_assign_role(actor: Role, target_current: Role | None, new_role: Role) -> bool:
    """Admins only; never above one's own level, never on someone above oneself."""
    return (actor is Role.ADMIN and new_role.level <= actor.level
            and (target_current is None or target_current.level <= actor.level))


def check_staff_role(raw: object) -> Role:
    if raw not in [r.value for r in STAFF_ROLES]:
        raise DomainError(ErrorCode.INVALID, "Staff roles are facilitator, moderator and admin.", field="role")
    return Role(str(raw))


def staff_shape(user: User) -> dict[str, Any]:
    return {"id": user.id, "username": user.username, "role": user.role, "active": user.deactivated_at is None,
            "deactivated_at": iso(user.deactivated_at) if user.deactivated_at is not None else None,
            "created_at": iso(user.created_at)}


async def list_staff(svc: Services, *, actor: Principal) -> list[dict[str, Any]]:
    check_admin(actor)
    async with svc.db.read() as session:
        return [staff_shape(u) for u in await StaffStore(session).all()]


async def do_add_staff(svc: Services, *, actor: Principal, username: object, role: object,
                       password: object) -> dict[str, Any]:
    check_admin(actor)
    new_role = check_staff_role(role)
    if not can_assign_role(actor.role, None, new_role):
        raise DomainError(ErrorCode.FORBIDDEN, "You can't give anyone a role above your own.")
    user = await do_create_staff(svc.db, svc.clock, role=new_role, username=check_username(username),
                                 password=check_password(password), actor=actor)
    log.info("staff_added user=%s role=%s actor=%s", user.id, new_role.value, actor.user_id)
    return staff_shape(user)


async def _target(tx: Transaction, username: object) -> User:
    user = await StaffStore(tx.session).by_username(check_username(username), lock=True)
    if user is None:
        raise DomainError(ErrorCode.NOT_FOUND, "There is no staff account with that username.")
    return user


async def _keep_an_admin(tx: Transaction, user: User) -> None:
    admins = await StaffStore(tx.session).active_admin_ids()
    if admins == [user.id]:
        raise DomainError(ErrorCode.CONFLICT, f"{user.username} is the last active administrator. Make someone "
                          "else an administrator first.")


async def do_change_role(svc: Services, *, actor: Principal, username: object, role: object) -> dict[str, Any]:
    check_admin(actor)
    new_role = check_staff_role(role)
    async with svc.db.transaction() as tx:
        user = await _target(tx, username)
        before = Role(user.role)
        if not can_assign_role(actor.role, before, new_role):
            raise DomainError(ErrorCode.FORBIDDEN, "You can't give anyone a role above your own.")
        if before is Role.ADMIN and new_role is not Role.ADMIN and user.deactivated_at is None:
            await _keep_an_admin(tx, user)
        if before is not new_role:
            user.role = new_role.value
            # Open sockets carry the old role: closing them makes the person reconnect with the new one.
            await close_everywhere(svc, tx, user.id)
            record_admin_change(tx, actor, "staff.role", f"staff:{user.username}", {"role": before.value},
                                {"role": new_role.value}, at=svc.clock.now())
            await relieve_of_rooms(tx, actor, user, svc.clock.now())
    log.info("staff_role_changed user=%s role=%s actor=%s", user.id, new_role.value, actor.user_id)
    return staff_shape(user)


async def do_set_staff_active(svc: Services, *, actor: Principal, username: object, active: bool) -> dict[str, Any]:
    """Deactivate (every session ends at once, on every process) or reactivate a staff account."""
    check_admin(actor)
    async with svc.db.transaction() as tx:
        user = await _target(tx, username)
        if not can_assign_role(actor.role, Role(user.role), Role(user.role)):
            raise DomainError(ErrorCode.FORBIDDEN, "You can't change an account above your own role.")
        if active == (user.deactivated_at is None):
            return staff_shape(user)
        if not active:
            if user.role == Role.ADMIN:
                await _keep_an_admin(tx, user)
            user.deactivated_at = svc.clock.now()
            await revoke_everywhere(svc, tx, user.id)
        else:
            user.deactivated_at = None
        record_admin_change(tx, actor, "staff.activate" if active else "staff.deactivate", f"staff:{user.username}",
                            {"active": not active}, {"active": active}, at=svc.clock.now())
        await relieve_of_rooms(tx, actor, user, svc.clock.now())
    log.info("staff_active_changed user=%s active=%s actor=%s", user.id, active, actor.user_id)
    return staff_shape(user)


async def do_reset_password(svc: Services, *, actor: Principal, username: object, password: object) -> None:
    """A new password; every existing session of that person ends."""
    check_admin(actor)
    new_password = check_password(password)
    async with svc.db.transaction() as tx:
        user = await _target(tx, username)
        if not can_assign_role(actor.role, Role(user.role), Role(user.role)):
            raise DomainError(ErrorCode.FORBIDDEN, "You can't change an account above your own role.")
        user.password_hash = hash_password(new_password)
        await revoke_everywhere(svc, tx, user.id)
        record_admin_change(tx, actor, "staff.password_reset", f"staff:{user.username}", None, None,
                            at=svc.clock.now())
    log.info("staff_password_reset user=%s actor=%s", user.id, actor.user_id)


async def close_outdated_here(svc: Services) -> None:
    """After account changes anywhere (deactivated, banned, erased, tokens revoked, role changed): close this
    process's sockets that no longer match their account (the process that made the change closed its own).
    A client whose role changed reconnects with the new one; one whose token was revoked is refused."""
    held = svc.online.principals()
    async with svc.db.read() as session:
        standing = await StaffStore(session).standing_of({p.user_id for p in held})
    outdated = {p.user_id for p in held if standing.get(p.user_id) != (p.role.value, p.token_version, False)}
    for user_id in outdated:
        await svc.broadcaster.close_topic(user_topic(user_id))
