"""Random requests to every HTTP route, anonymous, as a peer and as an admin: each is answered below 500,
and every JSON error says what is wrong. Seeded, so a failure replays."""
from __future__ import annotations

import random
from typing import Any
from urllib.parse import quote

import aiohttp

from server.errors import ErrorCode
from tests.admin.api import staff_token
from tests.harness import RunningServer
from tests.realtime.test_fuzz_events import _value

FIELDS = ("room", "title", "start", "duration_minutes", "capacity", "description", "facilitators", "time_zone",
          "recurrence", "confidential", "listeners_allowed", "lobby_minutes", "slug", "name", "agreement",
          "age_band", "policy", "retention_days", "history", "contact", "profanity", "held_originals", "username",
          "role", "password", "kind", "text", "action", "room_id", "mute_minutes", "region", "phone", "url",
          "hours", "hidden", "pseudonym", "frequency", "count")
PARTS = ("anxiety", "teen-talk", "0" * 32, "x" * 300, "%00", "..", "null", "1", "nobody", "a b", "😀")
# Routes that end the caller's own session are left to their own tests.
SKIPPED = {("DELETE", "/api/me"), ("POST", "/api/logout")}
CODES = {code.value for code in ErrorCode}


def _routes(server: RunningServer) -> list[tuple[str, str]]:
    found = []
    for route in server.app.router.routes():
        info = route.resource.get_info() if route.resource else {}
        path = info.get("path") or info.get("formatter")
        if route.method in ("GET", "POST", "PATCH", "PUT", "DELETE") and path and path.startswith("/api/"):
            found.append((route.method, path))
    return sorted(set(found) - SKIPPED)


def _request(rng: random.Random, method: str, path: str) -> tuple[str, Any]:
    for name in ("{id}", "{slug}", "{username}", "{rule_id}", "{resource_id}"):
        path = path.replace(name, quote(rng.choice(PARTS), safe="%"))
    if method in ("GET", "DELETE") and rng.random() < 0.5:
        path += "?" + "&".join(f"{rng.choice(FIELDS + ('since', 'limit', 'series', 'days'))}="
                               f"{quote(str(_value(rng))[:100])}" for _ in range(rng.randint(1, 3)))
    if method in ("GET", "DELETE"):
        return path, None
    body = _value(rng) if rng.random() < 0.1 else {name: _value(rng) for name in rng.sample(FIELDS, rng.randint(0, 6))}
    return path, body


async def test_random_requests_to_every_route_are_answered_below_500(server: RunningServer) -> None:
    rng = random.Random(11)
    tokens = [None, await server.peer_token(), await staff_token(server)]
    routes = _routes(server)
    assert len(routes) > 30
    problems = []
    async with aiohttp.ClientSession() as http:
        for method, template in routes:
            for _ in range(8):
                token = rng.choice(tokens)
                path, body = _request(rng, method, template)
                headers = {"Authorization": f"Bearer {token}"} if token else {}
                kwargs: dict[str, Any] = {"data": aiohttp.payload.JsonPayload(body)} if body is not None else {}
                async with http.request(method, server.url + path, headers=headers, **kwargs) as response:
                    is_json = response.content_type == "application/json"
                    answer = await response.json(content_type=None) if is_json else None
                    error = answer.get("error") if isinstance(answer, dict) else None
                    if response.status >= 500 or (response.status >= 400 and not (
                            error and error.get("code") in CODES and error.get("message"))):
                        problems.append(f"{method} {path} {str(body)[:60]}: {response.status} {str(answer)[:120]}")
    assert problems == [], problems
    assert (await server.post("/api/session", {"pseudonym": "stillhere"}))[0] == 201


async def test_a_nul_in_a_path_or_query_is_refused_before_the_database(server: RunningServer) -> None:
    token = await staff_token(server)
    async with aiohttp.ClientSession() as http:
        for method, path in (("GET", "/api/rooms/%00/sessions"), ("GET", "/api/sessions.ics?room=a%00"),
                             ("DELETE", "/api/watched-words/%00"), ("GET", "/rooms/any%00/privacy")):
            async with http.request(method, server.url + path, headers={"Authorization": f"Bearer {token}"}) as r:
                body = await r.json(content_type=None)
                assert r.status == 400 and body["error"]["code"] == "invalid" and "NUL" in body["error"]["message"]
