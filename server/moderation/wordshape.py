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
