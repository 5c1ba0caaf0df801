"""How an item's review ended, on the item itself: the moderator who resolved it and the note they wrote for
the team. The moderation log only says that a note was written (audit.py keeps staff's free text out of a log
kept for a year), so the item is where the team reads it, for as long as moderation retention keeps the item.
Items go to moderators and admins only."""
from __future__ import annotations

from typing import Any

from ..rooms.shapes import user_shape
from ..storage.review import ItemRow
from .shapes import item_shape


def item_with_resolution(row: ItemRow) -> dict[str, Any]:
    """The Item of docs/protocol.md. A reopened item has neither (the queue clears both): its new episode is
    judged afresh."""
    return {**item_shape(row),
            "resolved_by": user_shape(row.resolver) if row.resolver else None,
            "resolution_note": row.item.note}
