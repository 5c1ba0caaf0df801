"""Parsing client payloads: exactly one flat JSON object of known keys and sane types, or invalid_payload."""
from __future__ import annotations

from typing import Any

from ..errors import DomainError, ErrorCode
from ..unicode_text import unstorable_text
from .wirejson import TooLongNumber

MAX_KEYS = 16
MAX_DEPTH = 3


def _bad(message: str, field: str | None = None) -> DomainError:
    if field is None:
        return DomainError(ErrorCode.INVALID_PAYLOAD, message)
    return DomainError(ErrorCode.INVALID_PAYLOAD, message, field=field)


def _check_plain(value: Any, depth: int) -> None:
    """JSON values only: no binary attachments, no deep nesting (bounded work whatever the client sends)."""
    if depth > MAX_DEPTH:
        raise _bad("The payload is nested too deeply.")
    if isinstance(value, (bytes, bytearray)):
        raise _bad("Binary attachments are not accepted.")
    if isinstance(value, TooLongNumber):
        raise _bad("A number in the payload is too long.")
    if isinstance(value, dict):
        if len(value) > MAX_KEYS:
            raise _bad("The payload has too many fields.")
        for item in value.values():
            _check_plain(item, depth + 1)
    elif isinstance(value, list):
        if len(value) > MAX_KEYS:
            raise _bad("The payload has too many items.")
        for item in value:
            _check_plain(item, depth + 1)


def raw_string(args: tuple[Any, ...], name: str) -> str:
    """One text field of a payload that may not parse ("" when absent or not text): what a refused event said."""
    data = args[0] if len(args) == 1 else None
    value = data.get(name) if isinstance(data, dict) else None
    return value if isinstance(value, str) else ""


class Payload:
    """Typed access to one event's fields; each getter names the field it refuses."""

    def __init__(self, data: dict[str, Any]) -> None:
        self._data = data

    @classmethod
    def parse(cls, args: tuple[Any, ...], allowed: frozenset[str]) -> Payload:
        if not args:
            data: Any = {}
        elif len(args) == 1:
            data = args[0]
        else:
            raise _bad("Send exactly one object with the event.")
        if not isinstance(data, dict):
            raise _bad("The payload must be an object.")
        _check_plain(data, 1)
        unstorable = unstorable_text(data)
        if unstorable:
            raise _bad(unstorable)
        unknown = sorted(k for k in data if k not in allowed)
        if unknown:
            raise _bad(f"Unknown field: {str(unknown[0])[:40]}.", str(unknown[0])[:40])
        return cls(data)

    def string(self, name: str, *, max_length: int = 200, required: bool = True) -> str:
        value = self._data.get(name)
        if value is None and not required:
            return ""
        if not isinstance(value, str):
            raise _bad(f"'{name}' must be text.", name)
        if len(value) > max_length:
            raise _bad(f"'{name}' is too long.", name)
        return value

    def optional_int(self, name: str, *, low: int, high: int) -> int | None:
        value = self._data.get(name)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise _bad(f"'{name}' must be a whole number from {low} to {high}.", name)
        return value

    def boolean(self, name: str, *, default: bool) -> bool:
        value = self._data.get(name, default)
        if not isinstance(value, bool):
            raise _bad(f"'{name}' must be true or false.", name)
        return value
