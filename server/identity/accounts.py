"""Creating peers and staff, signing in, and turning a token back into a Principal."""
from __future__ import annotations

import hashlib
import hmac
import re
import uuid
from typing import Any

from ..clock import Clock
from ..errors import DomainError, ErrorCode
from ..services import Services
from ..storage.database import Database
from ..storage.models import User
from ..storage.users import UserStore
from .passwords import MIN_PASSWORD_LENGTH, hash_password, verify_password
from .principal import Principal
from .pseudonyms import check_pseudonym, pseudonym_key
from .roles import STAFF_ROLES, Role, check_age_band

USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,31}$")
LOGIN_FAILED = "That username and password don't match an active staff account."


def _session_reply(svc: Services, user: User) -> dict[str, Any]:
    ttl = svc.settings.staff_token_ttl if Role(user.role).is_staff else svc.settings.peer_token_ttl
    return {
        "token": svc.signer.issue(user.id, user.token_version),
        "expires_in": int(ttl),
        "user": {"id": user.id, "pseudonym": user.pseudonym, "role": user.role, "age_band": user.age_band},
    }


async def do_create_peer(svc: Services, *, pseudonym: object, age_band: object = "adults") -> dict[str, Any]:
    name = check_pseudonym(pseudonym)
    band = check_age_band(age_band)
    key = pseudonym_key(name)
    if svc.online.holder_of(name) is not None:
        raise DomainError(ErrorCode.PSEUDONYM_TAKEN, "Someone online is using that name. Please choose another.",
                          field="pseudonym")
    async with svc.db.transaction() as tx:
        store = UserStore(tx.session)
        if await store.staff_with_key(key):
            raise DomainError(ErrorCode.INVALID, "That name is kept for the staff. Please choose another.",
                              field="pseudonym")
        user = User(id=uuid.uuid4().hex, role=Role.PEER.value, pseudonym=name, pseudonym_key=key,
                    token_version=0, created_at=svc.clock.now(), age_band=band.value)
        store.add(user)
    return _session_reply(svc, user)


def check_username(raw: object) -> str:
    if not isinstance(raw, str) or not USERNAME.match(raw.strip().lower()):
        raise DomainError(ErrorCode.INVALID, "Usernames are 2-32 lowercase letters, digits, '.', '_' or '-'.",
                          field="username")
    return raw.strip().lower()


async def do_create_staff(db: Database, clock: Clock, *, role: Role, username: str, password: str,
                          actor: Principal | None = None) -> User:
    """Create a staff account; `actor` is the admin doing it (None: the operator at the command line)."""
    from ..rooms.admin_audit import OPERATOR, record_admin_change

    if role not in STAFF_ROLES:
        raise DomainError(ErrorCode.INVALID, "Staff roles are facilitator, moderator and admin.", field="role")
    username = check_username(username)
    check_password(password)
    async with db.transaction() as tx:
        store = UserStore(tx.session)
        if await store.by_username(username) is not None:
            raise DomainError(ErrorCode.CONFLICT, f"There is already a staff account called {username}.")
        user = User(id=uuid.uuid4().hex, role=role.value, pseudonym=username, pseudonym_key=pseudonym_key(username),
                    username=username, password_hash=hash_password(password), token_version=0,
                    created_at=clock.now())
        store.add(user)
        record_admin_change(tx, actor or OPERATOR, "staff.add", f"staff:{username}", None,
                            {"username": username, "role": role.value}, at=clock.now())
    return user


def check_password(password: object) -> str:
    if not isinstance(password, str) or not MIN_PASSWORD_LENGTH <= len(password) <= 1024:
        raise DomainError(ErrorCode.INVALID, f"Passwords need at least {MIN_PASSWORD_LENGTH} characters.",
                          field="password")
    return password


ADDRESS_KEY_ROTATION = 86_400


def address_key(secret: str, address: str, now: float) -> str:
    """Rate-limit and ban key for an IP address: a keyed hash whose key changes daily, so addresses are
    never held in clear and old keys cannot be linked to new ones."""
    period_key = hmac.new(secret.encode(), f"address:{int(now // ADDRESS_KEY_ROTATION)}".encode(),
                          hashlib.sha256).digest()
    return hmac.new(period_key, address.encode(), hashlib.sha256).hexdigest()[:32]


async def do_login(svc: Services, *, username: object, password: object, address_hash: str) -> dict[str, Any]:
    """Same answer for unknown user, wrong password and deactivated account; failures are throttled."""
    if not isinstance(username, str) or not isinstance(password, str) or len(password) > 1024:
        raise DomainError(ErrorCode.UNAUTHORIZED, LOGIN_FAILED)
    account = username.strip().lower()[:64]
    limits = svc.settings.rate_limits
    await svc.limiter.ensure("login_account", account, limits.login_account)
    await svc.limiter.ensure("login_address", address_hash, limits.login_address)
    async with svc.db.read() as session:
        user = await UserStore(session).by_username(account)
    valid = verify_password(user.password_hash if user else None, password)
    if user is None or not valid or user.deactivated_at is not None:
        await svc.limiter.take("login_account", account, limits.login_account)
        await svc.limiter.take("login_address", address_hash, limits.login_address)
        raise DomainError(ErrorCode.UNAUTHORIZED, LOGIN_FAILED)
    return _session_reply(svc, user)


LOCALE = re.compile(r"^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})?$")


def check_locale(raw: object, default: str) -> str:
    """The person's locale for crisis resources and phone formats; anything malformed means the default."""
    return raw if isinstance(raw, str) and LOCALE.match(raw) else default


async def get_principal(svc: Services, token: object, locale: object = None) -> Principal:
    """Resolve a connect token; refuses revoked, deactivated and expired ones with unauthorized."""
    claims = svc.signer.verify(token, max_age=max(svc.settings.staff_token_ttl, svc.settings.peer_token_ttl))
    async with svc.db.read() as session:
        user = await UserStore(session).get(claims.user_id)
    if user is None or user.deactivated_at is not None or user.token_version != claims.version:
        raise DomainError(ErrorCode.UNAUTHORIZED, "Please sign in again: this session has ended.")
    role = Role(user.role)
    ttl = svc.settings.staff_token_ttl if role.is_staff else svc.settings.peer_token_ttl
    svc.signer.verify(token, max_age=ttl)
    return Principal(user_id=user.id, role=role, pseudonym=user.pseudonym,
                     locale=check_locale(locale, svc.settings.locale), age_band=user.age_band,
                     token_version=user.token_version)
