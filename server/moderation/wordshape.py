"""A cheap word-boundary view of text, so prefilters are substring tests instead of regex scans.

`word_shape("Call 07700, OK?")` is `" call ##### ok  "`: lower-case letters kept, digits as `#`,
everything else (underscore too) a space, padded with a space at each end. `" ok " in shape` then
means the word "ok" stands alone, as the regex `\\bok\\b` would find it in the original (a prefilter
may say yes too often, never no too often).
"""
from __future__ import annotations

import string
from collections.abc import Mapping


ASCII = frozenset(map(chr, range(128)))  # set(text) - ASCII: a text's other characters, found in C


class AsciiTable:
    """A str.translate table that maps ASCII characters to one ASCII character each.

    It runs as bytes.translate over a 256-byte table, about eight times faster than str.translate, which
    looks every character up in a dict.
    """

    __slots__ = ("mapping", "_bytes")

    def __init__(self, mapping: Mapping[int, str]) -> None:
        self.mapping = dict(mapping)
        self._bytes = bytes(ord(self.mapping.get(c, chr(c))) for c in range(128)) + bytes(range(128, 256))

    def __call__(self, text: str, others: Mapping[int, str] | None = None) -> str:
        """The translated text, with `others` mapping more characters as if in the same pass.

        Text is mostly ASCII with a few others (curly quotes, emoji): each one that changes is replaced
        in one C scan, then the table runs over the bytes. That is the same as one pass when the others
        are non-ASCII and their pieces unchanged by this table; else one dict pass. Other text runs as
        UTF-8, whose non-ASCII characters are all bytes over 127, which the table leaves alone.
        """
        if others:
            others = {code: piece for code, piece in others.items() if piece != chr(code)}
        if others:
            pieces = "".join(others.values())
            if min(others) < 128 or self(pieces) != pieces:
                return text.translate({**self.mapping, **others})
            for code, piece in others.items():
                text = text.replace(chr(code), piece)
        if text.isascii():
            return text.encode("ascii").translate(self._bytes).decode("ascii")
        return text.encode("utf-8", "surrogatepass").translate(self._bytes).decode("utf-8", "surrogatepass")


_SHAPE = AsciiTable(
    {c: " " for c in range(128)}
    | {ord(c): c.lower() for c in string.ascii_letters}
    | dict.fromkeys(map(ord, string.digits), "#")
)


def word_shape(text: str) -> str | None:
    """The shape of the text, or None when it holds a non-ASCII letter or digit (which a case-insensitive
    regex may read as an ASCII one). Other non-ASCII characters (curly quotes, dashes, emoji) are spaces."""
    if text.isascii():
        return f" {_SHAPE(text)} "
    others = set(text) - ASCII
    if any(char.isalnum() for char in others):
        return None
    return f" {_SHAPE(text, dict.fromkeys(map(ord, others), ' '))} "


class WordStarts:
    """Lets a multi-word matcher (Aho-Corasick, Hyperscan) report only matches that start a word, with no
    per-hit check.

    A word starts where the character before it is not a letter or digit (nor one of `inner`, which
    counts as part of a word). The view is " " + text with every other such character turned into a
    space, except those the keys themselves contain (`kept`); each key is added once per character
    that may stand before it (`prefixes`). A hit on key c+w ending at i is w ending at i - 1 in text.
    """

    def __init__(self, keys: set[str], inner: str = "", kept: str = "") -> None:
        self.kept = frozenset(c for key in keys for c in key if not c.isalnum() and c not in inner) | set(kept)
        self.prefixes = tuple(sorted(self.kept | {" "}))
        self._keep = self.kept | set(inner)
        self._ascii = AsciiTable({c: " " for c in range(128) if not chr(c).isalnum() and chr(c) not in self._keep})
        self._last: tuple[str, str] = ("", " ")

    def view(self, text: str) -> str:
        """The view of text; the last one is kept, as several matchers look at the same normalised text."""
        last = self._last  # read once: another thread may replace it meanwhile
        if text is last[0]:
            return last[1]
        if text.isascii():
            view = " " + self._ascii(text)
        else:
            keep = self._keep
            others = {ord(c): " " for c in set(text) - ASCII if not c.isalnum() and c not in keep}
            view = " " + self._ascii(text, others)
        self._last = (text, view)
        return view
