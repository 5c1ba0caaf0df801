"""Administrators keep the watched-word rules: add, change, remove, list and try them.

Every change bumps the `watched_words` counter in the same transaction, so every process recompiles
within a second; this process recompiles before the change is answered.
"""
from __future__ import annotations

import logging
import uuid
from typing import Any, Mapping

from ..errors import DomainError, ErrorCode
from ..identity.principal import Principal
from ..identity.staff import check_admin
from ..rooms.access import check_room
from ..rooms.admin_audit import record_admin_change
from ..services import Services
from ..storage.admin import ConfigVersionStore, WatchedWordStore
from ..storage.admin_models import WatchedWord
from ..storage.database import Transaction
from ..storage.rooms import RoomStore
from ..rooms.policy import RoomRules
from .cli import verdict_json
from .live_config import WATCHED_WORDS, reload_now
from .pipeline import review
from .policy import SenderContext
from .watched import RuleAction, RuleError, RuleKind, check_mute_minutes, check_rule_text

log = logging.getLogger("peerchat.watched")

FIELDS = ("kind", "text", "action", "room", "mute_minutes")
DEFAULT_MUTE_MINUTES = 10


def _choice(enum: type[RuleKind] | type[RuleAction], raw: object, name: str) -> Any:
    try:
        return enum(str(raw))
    except ValueError:
        raise DomainError(ErrorCode.INVALID, f"{name} is one of: {', '.join(e.value for e in enum)}.",
                          field=name) from None


def rule_shape(rule: WatchedWord, room_slug: str | None) -> dict[str, Any]:
    return {"id": rule.id, "kind": rule.kind, "text": rule.text, "action": rule.action, "room": room_slug,
            "mute_minutes": rule.mute_minutes}


async def _check(tx: Transaction, body: Mapping[str, Any], current: WatchedWord | None) -> dict[str, Any]:
    unknown = sorted(str(k)[:40] for k in body if k not in FIELDS)
    if unknown:
        raise DomainError(ErrorCode.INVALID, f"Unknown rule field: {unknown[0]}.", field=unknown[0])
    kind = _choice(RuleKind, body.get("kind", current.kind if current else None), "kind")
    action = _choice(RuleAction, body.get("action", current.action if current else None), "action")
    try:
        text = check_rule_text(kind, body.get("text", current.text if current else None))
        mute = check_mute_minutes(body.get("mute_minutes", current.mute_minutes if current else
                                           DEFAULT_MUTE_MINUTES))
    except RuleError as error:
        raise DomainError(ErrorCode.INVALID, str(error), field=error.field) from None
    room_id = current.room_id if current else None
    if "room" in body:
        room_id = None if body["room"] is None else (await check_room(tx.session, str(body["room"])[:48])).id
    same = await WatchedWordStore(tx.session).same(kind.value, text, room_id)
    if same is not None and (current is None or same.id != current.id):
        raise DomainError(ErrorCode.CONFLICT, "That rule already exists; change its action instead.", field="text")
    return {"kind": kind.value, "text": text, "action": action.value, "room_id": room_id, "mute_minutes": mute}


async def _after_change(svc: Services, tx: Transaction) -> None:
    await ConfigVersionStore(tx.session).bump(WATCHED_WORDS)
    tx.after_commit(lambda: reload_now(svc))


async def list_watched(svc: Services, *, actor: Principal) -> list[dict[str, Any]]:
    check_admin(actor)
    async with svc.db.read() as session:
        rules = await WatchedWordStore(session).all()
        slugs = {r.room_id: await RoomStore(session).slug_of(r.room_id) for r in rules if r.room_id}
    return [rule_shape(r, slugs.get(r.room_id) if r.room_id else None) for r in rules]


async def do_add_watched(svc: Services, *, actor: Principal, body: Mapping[str, Any]) -> dict[str, Any]:
    check_admin(actor)
    now = svc.clock.now()
    async with svc.db.transaction() as tx:
        fields = await _check(tx, body, None)
        rule = WatchedWord(id=uuid.uuid4().hex, created_at=now, updated_at=now, **fields)
        WatchedWordStore(tx.session).add(rule)
        shape = rule_shape(rule, body.get("room") if rule.room_id else None)
        record_admin_change(tx, actor, "watched.add", f"watched:{rule.id}", None, shape, at=now)
        await _after_change(svc, tx)
    log.info("watched_rule_added rule=%s action=%s actor=%s", rule.id, rule.action, actor.user_id)
    return shape


async def do_edit_watched(svc: Services, *, actor: Principal, rule_id: str,
                          body: Mapping[str, Any]) -> dict[str, Any]:
    check_admin(actor)
    async with svc.db.transaction() as tx:
        rule = await _rule(tx, rule_id)
        store = RoomStore(tx.session)
        before = rule_shape(rule, await store.slug_of(rule.room_id) if rule.room_id else None)
        for name, value in (await _check(tx, body, rule)).items():
            setattr(rule, name, value)
        rule.updated_at = svc.clock.now()
        after = rule_shape(rule, await store.slug_of(rule.room_id) if rule.room_id else None)
        record_admin_change(tx, actor, "watched.edit", f"watched:{rule.id}", before, after, at=rule.updated_at)
        await _after_change(svc, tx)
    log.info("watched_rule_changed rule=%s actor=%s", rule_id, actor.user_id)
    return after


async def do_remove_watched(svc: Services, *, actor: Principal, rule_id: str) -> None:
    check_admin(actor)
    async with svc.db.transaction() as tx:
        rule = await _rule(tx, rule_id)
        before = rule_shape(rule, await RoomStore(tx.session).slug_of(rule.room_id) if rule.room_id else None)
        await WatchedWordStore(tx.session).delete(rule.id)
        record_admin_change(tx, actor, "watched.remove", f"watched:{rule.id}", before, None, at=svc.clock.now())
        await _after_change(svc, tx)
    log.info("watched_rule_removed rule=%s actor=%s", rule_id, actor.user_id)


async def _rule(tx: Transaction, rule_id: str) -> WatchedWord:
    rule = await WatchedWordStore(tx.session).get(rule_id[:32])
    if rule is None:
        raise DomainError(ErrorCode.NOT_FOUND, "There is no watched-word rule with that id.")
    return rule


async def try_watched(svc: Services, *, actor: Principal, text: object, room: object) -> dict[str, Any]:
    """A message run through one room's rules and the live watched words, for the admin page's test box."""
    check_admin(actor)
    if not isinstance(text, str) or not 1 <= len(text) <= svc.settings.max_message_chars:
        raise DomainError(ErrorCode.INVALID, "Send the text to check.", field="text")
    if not isinstance(room, str):
        raise DomainError(ErrorCode.INVALID, "Name the room whose rules to use.", field="room")
    async with svc.db.read() as session:
        found = await check_room(session, room[:48])
    await svc.live.refresh(svc.db, svc.clock.now())
    policy = RoomRules.from_json(found.policy).moderation(svc.settings.locale, svc.live.watched_for(found.id))
    return verdict_json(None, review(text, policy, SenderContext(now=svc.clock.now())))
