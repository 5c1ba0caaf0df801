"""orjson behind the json interface python-socketio expects (dumps returns str): much cheaper per packet."""
from __future__ import annotations

from typing import Any

import orjson


def dumps(obj: Any, **_options: Any) -> str:
    return orjson.dumps(obj).decode()


def loads(data: str | bytes, **_options: Any) -> Any:
    return orjson.loads(data)
