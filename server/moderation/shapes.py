"""How review items look on the wire (docs/protocol.md): ids, triage and workflow state, and what staff wrote
when raising one; never message text."""
from __future__ import annotations

from typing import Any

from ..clock import iso
from ..rooms.shapes import user_shape
from ..storage.review import ItemRow


def _when(timestamp: float | None) -> str | None:
    return iso(timestamp) if timestamp is not None else None


def item_shape(row: ItemRow) -> dict[str, Any]:
    item = row.item
    return {
        "id": item.id,
        "kind": item.kind,
        "severity": item.severity,
        "priority": item.tier,
        "score": item.score,
        "reasons": dict(item.reasons),
        "notes": [{**note, "at": iso(note["at"])} for note in item.notes],
        "status": item.status,
        "version": item.version,
        "room": row.room_slug,
        "target": {"type": item.target_type, "id": item.target_id},
        "subject": user_shape(row.subject),
        "claimed_by": user_shape(row.claimer) if row.claimer and item.status == "claimed" else None,
        "claimed_at": _when(item.claimed_at) if item.status == "claimed" else None,
        "outcome": item.outcome,
        "created_at": iso(item.created_at),
        "updated_at": iso(item.updated_at),
        "resolved_at": _when(item.resolved_at),
        "escalated_at": _when(item.escalated_at),
        "room_first_until": _when(item.room_first_until),
    }
