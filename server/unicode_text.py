"""Text from outside must be Unicode we can store and send on: JSON's escapes can name a lone surrogate
(U+D800-U+DFFF), which is no character, and neither the database drivers nor UTF-8 accept one; nor does
PostgreSQL store NUL (U+0000) in text, which nobody types."""
from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
NOT_UNICODE = ("Text must be valid Unicode: this holds a lone surrogate (U+D800 to U+DFFF), which is not a "
               "character. Send the text as it was typed.")
NUL_CHARACTER = "Text can't hold the NUL character (U+0000): it isn't text anyone types, and it can't be stored."


def _any_string(value: Any, bad: Callable[[str], bool]) -> bool:
    """Whether `bad` holds for any string in a decoded JSON value, keys included."""
    if isinstance(value, str):
        return bad(value)
    if isinstance(value, dict):
        return any(_any_string(key, bad) or _any_string(item, bad) for key, item in value.items())
    if isinstance(value, list):
        return any(_any_string(item, bad) for item in value)
    return False


def _has_lone_surrogate(text: str) -> bool:
    return not text.isascii() and _LONE_SURROGATE.search(text) is not None


def lone_surrogate_in(value: Any) -> bool:
    return _any_string(value, _has_lone_surrogate)


def _unstorable(text: str) -> bool:
    return "\x00" in text or _has_lone_surrogate(text)


def without_unstorable(text: str) -> str:
    """`text` less what can't be stored or sent on (lone surrogates, NUL): to read a refused text for crisis."""
    return _LONE_SURROGATE.sub("", text).replace("\x00", "") if _unstorable(text) else text


def unstorable_text(value: Any) -> str | None:
    """Why a decoded JSON value holds text that can't be stored (NOT_UNICODE or NUL_CHARACTER), or None. One
    walk over every payload (the send path runs it per message); the second only to say which it is."""
    if not _any_string(value, _unstorable):
        return None
    return NOT_UNICODE if lone_surrogate_in(value) else NUL_CHARACTER
