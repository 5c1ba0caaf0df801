"""The administrator's commands as an operator runs them, against a real migrated database.

They run in this process (`peerchat` is `server.__main__.main`): the same code as the console script,
without paying Python's start-up for each of them; tests/test_cli.py covers the real subprocess.
"""
from __future__ import annotations

import io
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pytest

from server.__main__ import main
from server.moderation import cli as moderation_cli


@dataclass
class Result:
    returncode: int
    stdout: str
    stderr: str


Run = Callable[..., Result]


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Run:
    for name in [k for k in os.environ if k.startswith("PEERCHAT_")]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("PEERCHAT_DATABASE_URL", f"sqlite:///{tmp_path}/admin.sqlite3")
    monkeypatch.setenv("PEERCHAT_LOG_LEVEL", "WARNING")
    # main() hands the moderation CLI a database-backed room loader; put the original back afterwards.
    monkeypatch.setattr(moderation_cli, "_room_policy_loader", moderation_cli._room_policy_loader)

    def run(*args: str, stdin: str = "") -> Result:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
        code = main(list(args))
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    assert run("migrate").returncode == 0 and run("seed").returncode == 0
    return run


def test_rooms_add_edit_archive_list(env: Run) -> None:
    added = env("rooms", "add", "teen-talk", "--name", "Teen talk", "--agreement", "Be kind.",
                "--age-band", "teens", "--policy", "retention_days=3")
    assert added.returncode == 0, added.stderr
    room = json.loads(added.stdout)
    assert room["age_band"] == "teens" and room["policy"]["retention_days"] == 3 and room["policy"]["profanity"] == \
        "block"
    again = env("rooms", "add", "teen-talk", "--name", "Again", "--agreement", "x")
    assert again.returncode == 1 and "already a room" in again.stderr
    empty = env("rooms", "add", "empty-one", "--name", "Empty", "--agreement", " ")
    assert empty.returncode == 1 and "agreement can't be empty" in empty.stderr
    edited = env("rooms", "edit", "teen-talk", "--capacity", "12", "--listeners", "no")
    assert json.loads(edited.stdout)["capacity"] == 12
    assert env("rooms", "archive", "teen-talk").returncode == 0
    rooms = {r["slug"]: r for r in json.loads(env("rooms", "list").stdout)}
    assert rooms["teen-talk"]["archived_at"] and rooms["anxiety"]["archived_at"] is None


def test_rooms_for_older_adults_and_a_band_that_does_not_exist(env: Run, capsys: pytest.CaptureFixture[str]) -> None:
    added = env("rooms", "add", "later-life", "--name", "Later life", "--agreement", "Be kind.", "--age-band", "older")
    assert added.returncode == 0, added.stderr
    room = json.loads(added.stdout)
    assert room["age_band"] == "older" and room["policy"]["retention_days"] == 30 and room["policy"]["profanity"] == \
        "mask"
    edited = env("rooms", "edit", "anxiety", "--age-band", "older")
    assert edited.returncode == 0 and json.loads(edited.stdout)["age_band"] == "older"
    with pytest.raises(SystemExit) as refused:
        env("rooms", "edit", "anxiety", "--age-band", "seniors")
    assert refused.value.code == 2
    error = capsys.readouterr().err
    assert "invalid choice: 'seniors'" in error and all(f"'{band}'" in error for band in ("adults", "teens", "older"))


def test_staff_and_watched_words_and_resources(env: Run) -> None:
    assert env("staff", "add", "--role", "admin", "--password-stdin", "root", stdin="correct horse b\n") \
        .returncode == 0
    last = env("staff", "deactivate", "root")
    assert last.returncode == 1 and "last active administrator" in last.stderr
    assert env("staff", "add", "--role", "moderator", "--password-stdin", "mia", stdin="correct horse b\n") \
        .returncode == 0
    assert json.loads(env("staff", "role", "mia", "facilitator").stdout)["role"] == "facilitator"
    assert not json.loads(env("staff", "deactivate", "mia").stdout)["active"]
    assert env("staff", "password", "mia", stdin="a brand new password\n").returncode == 0
    assert [s["username"] for s in json.loads(env("staff", "list").stdout)] == ["mia", "root"]
    bad = env("watched", "add", "--kind", "pattern", "--action", "block", ".*")
    assert bad.returncode == 1 and "almost every message" in bad.stderr
    assert env("watched", "add", "--action", "mask", "bozo").returncode == 0
    checked = env("moderation", "check", "--room", "anxiety", stdin="you bozo\n")
    assert json.loads(checked.stdout)["text"] == "you ****"
    assert env("resources", "add", "region=GB", "name=Local line", "phone=0800 111").returncode == 0
    shown = json.loads(env("resources", "show", "en-GB").stdout)
    assert shown[0]["name"] == "Local line"
