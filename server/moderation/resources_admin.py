"""Administrators keep their community's crisis resources per region; peers see them at once.

An entry for a region is shown before the built-in ones; an entry with the name of a built-in one
replaces it, and a hidden one removes it. Region "INTL" holds the international fallbacks. Every change
bumps the `crisis_resources` counter so each process rebuilds its ResourceBook within a second.
"""
from __future__ import annotations

import logging
import re
import uuid
from dataclasses import asdict
from typing import Any, Mapping

from ..errors import DomainError, ErrorCode
from ..identity.principal import Principal
from ..identity.staff import check_admin
from ..rooms.admin_audit import record_admin_change
from ..services import Services
from ..storage.admin import ConfigVersionStore, CrisisResourceStore
from ..storage.admin_models import CrisisResourceRow
from ..storage.database import Transaction
from .live_config import CRISIS_RESOURCES, reload_now
from .resource_book import INTERNATIONAL, region_of
from .resources import ResourceKind

log = logging.getLogger("peerchat.resources")

REGION = re.compile(r"^(?:[A-Z]{2}|INTL)$")
URL = re.compile(r"^https?://[^\s<>\"']{3,290}$")
TEXTS = {"name": 120, "phone": 64, "text": 120, "url": 300, "hours": 80}
FIELDS = (*TEXTS, "region", "kind", "hidden", "position")


def resource_shape(row: CrisisResourceRow) -> dict[str, Any]:
    return {"id": row.id, "region": row.region, "name": row.name, "phone": row.phone, "text": row.text,
            "url": row.url, "hours": row.hours, "kind": row.kind, "hidden": row.hidden, "position": row.position}


def _bad(message: str, field: str) -> DomainError:
    return DomainError(ErrorCode.INVALID, message, field=field)


def check_resource(body: Mapping[str, Any], current: dict[str, Any] | None) -> dict[str, Any]:
    """The entry after applying `body` to `current` (or to nothing, for a new one), validated."""
    unknown = sorted(str(k)[:40] for k in body if k not in FIELDS)
    if unknown:
        raise _bad(f"Unknown resource field: {unknown[0]}.", unknown[0])
    merged = {"phone": None, "text": None, "url": None, "hours": "", "kind": "hotline", "hidden": False,
              "position": 0, **(current or {}), **body}
    out: dict[str, Any] = {}
    for name, limit in TEXTS.items():
        value = merged.get(name)
        if value is not None and (not isinstance(value, str) or len(value.strip()) > limit):
            raise _bad(f"{name} is text of at most {limit} characters.", name)
        out[name] = value.strip() if isinstance(value, str) and value.strip() else None
    raw_region = merged.get("region")
    region = region_of(raw_region) if isinstance(raw_region, str) else ""
    if not REGION.match(region):
        raise _bad("region is a two-letter country code such as GB (or a locale such as en-GB), or INTL.",
                   "region")
    if not out["name"]:
        raise _bad("A resource needs a name.", "name")
    if out["url"] and not URL.match(out["url"]):
        raise _bad("url is a web address starting with https://.", "url")
    if not isinstance(merged["hidden"], bool):
        raise _bad("hidden is true or false.", "hidden")
    if not merged["hidden"] and not (out["phone"] or out["text"] or out["url"]):
        raise _bad("Give a phone number, a text line or a website (or mark the entry hidden).", "phone")
    position = merged["position"]
    if isinstance(position, bool) or not isinstance(position, int) or not 0 <= position <= 1000:
        raise _bad("position is a whole number from 0 to 1000.", "position")
    try:
        kind = ResourceKind(merged["kind"])
    except ValueError:
        raise _bad("kind is one of: hotline, textline, directory, emergency.", "kind") from None
    return {**out, "hours": out["hours"] or "", "region": region, "kind": kind.value, "hidden": merged["hidden"],
            "position": position}


async def _changed(svc: Services, tx: Transaction) -> None:
    await ConfigVersionStore(tx.session).bump(CRISIS_RESOURCES)
    tx.after_commit(lambda: reload_now(svc))


async def list_resource_entries(svc: Services, *, actor: Principal) -> list[dict[str, Any]]:
    check_admin(actor)
    async with svc.db.read() as session:
        return [resource_shape(r) for r in await CrisisResourceStore(session).all()]


async def get_resources_for(svc: Services, locale: str) -> list[dict[str, Any]]:
    """What a peer with this locale is offered, exactly as a crisis notice carries it."""
    await svc.live.refresh(svc.db, svc.clock.now())
    return [asdict(r) for r in svc.live.book.for_locale(locale or INTERNATIONAL)]


async def do_add_resource(svc: Services, *, actor: Principal, body: Mapping[str, Any]) -> dict[str, Any]:
    check_admin(actor)
    fields = check_resource(body, None)
    async with svc.db.transaction() as tx:
        row = CrisisResourceRow(id=uuid.uuid4().hex, updated_at=svc.clock.now(), **fields)
        CrisisResourceStore(tx.session).add(row)
        record_admin_change(tx, actor, "resource.add", f"resource:{row.id}", None, resource_shape(row),
                            at=row.updated_at)
        await _changed(svc, tx)
    log.info("crisis_resource_added id=%s region=%s actor=%s", row.id, row.region, actor.user_id)
    return resource_shape(row)


async def _row(tx: Transaction, resource_id: str) -> CrisisResourceRow:
    row = await CrisisResourceStore(tx.session).get(resource_id[:32])
    if row is None:
        raise DomainError(ErrorCode.NOT_FOUND, "There is no crisis resource with that id.")
    return row


async def do_edit_resource(svc: Services, *, actor: Principal, resource_id: str,
                           body: Mapping[str, Any]) -> dict[str, Any]:
    check_admin(actor)
    async with svc.db.transaction() as tx:
        row = await _row(tx, resource_id)
        before = resource_shape(row)
        for name, value in check_resource(body, before).items():
            setattr(row, name, value)
        row.updated_at = svc.clock.now()
        record_admin_change(tx, actor, "resource.edit", f"resource:{row.id}", before, resource_shape(row),
                            at=row.updated_at)
        await _changed(svc, tx)
    return resource_shape(row)


async def do_remove_resource(svc: Services, *, actor: Principal, resource_id: str) -> None:
    check_admin(actor)
    async with svc.db.transaction() as tx:
        row = await _row(tx, resource_id)
        record_admin_change(tx, actor, "resource.remove", f"resource:{row.id}", resource_shape(row), None,
                            at=svc.clock.now())
        await CrisisResourceStore(tx.session).delete(row.id)
        await _changed(svc, tx)
