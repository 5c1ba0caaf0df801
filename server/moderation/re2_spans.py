"""Where one RE2 regex matches, and which of a set match, with a fraction of google-re2's per-call cost. Pure.

google-re2's public `finditer` wraps every call in a Python generator and a match object, and re-encodes a
str subject and maps its offsets back on each call: about 4 us a call on bytes and 8 us on str here, where
RE2 itself takes under 1 us (bench/watched_words.py). The watched-word stage runs it for every pattern that
matched a message, so it calls the binding's own `RE2.Match` (the call `finditer` makes, in google-re2's
`_re2` extension module; setup.cfg bounds the version) on a subject encoded once per message. The spans
are exactly `finditer`'s: leftmost-first, non-overlapping, empty matches left out (tests/moderation/
test_watched.py compares them on random text).
"""
from __future__ import annotations

from typing import Any

import re2
from re2 import _re2

_UNANCHORED = re2._Anchor.UNANCHORED
_CONTINUATION_BYTES = bytes(range(0x80, 0xC0))


class Subject:
    """A text as RE2 reads it (UTF-8), with character offsets for byte offsets."""

    __slots__ = ("text", "data", "ascii")

    def __init__(self, text: str) -> None:
        self.text = text
        self.data = text.encode("utf-8", "surrogatepass")
        self.ascii = len(self.data) == len(text)

    def chars(self, offset: int) -> int:
        return offset if self.ascii else len(self.data[:offset].translate(None, _CONTINUATION_BYTES))


class Finder:
    """One compiled pattern; `spans` gives every non-empty match as character offsets."""

    __slots__ = ("_regexp",)

    def __init__(self, pattern: str, options: re2.Options) -> None:
        self._regexp: Any = _re2.RE2(pattern.encode("utf-8"), options)
        if not self._regexp.ok():
            raise re2.error(self._regexp.error())

    def spans(self, subject: Subject) -> list[tuple[int, int]]:
        data = subject.data
        end = len(data)
        found: list[tuple[int, int]] = []
        position = 0
        while position <= end:
            start, stop = self._regexp.Match(_UNANCHORED, data, position, end)[0]
            if start < 0:
                break
            if stop > start:
                found.append((subject.chars(start), subject.chars(stop)))
                position = stop
            else:  # an empty match: step over one character, as finditer does
                position = stop + 1
                while position < end and data[position] & 0xC0 == 0x80:
                    position += 1
        return found


class PatternSet:
    """Many patterns compiled as one RE2 set; `which` names the ones that match a UTF-8 subject.

    Calls the binding's own set (google-re2's `_re2.Set`), as `Finder` does its regex: the public
    `re2.Set.Match` is a Python function around it, about a microsecond a call.
    """

    __slots__ = ("_set",)

    def __init__(self, patterns: list[str], options: re2.Options) -> None:
        self._set: Any = _re2.Set(_UNANCHORED, options)
        for pattern in patterns:
            if self._set.Add(pattern.encode("utf-8")) < 0:
                raise re2.error(f"failed to add {pattern!r} to the set")
        if not self._set.Compile():
            raise re2.error("failed to compile the set")

    def which(self, data: bytes) -> list[int]:
        found: list[int] = self._set.Match(data)
        return found
