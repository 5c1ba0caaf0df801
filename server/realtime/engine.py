"""The Socket.IO server with a cheaper wait for each connection's next outgoing packet.

Engine.IO gives every connection a writer that waits for its next packet with
`asyncio.wait_for(queue.get(), ...)`: a Task and a coroutine per packet on top of the wait itself. In
rooms of 20 that is 20 Tasks per message, and the waiting state of thousands of idle connections is
what each young garbage collection has to scan. A send queue whose `get` returns a plain future
removes the Task, its coroutine and one turn of the loop per delivery; the order, the timeout and the
queue's other methods are upstream's. Installed through the servers' own hooks (`create_queue`,
`_engineio_server_class`), not by patching the library.
"""
from __future__ import annotations

import asyncio
from collections import deque
from typing import Any

import engineio
import socketio


class SendQueue(asyncio.Queue[Any]):
    """`get` returns a future that `put` completes with the next item, so `wait_for` needs no Task to run
    a `get` coroutine. Waiters are served in order (a connection has one writer, but a client may overlap
    two long-polls); a wait that was cancelled or timed out is skipped and the item stays queued."""

    def __init__(self, maxsize: int = 0) -> None:
        super().__init__(maxsize)
        self._waiting: deque[asyncio.Future[Any]] = deque()

    def get(self) -> asyncio.Future[Any]:  # type: ignore[override]
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        if self.empty():
            self._waiting.append(future)
        else:
            future.set_result(self.get_nowait())
        return future

    def put_nowait(self, item: Any) -> None:
        super().put_nowait(item)
        while self._waiting:
            waiter = self._waiting.popleft()
            if not waiter.done():
                waiter.set_result(self.get_nowait())
                return


class EngineServer(engineio.AsyncServer):
    def create_queue(self, maxsize: int = 0) -> SendQueue:
        return SendQueue(maxsize)


class SocketServer(socketio.AsyncServer):
    def _engineio_server_class(self) -> type[EngineServer]:
        return EngineServer
