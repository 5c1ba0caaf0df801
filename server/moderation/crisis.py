"""Crisis detection: a tiered phrase lexicon matched on normalised text.

A crisis message is always delivered: this stage only flags it (with its severity and spans) and
makes sure the sender is offered crisis resources. Negation, past or third-person context lowers
the severity by one tier but never removes the flag: a missed crisis is worse than a false alarm.
"""
from __future__ import annotations

from functools import cache

from .normalize import Normalized
from .phrases import PhraseHit, PhraseMatcher, cue_pattern, preceded_by, read_lines
from .verdict import Flag, FlagKind, Severity

_LOWER = {Severity.IMMINENT: Severity.HIGH, Severity.HIGH: Severity.MEDIUM, Severity.MEDIUM: Severity.LOW}
_CUES = (
    "not", "never", "don't", "didn't", "won't", "wouldn't", "no longer", "stopped", "without",
    "he", "she", "they", "his", "her", "their", "him", "them", "someone", "somebody", "friend", "friends",
    "brother", "sister", "mom", "dad", "mother", "father", "son", "daughter", "boyfriend", "girlfriend",
    "husband", "wife", "people", "person", "character", "movie", "song", "grandmother", "grandfather", "grandma",
    "grandpa", "aunt", "uncle", "cousin", "partner", "dog", "cat", "pet", "patient",
    "used to", "years ago", "year ago", "when i was", "as a kid", "as a teen", "in the past", "back then", "once",
)
_CONTEXT = cue_pattern(_CUES)


@cache
def _matcher() -> PhraseMatcher:
    return PhraseMatcher(read_lines("crisis.txt"))


def _severity(text: str, hit: PhraseHit) -> Severity:
    """Lower one tier when the words just before the phrase negate it, or put it in the past or on someone else."""
    return _LOWER.get(hit.severity, hit.severity) if preceded_by(_CONTEXT, text, hit.start) else hit.severity


def check_crisis(norm: Normalized) -> tuple[Flag, ...]:
    """At most one CRISIS flag: the highest severity found, its rule, and every matched span."""
    hits = _matcher().find(norm.plain)
    if not hits:
        return ()
    graded = [(_severity(norm.plain, hit), hit) for hit in hits]
    severity, top = max(graded, key=lambda pair: (pair[0].rank, pair[1].severity.rank))
    spans = tuple(norm.span(hit.start, hit.end) for _, hit in sorted(graded, key=lambda pair: pair[1].start))
    return (Flag(FlagKind.CRISIS, severity, top.rule, spans),)
