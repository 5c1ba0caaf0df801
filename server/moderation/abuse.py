"""Targeted abuse: phrases aimed at another person ("kys", "nobody would miss you").

Always flagged to moderators at high severity. A negated phrase ("please don't kill yourself") is
support, not abuse, and is left alone; so is a question about suicide ("is it selfish to kill yourself?",
"are you thinking of killing yourself?"): holding it would silence someone asking, and the crisis stage
flags it instead.
"""
from __future__ import annotations

from functools import cache

from .normalize import Normalized
from .phrases import PhraseMatcher, cue_pattern, preceded_by, read_lines
from .verdict import Flag, FlagKind, Severity

_NOT_AIMED = cue_pattern((
    "not", "don't", "do not", "never", "won't", "wouldn't", "shouldn't", "no one should", "stop",
    "are you", "do you", "did you", "have you", "were you", "is it", "how to", "how do you", "how does one",
    "what happens", "selfish to", "wrong to", "okay to", "ok to", "cowardly to", "way to", "ways to",
    "thinking of", "thinking about", "thoughts of", "trying to",
))


@cache
def _matcher() -> PhraseMatcher:
    return PhraseMatcher(read_lines("abuse.txt"))


def check_abuse(norm: Normalized) -> tuple[Flag, ...]:
    """At most one ABUSE flag for targeted phrases, with every matched span."""
    hits = [h for h in _matcher().find(norm.plain) if not preceded_by(_NOT_AIMED, norm.plain, h.start, window=20)]
    if not hits:
        return ()
    return (Flag(FlagKind.ABUSE, Severity.HIGH, hits[0].rule, tuple(norm.span(h.start, h.end) for h in hits)),)
