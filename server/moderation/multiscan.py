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
import threading
from collections.abc import Sequence
from importlib.metadata import version
from pathlib import Path

import hyperscan


def _note(rule: int, _start: int, _end: int, _flags: int, found: object) -> None:
    found.append(rule)  # type: ignore[attr-defined]  # the list `which` passes as context


class MultiScanner:
    """Compiled Hyperscan twins of many patterns; `which` names the ones that may match a text."""

    def __init__(self, patterns: Sequence[bytes]) -> None:
        self._database: hyperscan.Database | None = None
        self._local = threading.local()  # a scan needs scratch space of its own in each thread
        if patterns:
            self._database = _database(list(patterns))

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


def _cache_dir() -> Path:
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "peerchat" / "hyperscan"


def _database(patterns: list[bytes]) -> hyperscan.Database:
    """The compiled database, from the on-disk cache when this exact pattern list was compiled before.

    Compiling the crisis lexicon takes Hyperscan about 2 s; loading it back takes under a millisecond, so
    a restart (or every worker process after the first) starts at once. A database that fails to load
    (another Hyperscan version or CPU) is compiled afresh; a cache that cannot be written is skipped.
    """
    key = hashlib.sha256(b"\0".join([version("hyperscan").encode(), *patterns])).hexdigest()
    path = _cache_dir() / f"{key}.db"
    try:
        return hyperscan.loadb(path.read_bytes(), hyperscan.HS_MODE_BLOCK)
    except (OSError, hyperscan.error):
        pass
    database = hyperscan.Database()
    database.compile(expressions=patterns, ids=list(range(len(patterns))), elements=len(patterns),
                     flags=[hyperscan.HS_FLAG_SINGLEMATCH] * len(patterns))
    temporary = path.with_name(f"{path.name}.{os.getpid()}.{threading.get_ident()}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary.write_bytes(hyperscan.dumpb(database))
        os.replace(temporary, path)  # readers see the whole file or none
    except OSError:
        with contextlib.suppress(OSError):
            temporary.unlink()
    return database
