"""A minimal Socket.IO v5 client over one aiohttp WebSocket: cheap enough that one generator process
can drive thousands of connections (python-socketio's client costs several times more per message).
"""
from __future__ import annotations

import asyncio
import itertools
from typing import Any, Callable

import aiohttp
import orjson

OnEvent = Callable[[str, Any], None]


class WireClient:
    def __init__(self, http: aiohttp.ClientSession, on_event: OnEvent) -> None:
        self._http = http
        self._on_event = on_event
        self._acks: dict[int, asyncio.Future[Any]] = {}
        self._ids = itertools.count(1)
        self._ws: aiohttp.ClientWebSocketResponse | None = None
        self._reader: asyncio.Task[None] | None = None
        self.closed = asyncio.Event()

    async def connect(self, url: str, auth: dict[str, Any] | None) -> None:
        ws_url = url.replace("http://", "ws://") + "/socket.io/?EIO=4&transport=websocket"
        self._ws = await self._http.ws_connect(ws_url, autoping=False, compress=0)
        opened = await self._ws.receive_str()
        assert opened.startswith("0"), opened
        await self._ws.send_str("40" + (orjson.dumps(auth).decode() if auth else ""))
        while True:
            reply = await self._ws.receive_str()
            if reply.startswith("40"):
                break
            if reply.startswith("44"):
                raise ConnectionError(reply)
        self._reader = asyncio.create_task(self._read())

    async def call(self, event: str, data: Any, timeout: float = 30) -> Any:
        assert self._ws is not None
        ack = next(self._ids)
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._acks[ack] = future
        await self._ws.send_str(f"42{ack}" + orjson.dumps([event, data]).decode())
        try:
            return await asyncio.wait_for(future, timeout)
        finally:
            self._acks.pop(ack, None)

    async def _read(self) -> None:
        assert self._ws is not None
        try:
            async for frame in self._ws:
                if frame.type != aiohttp.WSMsgType.TEXT:
                    break
                data = frame.data
                if data == "2":
                    await self._ws.send_str("3")
                elif data.startswith("42"):
                    event, *args = orjson.loads(data[2:])
                    self._on_event(event, args[0] if args else None)
                elif data.startswith("43"):
                    body = data[2:]
                    split = body.index("[")
                    future = self._acks.get(int(body[:split]))
                    if future is not None and not future.done():
                        future.set_result(orjson.loads(body[split:])[0])
        finally:
            self.closed.set()

    async def close(self) -> None:
        if self._ws is not None:
            await self._ws.close()
        if self._reader is not None:
            await asyncio.gather(self._reader, return_exceptions=True)
