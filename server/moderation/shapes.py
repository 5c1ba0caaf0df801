"""How review items look on the wire (docs/protocol.md): ids, triage and workflow state, what staff wrote
when raising one and how its review ended; never message text. Items go to moderators and admins only."""
from __future__ import annotations

from typing import Any

from ..clock import iso
from ..rooms.shapes import user_shape
from ..storage.review import ItemRow


def _when(timestamp: float | None) -> str | None:
    return iso(timestamp) if timestamp is not None else None


def item_shape(row: ItemRow) -> dict[str, Any]:
    """The Item of docs/protocol.md. The resolution note lives here rather than in the moderation log, which
    only says one was written (audit.py keeps staff's free text out of a log kept for a year); a reopened item
    has neither it nor resolved_by (the queue clears both): its new episode is judged afresh."""
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
        "resolved_by": user_shape(row.resolver) if row.resolver else None,
        "resolution_note": item.note,
        "escalated_at": _when(item.escalated_at),
        "room_first_until": _when(item.room_first_until),
    }
