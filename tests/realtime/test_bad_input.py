"""Bad input gets an error ack or a refused frame; the server keeps serving everyone else."""
from __future__ import annotations

import asyncio
import json

import aiohttp
import pytest

from server.errors import DomainError, ErrorCode
from server.realtime.events import EVENTS, Call, event
from tests.harness import RunningServer

BAD_PAYLOADS = [
    ("message:send", "just a string"),
    ("message:send", 42),
    ("message:send", ["room", "text"]),
    ("message:send", {"room": "anxiety"}),
    ("message:send", {"room": 7, "text": "hi", "client_msg_id": "a"}),
    ("message:send", {"room": "anxiety", "text": None, "client_msg_id": "a"}),
    ("message:send", {"room": "anxiety", "text": "hi", "client_msg_id": "a", "extra": 1}),
    ("message:send", {"room": "anxiety", "text": {"nested": {"deeper": {"deepest": 1}}}, "client_msg_id": "a"}),
    ("message:send", ({"room": "anxiety"}, {"text": "two args"})),
    ("room:join", {"room": "anxiety", "accept_agreement": "yes"}),
    ("room:join", {"room": "x" * 500}),
    ("message:history", {"room": "anxiety", "limit": 10**120}),
    ("message:send", {"room": "anxiety", "text": b"\x00binary", "client_msg_id": "a"}),
    ("message:send", {"room": "anxiety", "text": "a lone \ud800 surrogate", "client_msg_id": "a"}),
    ("message:report", {"message_id": "x", "reason": "\udfff"}),
    ("message:send", {"room": "anxiety", "text": "a NUL \x00 in the text", "client_msg_id": "a"}),
    ("hand:raise", {"session": "a\x00b"}),
]


async def test_malformed_payloads_get_invalid_payload(server: RunningServer) -> None:
    ada = await server.joined_peer()
    for name, payload in BAD_PAYLOADS:
        reply = await ada.call(name, payload)
        assert reply["ok"] is False, (name, payload)
        assert reply["error"]["code"] == "invalid_payload", (name, payload, reply)
        assert reply["error"]["message"]
    ok = await ada.call("message:send", {"room": "anxiety", "text": "still fine", "client_msg_id": "fine"})
    assert ok["ok"]


async def test_unknown_events_are_answered(server: RunningServer) -> None:
    ada = await server.peer()
    for name in ("nope", "mod:claim:x", "connect", "disconnect"):
        reply = await ada.call(name, {})
        assert reply["error"]["code"] == "unknown_event", name


async def test_oversized_frame_drops_only_that_connection(server: RunningServer) -> None:
    ada = await server.joined_peer()
    bo = await server.joined_peer()
    await ada.sio.emit("message:send", {"room": "anxiety", "text": "x" * 20_000, "client_msg_id": "big"})
    for _ in range(50):
        if not ada.sio.connected:
            break
        await asyncio.sleep(0.05)
    assert not ada.sio.connected
    reply = await bo.call("message:send", {"room": "anxiety", "text": "still here", "client_msg_id": "s"})
    assert reply["ok"]


async def test_garbage_websocket_frames_do_not_hurt_the_server(server: RunningServer) -> None:
    bo = await server.joined_peer()
    async with aiohttp.ClientSession() as http:
        async with http.ws_connect(server.url + "/socket.io/?EIO=4&transport=websocket") as ws:
            await ws.receive()
            for frame in ("40", '42["message:send"', "42[1,2,3]", "4" + "9" * 200, '421["message:send",{}]',
                          "451-[\"message:send\",{\"_placeholder\":true,\"num\":0}]", "\x00\xff", "42" + "[" * 5000):
                await ws.send_str(frame)
            await ws.send_bytes(b"\x04binary without a header")
            await asyncio.sleep(0.2)
    reply = await bo.call("message:send", {"room": "anxiety", "text": "after garbage", "client_msg_id": "g"})
    assert reply["ok"]


async def test_an_integer_too_long_to_convert_is_answered_not_dropped(server: RunningServer) -> None:
    """Python refuses to convert integers of over 4,300 digits; the client still gets its error ack."""
    token = await server.peer_token()
    huge = "9" * 5000
    async with aiohttp.ClientSession() as http:
        async with http.ws_connect(server.url + "/socket.io/?EIO=4&transport=websocket") as ws:
            await ws.receive()  # engine.io open
            await ws.send_str("40" + json.dumps({"token": token}))
            assert (await ws.receive()).data.startswith("40")
            await ws.send_str('427["message:history",{"room":"anxiety","limit":%s}]' % huge)
            await ws.send_str('428["message:send",{"room":"anxiety","text":"hi","client_msg_id":%s}]' % huge)
            answers = {}
            while len(answers) < 2:
                frame = (await asyncio.wait_for(ws.receive(), 5)).data
                if frame.startswith("43"):
                    ack = frame[2:frame.index("[")]
                    answers[ack] = json.loads(frame[len(ack) + 2:])[0]
    for ack in ("7", "8"):
        assert answers[ack]["error"]["code"] == "invalid_payload" and "too long" in answers[ack]["error"]["message"]


async def test_handler_exception_becomes_internal_error_with_correlation_id(
        server: RunningServer, caplog: pytest.LogCaptureFixture) -> None:
    @event("test:explode")
    async def explode(call: Call) -> None:
        raise RuntimeError("boom")

    try:
        ada = await server.peer()
        reply = await ada.call("test:explode", {})
    finally:
        del EVENTS["test:explode"]
    assert reply["error"]["code"] == "internal"
    correlation_id = reply["error"]["correlation_id"]
    assert any(correlation_id in r.getMessage() for r in caplog.records)
    assert "boom" not in json.dumps(reply)
    assert (await ada.call("rooms:list"))["ok"]


def test_domain_errors_serialise_with_retry_after() -> None:
    error = DomainError(ErrorCode.RATE_LIMITED, "Slow down.", retry_after=1.23456)
    assert error.to_dict() == {"error": {"code": "rate_limited", "message": "Slow down.", "retry_after": 1.235}}
    assert error.http_status == 429
