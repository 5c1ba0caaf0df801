"""Text from outside must be Unicode we can store and send on: JSON's escapes can name a lone surrogate
(U+D800-U+DFFF), which is no character, and neither the database drivers nor UTF-8 accept one."""
from __future__ import annotations

import re
from typing import Any

_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
NOT_UNICODE = ("Text must be valid Unicode: this holds a lone surrogate (U+D800 to U+DFFF), which is not a "
               "character. Send the text as it was typed.")


def lone_surrogate_in(value: Any) -> bool:
    """Whether any string in a decoded JSON value, keys included, holds a lone surrogate."""
    if isinstance(value, str):
        return not value.isascii() and _LONE_SURROGATE.search(value) is not None
    if isinstance(value, dict):
        return any(lone_surrogate_in(key) or lone_surrogate_in(item) for key, item in value.items())
    if isinstance(value, list):
        return any(lone_surrogate_in(item) for item in value)
    return False
