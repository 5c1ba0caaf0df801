"""orjson behind the json interface python-socketio expects (dumps returns str): much cheaper per packet.

orjson refuses integers beyond 64 bits; the stdlib handles those rare packets so that a client sending
one gets a normal `invalid_payload` answer rather than a decode failure.
"""
from __future__ import annotations

import json
from typing import Any

import orjson


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
            return json.loads(data)
        except RecursionError:
            raise ValueError("JSON nested too deeply") from None
