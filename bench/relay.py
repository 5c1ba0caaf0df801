"""The baseline: a bare python-socketio relay (no auth, no moderation, no storage) on aiohttp.

`--tuned` gives it the same event loop (uvloop), JSON codec (orjson) and GC settings as peerchat;
without it, it is python-socketio as its docs show it (asyncio loop, stdlib json, default GC).
"""
from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path
from typing import Any

import socketio
from aiohttp import web

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def build(tuned: bool) -> web.Application:
    options: dict[str, Any] = {}
    if tuned:
        from server.realtime import wirejson
        options["json"] = wirejson
    sio = socketio.AsyncServer(async_mode="aiohttp", cors_allowed_origins="*", **options)
    app = web.Application()
    sio.attach(app)

    @sio.on("room:join")
    async def join(sid: str, data: dict[str, Any]) -> dict[str, Any]:
        await sio.enter_room(sid, data["room"])
        return {"ok": True}

    @sio.on("message:send")
    async def send(sid: str, data: dict[str, Any]) -> dict[str, Any]:
        message = {"room": data["room"], "text": data["text"], "client_msg_id": data["client_msg_id"]}
        await sio.emit("message:new", message, room=data["room"])
        return {"ok": True, "message": message}

    return app


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--tuned", action="store_true")
    args = parser.parse_args()
    app = build(args.tuned)
    if args.tuned:
        import uvloop
        from server.runtime import freeze_startup_objects, tune_collector
        asyncio.set_event_loop_policy(uvloop.EventLoopPolicy())
        tune_collector()

        async def freeze(_app: web.Application) -> None:
            freeze_startup_objects()
        app.on_startup.append(freeze)
    web.run_app(app, host="127.0.0.1", port=args.port, print=lambda _t: None, access_log=None)


if __name__ == "__main__":
    main()
