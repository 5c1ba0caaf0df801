"""Which of many regexes may match a text, found in one Hyperscan pass over it.

Python's `re` tries one regex at a time, so a lexicon of hundreds of rules costs hundreds of scans per
message. Hyperscan (Intel's multi-pattern regex engine, vectorscan on ARM) compiles them all into one
automaton and scans the text once. It does not support look-arounds and reads bytes, so each rule is
compiled there as a looser twin (twins.py): every text the exact regex matches, the twin matches too.
A caller runs the exact regex only for the rules the scan names, and so finds exactly what the exact
regexes alone would find.
"""
from __future__ import annotations

import contextlib
import hashlib
import os
import re
import threading
from collections.abc import Callable, Sequence
from importlib.metadata import version
from pathlib import Path
from typing import Any

import hyperscan


def _note(rule: int, _start: int, _end: int, _flags: int, found: object) -> None:
    found.append(rule)  # type: ignore[attr-defined]  # the list `which` passes as context


def _note_end(rule: int, _start: int, end: int, _flags: int, found: object) -> None:
    found.append((rule, end))  # type: ignore[attr-defined]  # the list `starts` passes as context


class _Scanner:
    """One compiled database and the scratch space a scan needs, one per thread."""

    def __init__(self, expressions: Sequence[bytes], flags: Sequence[int]) -> None:
        self._database: hyperscan.Database | None = None
        self._local = threading.local()
        if expressions:
            self._database = _database(list(expressions), list(flags))

    def _scan(self, data: bytes, note: Callable[[int, int, int, int, object], None], found: list[Any]) -> None:
        scratch = getattr(self._local, "scratch", None)
        if scratch is None:
            scratch = self._local.scratch = hyperscan.Scratch(self._database)
        self._database.scan(data, note, 0, found, scratch)  # type: ignore[union-attr]  # by keyword: 0.3 us more


class MultiScanner(_Scanner):
    """Compiled Hyperscan twins of many patterns; `which` names the ones that may match a text."""

    def __init__(self, patterns: Sequence[bytes]) -> None:
        super().__init__(patterns, [hyperscan.HS_FLAG_SINGLEMATCH] * len(patterns))

    def which(self, text: str) -> list[int]:
        """Indexes of the patterns that may match text, in pattern order."""
        if self._database is None:
            return []
        found: list[int] = []
        self._scan(text.encode("utf-8", "surrogatepass"), _note, found)
        found.sort()
        return found


def _end(match: tuple[int, int]) -> int:
    return match[1]


class EndScanner(_Scanner):
    """Every place in bytes where one of a few patterns ends a match, for patterns that match rarely: one
    Hyperscan pass in C, then a Python call only per match."""

    def __init__(self, patterns: Sequence[bytes]) -> None:
        super().__init__(patterns, [0] * len(patterns))

    def matches(self, data: bytes) -> list[tuple[int, int]]:
        """Every match as (pattern index, end offset), in order of end."""
        found: list[tuple[int, int]] = []
        if self._database is not None:
            self._scan(data, _note_end, found)
            found.sort(key=_end)  # Hyperscan reports by end offset, but does not promise to
        return found

    def ends(self, data: bytes) -> list[int]:
        """The end offsets of every match, in order (each once, for a single pattern)."""
        return [end for _, end in self.matches(data)]


# For StartScanner on non-ASCII text: UTF-8 continuation bytes to 1, others to 0, to count characters.
_CONTINUATION = bytes(int(0x80 <= b < 0xC0) for b in range(256))


class StartScanner(_Scanner):
    """Where each of many regexes may start a match, from one Hyperscan pass over the reversed text.

    Its patterns are reversed twins (twins.reversed_twin). Hyperscan reports every end of a match of
    each, which in the text read forwards is every place where its regex may start: the regex then only
    needs trying there (re.Pattern.match), instead of at every position of a long message.
    """

    def __init__(self, patterns: Sequence[bytes]) -> None:
        super().__init__(patterns, [0] * len(patterns))

    def starts(self, text: str) -> dict[int, list[int]]:
        """Per pattern index that may match, the character positions where it may start, in order."""
        if self._database is None:
            return {}
        data = text[::-1].encode("utf-8", "surrogatepass")
        found: list[tuple[int, int]] = []
        self._scan(data, _note_end, found)
        places: dict[int, list[int]] = {}
        if len(data) == len(text):
            for rule, end in reversed(found):
                places.setdefault(rule, []).append(len(text) - end)
        else:  # characters behind a byte offset: its bytes less their continuation bytes
            continuations = data.translate(_CONTINUATION)
            for rule, end in reversed(found):
                places.setdefault(rule, []).append(len(text) - end + continuations.count(1, 0, end))
        for positions in places.values():
            positions.sort()  # Hyperscan reports by end offset, but does not promise to
        return places


def matches_at(pattern: re.Pattern[str], text: str, starts: list[int]) -> list[re.Match[str]]:
    """What pattern.finditer(text) finds, trying a match only at `starts` (StartScanner.starts: in order, and
    every place where one may start): the first match at or after the end of the one before, for a pattern
    that never matches empty. `re` would otherwise try it at every position of the text."""
    found: list[re.Match[str]] = []
    after = 0
    for start in starts:
        if start >= after:
            match = pattern.match(text, start)
            if match:
                found.append(match)
                after = match.end()
    return found


def _cache_dir() -> Path:
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "peerchat" / "hyperscan"


def _database(expressions: list[bytes], flags: list[int]) -> hyperscan.Database:
    """The compiled database, from the on-disk cache when these exact patterns were compiled before.

    Compiling the crisis lexicon takes Hyperscan about 2 s; loading it back takes under a millisecond, so
    a restart (or every worker process after the first) starts at once. A database that fails to load
    (another Hyperscan version or CPU) is compiled afresh; a cache that cannot be written is skipped.
    """
    numbers = b",".join(b"%d" % flag for flag in flags)
    key = hashlib.sha256(b"\0".join([version("hyperscan").encode(), numbers, *expressions])).hexdigest()
    path = _cache_dir() / f"{key}.db"
    try:
        return hyperscan.loadb(path.read_bytes(), hyperscan.HS_MODE_BLOCK)
    except (OSError, hyperscan.error):
        pass
    database = hyperscan.Database()
    database.compile(expressions=expressions, ids=list(range(len(expressions))), elements=len(expressions), flags=flags)
    temporary = path.with_name(f"{path.name}.{os.getpid()}.{threading.get_ident()}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary.write_bytes(hyperscan.dumpb(database))
        os.replace(temporary, path)  # readers see the whole file or none
    except OSError:
        with contextlib.suppress(OSError):
            temporary.unlink()
    return database
