"""orjson behind the json interface python-socketio expects (dumps returns str): much cheaper per packet.

orjson refuses integers beyond 64 bits; the stdlib handles those rare packets so that a client sending
one gets a normal `invalid_payload` answer rather than a decode failure. An integer too long for Python to
convert at all (over 4,300 digits) is read as TOO_LONG_NUMBER, which the payload check refuses: a decode
error would drop the whole packet, and with it the ack the client is waiting for.
"""
from __future__ import annotations

import json
from typing import Any

import orjson


class TooLongNumber:
    __slots__ = ()


TOO_LONG_NUMBER = TooLongNumber()


def _integer(digits: str) -> int | TooLongNumber:
    try:
        return int(digits)
    except ValueError:
        return TOO_LONG_NUMBER


def dumps(obj: Any, **_options: Any) -> str:
    try:
        return orjson.dumps(obj).decode()
    except TypeError:
        return json.dumps(obj, separators=(",", ":"))


def loads(data: str | bytes, **_options: Any) -> Any:
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError:
        try:
            return json.loads(data, parse_int=_integer)
        except RecursionError:
            raise ValueError("JSON nested too deeply") from None
