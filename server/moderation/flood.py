"""Flood and duplicate detection over the sender's own recent messages (passed in, never stored here)."""
from __future__ import annotations

from .policy import SenderContext
from .verdict import Flag, FlagKind, Severity

FLOOD_WINDOW_S = 10.0
FLOOD_LIMIT = 8
DUPLICATE_WINDOW_S = 300.0
DUPLICATE_LIMIT = 2


def _same(a: str, b: str) -> bool:
    return " ".join(a.casefold().split()) == " ".join(b.casefold().split())


def check_flood(text: str, sender: SenderContext) -> tuple[Flag, ...]:
    """Flag the 8th message within 10 s, or the 3rd copy of the same text within 5 minutes."""
    recent_burst = sum(1 for m in sender.recent if 0 <= sender.now - m.sent_at <= FLOOD_WINDOW_S)
    copies = sum(1 for m in sender.recent if 0 <= sender.now - m.sent_at <= DUPLICATE_WINDOW_S and _same(m.text, text))
    if copies >= DUPLICATE_LIMIT:
        return (Flag(FlagKind.FLOOD, Severity.LOW, "flood.duplicate"),)
    if recent_burst + 1 >= FLOOD_LIMIT:
        return (Flag(FlagKind.FLOOD, Severity.LOW, "flood.burst"),)
    return ()
