"""Which of many regexes may match a text, found in one Hyperscan pass over it.

Python's `re` tries one regex at a time, so a lexicon of hundreds of rules costs hundreds of scans per
message. Hyperscan (Intel's multi-pattern regex engine, vectorscan on ARM) compiles them all into one
automaton and scans the text once. It does not support look-arounds and reads bytes, so each rule is
compiled there as a looser twin (`hyperscan_twin`): every text the exact regex matches, the twin matches
too. A caller runs the exact regex only for the rules the scan names, and so finds exactly what the
exact regexes alone would find.
"""
from __future__ import annotations

import re
import threading
from collections.abc import Sequence

import hyperscan

# Python-regex fragments our pattern compilers emit, and their looser twins on UTF-8 bytes. In byte mode
# Hyperscan's \w is ASCII, so a non-ASCII letter (bytes 0x80-0xff) is allowed wherever \w is; \W and
# [^\w'] already match those bytes, which is looser than Python's Unicode \W. Look-aheads are dropped.
_TWINS = {
    "(?<![\\w'])": "(?:^|[^\\w'])",
    "(?![\\w'])": "",
    "(?=[ \\t]*(?:[\\n.!?,;:)]|$))": "",
    "[\\w']": "[\\w'\\x80-\\xff]",
    "\\w": "[\\w\\x80-\\xff]",
}
_FRAGMENTS = re.compile("|".join(map(re.escape, _TWINS)))  # longest first: "[\\w']" before "\\w"


def hyperscan_twin(regex: str) -> bytes:
    """A Hyperscan pattern that matches wherever `regex` (one our compilers emit) matches, and perhaps more."""
    return _FRAGMENTS.sub(lambda fragment: _TWINS[fragment.group()], regex).encode("utf-8")


def _note(rule: int, _start: int, _end: int, _flags: int, found: object) -> None:
    found.append(rule)  # type: ignore[attr-defined]  # the list `which` passes as context


class MultiScanner:
    """Compiled Hyperscan twins of many patterns; `which` names the ones that may match a text."""

    def __init__(self, patterns: Sequence[bytes]) -> None:
        self._database: hyperscan.Database | None = None
        self._local = threading.local()  # a scan needs scratch space of its own in each thread
        if patterns:
            self._database = hyperscan.Database()
            self._database.compile(
                expressions=list(patterns), ids=list(range(len(patterns))), elements=len(patterns),
                flags=[hyperscan.HS_FLAG_SINGLEMATCH] * len(patterns),
            )

    def which(self, text: str) -> list[int]:
        """Indexes of the patterns that may match text, in pattern order."""
        if self._database is None:
            return []
        scratch = getattr(self._local, "scratch", None)
        if scratch is None:
            scratch = self._local.scratch = hyperscan.Scratch(self._database)
        found: list[int] = []
        self._database.scan(
            text.encode("utf-8", "surrogatepass"), match_event_handler=_note, context=found, scratch=scratch
        )
        found.sort()
        return found
