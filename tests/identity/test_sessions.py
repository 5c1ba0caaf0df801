"""Peer sessions and staff sign-in over HTTP."""
from __future__ import annotations

import uuid
from ipaddress import ip_network

import pytest
from prometheus_client import REGISTRY

from server.http.client_address import client_address
from server.identity.accounts import do_create_staff
from server.identity.roles import Role
from server.moderation.ratelimit import RateLimit
from server.settings import RateLimits
from tests.harness import RunningServer, ServerFactory


async def test_peer_session_returns_token_and_user(server: RunningServer) -> None:
    status, body = await server.post("/api/session", {"pseudonym": "  Quiet   Owl "})
    assert status == 201
    assert body["user"]["pseudonym"] == "Quiet Owl" and body["user"]["role"] == "peer"
    assert body["token"] and body["expires_in"] == 12 * 3600


@pytest.mark.parametrize("pseudonym", [None, 7, "", "a", "x" * 25, "<script>", "Admin", "moderator jo",
                                       "no\u202eway", "semi;colon"])
async def test_bad_pseudonyms_are_refused(server: RunningServer, pseudonym: object) -> None:
    status, body = await server.post("/api/session", {"pseudonym": pseudonym})
    assert status == 400
    assert body["error"]["code"] == "invalid" and body["error"]["field"] == "pseudonym"


async def test_pseudonym_unique_among_people_online(server: RunningServer) -> None:
    await server.peer("River")
    status, body = await server.post("/api/session", {"pseudonym": "river"})
    assert status == 409 and body["error"]["code"] == "pseudonym_taken"
    status, _ = await server.post("/api/session", {"pseudonym": "Lake"})
    assert status == 201


async def test_staff_names_are_kept_for_staff(server: RunningServer) -> None:
    await do_create_staff(server.services.db, server.clock, role=Role.MODERATOR, username="mia",
                          password="correct horse battery")
    status, body = await server.post("/api/session", {"pseudonym": "Mia"})
    assert status == 400 and "staff" in body["error"]["message"]


@pytest.mark.parametrize("raw", [b"not json", b"[1, 2]", b"\xff\xfe"])
async def test_bad_request_bodies_get_json_errors(server: RunningServer, raw: bytes) -> None:
    status, body = await server.post("/api/session", raw=raw, headers={"Content-Type": "application/json"})
    assert status == 400 and body["error"]["code"] == "invalid"


async def test_a_lone_surrogate_is_refused_as_text(server: RunningServer) -> None:
    """JSON escapes can name one; no database or UTF-8 writer takes it, so it is refused up front."""
    raw = b'{"pseudonym": "mi\\ud800a"}'
    status, body = await server.post("/api/session", raw=raw, headers={"Content-Type": "application/json"})
    assert status == 400 and body["error"]["code"] == "invalid" and "Unicode" in body["error"]["message"]


async def test_a_nul_character_is_refused_as_text(server: RunningServer) -> None:
    """PostgreSQL stores no U+0000 in text: refused up front with a reason, not a database error."""
    for raw in (b'{"pseudonym": "mi\\u0000a"}', b'{"username": "root\\u0000", "password": "x"}'):
        path = "/api/session" if b"pseudonym" in raw else "/api/login"
        status, body = await server.post(path, raw=raw, headers={"Content-Type": "application/json"})
        assert status == 400 and body["error"]["code"] == "invalid" and "NUL" in body["error"]["message"], path


async def test_oversized_request_body_is_refused(server: RunningServer) -> None:
    status, body = await server.post("/api/session", raw=b"{" + b" " * 70_000 + b"}")
    assert status == 413 and body["error"]["code"] == "invalid"


async def test_staff_login_and_connect(server: RunningServer) -> None:
    await do_create_staff(server.services.db, server.clock, role=Role.FACILITATOR, username="fran",
                          password="correct horse battery")
    status, body = await server.post("/api/login", {"username": "Fran", "password": "correct horse battery"})
    assert status == 200 and body["user"]["role"] == "facilitator" and body["expires_in"] == 8 * 3600
    client = await server.connect(body["token"])
    assert (await client.call("rooms:list"))["ok"]


async def test_login_failures_look_the_same(server: RunningServer) -> None:
    await do_create_staff(server.services.db, server.clock, role=Role.ADMIN, username="ada",
                          password="correct horse battery")
    answers = []
    for body in ({"username": "ada", "password": "wrong password"}, {"username": "nobody", "password": "x" * 12},
                 {"username": 5, "password": None}, {}):
        answers.append(await server.post("/api/login", body))
    assert all(a == answers[0] for a in answers), answers
    assert answers[0][0] == 401 and answers[0][1]["error"]["code"] == "unauthorized"


async def test_repeated_login_failures_are_throttled(make_server: ServerFactory) -> None:
    server = await make_server(rate_limits=RateLimits.only(login_account=RateLimit(5 / 1800, 5)))
    await do_create_staff(server.services.db, server.clock, role=Role.MODERATOR, username="mo",
                          password="correct horse battery")
    for _ in range(5):
        status, _body = await server.post("/api/login", {"username": "mo", "password": "guess guess"})
        assert status == 401
    status, body = await server.post("/api/login", {"username": "mo", "password": "correct horse battery"})
    assert status == 429 and body["error"]["code"] == "rate_limited" and body["error"]["retry_after"] > 0
    server.clock.advance(400)
    status, _body = await server.post("/api/login", {"username": "mo", "password": "correct horse battery"})
    assert status == 200


async def _new_sessions(server: RunningServer, count: int, forwarded_for: str | None) -> list[int]:
    headers = {"X-Forwarded-For": forwarded_for} if forwarded_for else None
    return [(await server.post("/api/session", {"pseudonym": f"guest{uuid.uuid4().hex[:8]}"}, headers=headers))[0]
            for _ in range(count)]


async def test_per_address_limits_count_clients_behind_a_trusted_proxy(make_server: ServerFactory) -> None:
    limits = RateLimits.only(create_session=RateLimit(0.001, 2))
    behind = await make_server(rate_limits=limits, trusted_proxies=(ip_network("127.0.0.0/8"),))
    refused = REGISTRY.get_sample_value("peerchat_rate_limited_total", {"action": "POST:/api/session"}) or 0
    assert await _new_sessions(behind, 3, "198.51.100.7") == [201, 201, 429]
    assert REGISTRY.get_sample_value("peerchat_rate_limited_total", {"action": "POST:/api/session"}) == refused + 1
    # Another person behind the same proxy has their own bucket; a forged entry on the left changes nothing.
    assert await _new_sessions(behind, 2, "198.51.100.8") == [201, 201]
    assert await _new_sessions(behind, 1, "203.0.113.1, 198.51.100.7") == [429]
    # Without trusting the proxy, the header is ignored: everyone shares the connecting address's bucket.
    direct = await make_server(rate_limits=limits)
    assert await _new_sessions(direct, 3, "198.51.100.7") == [201, 201, 429]
    assert await _new_sessions(direct, 1, "198.51.100.8") == [429]


@pytest.mark.parametrize("remote, forwarded, client", [
    ("10.0.0.2", "198.51.100.7", "198.51.100.7"),
    ("10.0.0.2", "203.0.113.1, 198.51.100.7, 10.0.0.9", "198.51.100.7"),
    ("10.0.0.2", "10.0.0.8, 10.0.0.9", "10.0.0.8"),
    ("10.0.0.2", " , ", "10.0.0.2"),
    ("10.0.0.2", None, "10.0.0.2"),
    ("192.0.2.1", "198.51.100.7", "192.0.2.1"),
    ("fd00::2", "2001:db8::7", "2001:db8::7"),
    (None, "198.51.100.7", "unknown"),
])
def test_client_address_reads_forwarded_for_only_from_trusted_proxies(remote: str | None, forwarded: str | None,
                                                                      client: str) -> None:
    assert client_address(remote, forwarded, (ip_network("10.0.0.0/8"), ip_network("fd00::/8"))) == client


async def test_http_responses_carry_security_headers(server: RunningServer) -> None:
    status, _body, headers = await server.get("/")
    assert status == 200
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    status, body, _headers = await server.get("/nope")
    assert status == 404 and '"not_found"' in body


async def test_health_and_readiness(server: RunningServer) -> None:
    assert (await server.get("/healthz"))[0] == 200
    status, body, _ = await server.get("/readyz")
    assert status == 200 and '"database":"ok"' in body.replace(" ", "")
