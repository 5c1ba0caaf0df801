"""Connecting: tokens are required and checked, origins are restricted."""
from __future__ import annotations

import asyncio

import pytest
import socketio

from server.identity.tokens import TokenSigner
from tests.harness import Client, RunningServer


async def _refusal(server: RunningServer, token: str | None, **kwargs: object) -> object:
    client = Client()
    with pytest.raises(socketio.exceptions.ConnectionError):
        await client.connect(server.url, token, **kwargs)  # type: ignore[arg-type]
    await client.close()
    return client.connect_error


@pytest.mark.parametrize("token", [None, "", "forged.token.value", "x" * 600])
async def test_missing_or_forged_tokens_are_refused(server: RunningServer, token: str | None) -> None:
    error = await _refusal(server, token)
    assert error["data"]["code"] == "unauthorized"  # type: ignore[index]
    assert "sign in" in error["message"]  # type: ignore[index]


async def test_token_signed_with_another_key_is_refused(server: RunningServer) -> None:
    other = TokenSigner("another-secret-key-of-sufficient-length-000", server.clock)
    error = await _refusal(server, other.issue("someone", 0))
    assert error["data"]["code"] == "unauthorized"  # type: ignore[index]


async def test_expired_token_is_refused(server: RunningServer) -> None:
    token = await server.peer_token()
    server.clock.advance(server.services.settings.peer_token_ttl + 5)
    error = await _refusal(server, token)
    assert error["data"]["code"] == "unauthorized"  # type: ignore[index]
    assert "expired" in error["message"]  # type: ignore[index]


async def test_valid_token_connects(server: RunningServer) -> None:
    client = await server.peer()
    assert client.sio.connected


async def test_one_person_holds_a_bounded_number_of_connections(server: RunningServer) -> None:
    token = await server.peer_token()
    limit = server.services.settings.max_connections_per_user
    assert limit == 5
    held = [await server.connect(token) for _ in range(limit)]
    error = await _refusal(server, token)
    assert error["data"]["code"] == "rate_limited" and error["data"]["retry_after"] > 0  # type: ignore[index]
    assert "connections open" in error["message"]  # type: ignore[index]
    assert (await server.peer()).sio.connected  # other people are not affected
    await held[0].close()
    for _ in range(100):  # a closed tab frees its place once the server has seen it go
        if len(server.services.online.principals()) == limit:  # this person's other four, and the other peer
            break
        await asyncio.sleep(0.02)
    assert (await server.connect(token)).sio.connected


async def test_foreign_origin_is_refused_and_allowed_origin_accepted(server: RunningServer) -> None:
    token = await server.peer_token()
    await _refusal(server, token, headers={"Origin": "http://evil.example"})
    client = await server.connect(token, headers={"Origin": "http://peerchat.test"})
    assert client.sio.connected
