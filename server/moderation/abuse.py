"""Targeted abuse: phrases aimed at another person ("kys", "nobody would miss you").

Always flagged to moderators at high severity. A negated phrase ("please don't kill yourself") is
support, not abuse, and is left alone.
"""
from __future__ import annotations

from functools import cache

from .normalize import Normalized
from .phrases import PhraseMatcher, cue_pattern, preceded_by, read_lines
from .verdict import Flag, FlagKind, Severity

_NEGATION = cue_pattern(("not", "don't", "do not", "never", "won't", "wouldn't", "shouldn't", "no one should", "stop"))


@cache
def _matcher() -> PhraseMatcher:
    return PhraseMatcher(read_lines("abuse.txt"))


def check_abuse(norm: Normalized) -> tuple[Flag, ...]:
    """At most one ABUSE flag for targeted phrases, with every matched span."""
    hits = [h for h in _matcher().find(norm.text) if not preceded_by(_NEGATION, norm.text, h.start, window=20)]
    if not hits:
        return ()
    return (Flag(FlagKind.ABUSE, Severity.HIGH, hits[0].rule, tuple(norm.span(h.start, h.end) for h in hits)),)
