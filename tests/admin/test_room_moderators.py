"""Admins assign moderators to rooms over the API and the command line; every change is audited; the
moderators concerned are told their rooms live."""
from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from server.identity.roles import Role
from tests.admin.api import admin, call, staff_token
from tests.admin.test_admin_cli import Run, env  # noqa: F401  (the operator's command line, on SQLite)
from tests.harness import RunningServer


async def test_assigning_moderators_lists_audits_and_tells_them(server: RunningServer) -> None:
    token = await admin(server)
    mia = await server.connect(await staff_token(server, "mia", Role.MODERATOR))
    assert (await mia.call("mod:subscribe", {}))["my_rooms"] == []
    await staff_token(server, "ola", Role.MODERATOR)
    status, body = await call(server, "PUT", "/api/rooms/grief/moderators", {"moderators": ["ola", "Mia", "root"]},
                              token)
    assert status == 200, body
    assert body["room"] == "grief"
    assert [(m["username"], m["role"], m["active"]) for m in body["moderators"]] == [
        ("mia", "moderator", True), ("ola", "moderator", True), ("root", "admin", True)]
    assert (await mia.wait_for("moderator:rooms"))["rooms"] == ["grief"]
    status, body = await call(server, "GET", "/api/admin/rooms", None, token)
    by_slug = {r["slug"]: r for r in body["rooms"]}
    assert [m["username"] for m in by_slug["grief"]["moderators"]] == ["mia", "ola", "root"]
    assert by_slug["anxiety"]["moderators"] == []

    status, body = await call(server, "PUT", "/api/rooms/grief/moderators", {"moderators": ["ola"]}, token)
    assert status == 200 and [m["username"] for m in body["moderators"]] == ["ola"]
    assert (await mia.wait_for("moderator:rooms", lambda e: e["rooms"] == []))["rooms"] == []
    status, body = await call(server, "PUT", "/api/rooms/grief/moderators", {"moderators": ["ola"]}, token)
    assert status == 200  # no change: no audit row
    status, body = await call(server, "GET", "/api/admin/changes?limit=3", None, token)
    changes = [c for c in body["changes"] if c["action"] == "room.moderators"]
    assert [(c["target"], c["before"], c["after"], c["actor"]["name"]) for c in changes] == [
        ("room:grief", {"moderators": ["mia", "ola", "root"]}, {"moderators": ["ola"]}, "root"),
        ("room:grief", {"moderators": []}, {"moderators": ["mia", "ola", "root"]}, "root")]


async def test_only_active_moderators_and_admins_can_be_assigned(server: RunningServer) -> None:
    token = await admin(server)
    await staff_token(server, "fay", Role.FACILITATOR)
    await staff_token(server, "gone", Role.MODERATOR)
    assert (await call(server, "POST", "/api/staff/gone/deactivate", None, token))[0] == 200
    cases = [
        ({"moderators": ["fay"]}, 400, "fay is not an active moderator"),
        ({"moderators": ["gone"]}, 400, "gone is not an active moderator"),
        ({"moderators": ["nobody"]}, 400, "nobody is not an active moderator"),
        ({"moderators": "root"}, 400, "list of up to 50"),
        ({"moderators": ["Not A Name!"]}, 400, "staff usernames"),
        ({}, 400, "list of up to 50"),
    ]
    for body, code, sentence in cases:
        status, answer = await call(server, "PUT", "/api/rooms/grief/moderators", body, token)
        assert status == code and sentence in answer["error"]["message"], (body, answer)
        assert answer["error"]["field"] == "moderators"
    status, answer = await call(server, "PUT", "/api/rooms/no-such-room/moderators", {"moderators": []}, token)
    assert status == 404 and answer["error"]["code"] == "not_found"
    status, body = await call(server, "GET", "/api/admin/changes", None, token)
    assert not [c for c in body["changes"] if c["action"] == "room.moderators"]


def test_the_command_line_assigns_and_clears_a_rooms_moderators(env: Run, tmp_path: Path) -> None:  # noqa: F811
    assert env("staff", "add", "--role", "moderator", "--password-stdin", "mia", stdin="correct horse b\n") \
        .returncode == 0
    assigned = env("rooms", "moderators", "grief", "mia")
    assert assigned.returncode == 0, assigned.stderr
    assert [m["username"] for m in json.loads(assigned.stdout)["moderators"]] == ["mia"]
    listed = {r["slug"]: r for r in json.loads(env("rooms", "list").stdout)}
    assert [m["username"] for m in listed["grief"]["moderators"]] == ["mia"]
    for ambiguous in (("grief",), ("grief", "mia", "--none")):  # a forgotten name never clears a room
        with pytest.raises(SystemExit, match="give --none to have nobody"):
            env("rooms", "moderators", *ambiguous)
    cleared = env("rooms", "moderators", "grief", "--none")
    assert cleared.returncode == 0 and json.loads(cleared.stdout)["moderators"] == []
    wrong = env("rooms", "moderators", "grief", "nobody")
    assert wrong.returncode == 1 and "nobody is not an active moderator" in wrong.stderr
    with sqlite3.connect(tmp_path / "admin.sqlite3") as db:
        audit = db.execute("SELECT actor_id, target, before, after FROM admin_changes WHERE action = "
                           "'room.moderators' ORDER BY id").fetchall()
    assert [(actor, target, json.loads(before), json.loads(after)) for actor, target, before, after in audit] == [
        ("operator", "room:grief", {"moderators": []}, {"moderators": ["mia"]}),
        ("operator", "room:grief", {"moderators": ["mia"]}, {"moderators": []})]


async def test_a_moderator_who_is_demoted_or_deactivated_looks_after_no_room(server: RunningServer) -> None:
    """Taken off every room's list in the same change, audited per room as the admin's; neither a promotion
    nor a reactivation later gives the rooms back."""
    token = await admin(server)
    for name in ("mia", "ola", "pat"):
        await staff_token(server, name, Role.MODERATOR)
    for slug, names in (("grief", ["mia", "ola", "pat"]), ("anxiety", ["mia", "ola"])):
        assert (await call(server, "PUT", f"/api/rooms/{slug}/moderators", {"moderators": names}, token))[0] == 200
    assert (await call(server, "PATCH", "/api/staff/mia", {"role": "facilitator"}, token))[0] == 200
    assert (await call(server, "POST", "/api/staff/ola/deactivate", None, token))[0] == 200

    async def moderators() -> dict[str, list[str]]:
        _status, body = await call(server, "GET", "/api/admin/rooms", None, token)
        return {r["slug"]: [m["username"] for m in r["moderators"]] for r in body["rooms"] if r["moderators"]}
    assert await moderators() == {"grief": ["pat"]}
    _status, body = await call(server, "GET", "/api/admin/changes?limit=6", None, token)
    assert [(c["action"], c["target"], c["before"], c["after"], c["actor"]["name"])
            for c in reversed(body["changes"])] == [
        ("staff.role", "staff:mia", {"role": "moderator"}, {"role": "facilitator"}, "root"),
        ("room.moderators", "room:anxiety", {"moderators": ["mia", "ola"]}, {"moderators": ["ola"]}, "root"),
        ("room.moderators", "room:grief", {"moderators": ["mia", "ola", "pat"]}, {"moderators": ["ola", "pat"]},
         "root"),
        ("staff.deactivate", "staff:ola", {"active": True}, {"active": False}, "root"),
        ("room.moderators", "room:anxiety", {"moderators": ["ola"]}, {"moderators": []}, "root"),
        ("room.moderators", "room:grief", {"moderators": ["ola", "pat"]}, {"moderators": ["pat"]}, "root")]
    assert (await call(server, "PATCH", "/api/staff/mia", {"role": "moderator"}, token))[0] == 200
    assert (await call(server, "POST", "/api/staff/ola/reactivate", None, token))[0] == 200
    assert (await call(server, "PATCH", "/api/staff/pat", {"role": "admin"}, token))[0] == 200  # still moderates
    assert await moderators() == {"grief": ["pat"]}
