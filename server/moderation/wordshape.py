"""A cheap word-boundary view of text, so prefilters are substring tests instead of regex scans.

`word_shape("Call 07700, OK?")` is `" call ##### ok  "`: lower-case letters kept, digits as `#`,
everything else (underscore too) a space, padded with a space at each end. `" ok " in shape` then
means the word "ok" stands alone, as the regex `\\bok\\b` would find it in the original (a prefilter
may say yes too often, never no too often).
"""
from __future__ import annotations

import string

_SHAPE = str.maketrans(
    {chr(c): " " for c in range(128)}
    | {c: c for c in string.ascii_lowercase}
    | {c: c.lower() for c in string.ascii_uppercase}
    | dict.fromkeys(string.digits, "#")
)


def word_shape(text: str) -> str | None:
    """The shape of the text, or None when it holds a non-ASCII letter or digit (which a case-insensitive
    regex may read as an ASCII one). Other non-ASCII characters (curly quotes, dashes, emoji) are spaces."""
    if text.isascii():
        return f" {text.translate(_SHAPE)} "
    others = {char for char in set(text) if not char.isascii()}
    if any(char.isalnum() for char in others):
        return None
    return f" {text.translate(_SHAPE).translate(dict.fromkeys(map(ord, others), ' '))} "


class WordStarts:
    """Lets an Aho-Corasick automaton report only matches that start a word, with no per-hit check.

    A word starts where the character before it is not a letter or digit (nor one of `inner`, which
    counts as part of a word). The view is " " + text with every other such character turned into a
    space, except those the keys themselves contain (`kept`); each key is added once per character
    that may stand before it (`prefixes`). A hit on key c+w ending at i is w ending at i - 1 in text.
    """

    def __init__(self, keys: set[str], inner: str = "", kept: str = "") -> None:
        self.kept = frozenset(c for key in keys for c in key if not c.isalnum() and c not in inner) | set(kept)
        self.prefixes = tuple(sorted(self.kept | {" "}))
        self._ascii = {c: " " for c in range(128) if not chr(c).isalnum() and chr(c) not in self.kept | set(inner)}
        self._inner = inner
        self._last: tuple[str, str] = ("", " ")

    def view(self, text: str) -> str:
        """The view of text; the last one is kept, as several matchers look at the same normalised text."""
        last = self._last  # read once: another thread may replace it meanwhile
        if text is last[0]:
            return last[1]
        folded = text.translate(self._ascii)
        if not folded.isascii():
            others = {c for c in set(folded) if not c.isascii() and not c.isalnum() and c not in self._inner}
            if others:
                folded = folded.translate(dict.fromkeys(map(ord, others), " "))
        view = " " + folded
        self._last = (text, view)
        return view
