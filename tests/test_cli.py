"""The peerchat command as an operator runs it: migrate, seed, staff, serve."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def _run(env: dict[str, str], *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "server", *args], cwd=REPO, env=env, input=stdin,
                          capture_output=True, text=True, timeout=60)


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("PEERCHAT_")}
    return {**clean, "PEERCHAT_DATABASE_URL": f"sqlite:///{tmp_path}/cli.sqlite3", "PEERCHAT_UVLOOP": "false"}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_serve_on_an_unmigrated_database_says_what_to_run(env: dict[str, str]) -> None:
    result = _run(env, "serve", "--port", str(_free_port()))
    assert result.returncode == 2
    assert "peerchat migrate" in result.stderr


def test_migrate_seed_and_staff(env: dict[str, str]) -> None:
    assert _run(env, "migrate").returncode == 0
    first = _run(env, "seed")
    assert first.returncode == 0 and "anxiety" in first.stdout
    again = _run(env, "seed")
    assert again.returncode == 0 and "already" in again.stdout
    added = _run(env, "staff", "add", "--role", "moderator", "--password-stdin", "mia", stdin="correct horse b\n")
    assert added.returncode == 0, added.stderr
    short = _run(env, "staff", "add", "--role", "admin", "--password-stdin", "sam", stdin="short\n")
    assert short.returncode == 1 and "at least" in short.stderr
    twice = _run(env, "staff", "add", "--role", "moderator", "--password-stdin", "mia", stdin="correct horse b\n")
    assert twice.returncode == 1 and "already" in twice.stderr


def test_bad_configuration_is_reported(env: dict[str, str]) -> None:
    result = _run({**env, "PEERCHAT_PORT": "eighty"}, "migrate")
    assert result.returncode == 2 and "PEERCHAT_PORT" in result.stderr
    result = _run({**env, "PEERCHAT_ALLOWED_ORIGINS": "*"}, "migrate")
    assert result.returncode == 2 and "exact origins" in result.stderr


def test_serve_answers_and_stops_on_sigterm(env: dict[str, str]) -> None:
    assert _run(env, "migrate").returncode == 0
    port = _free_port()
    process = subprocess.Popen([sys.executable, "-m", "server", "serve", "--port", str(port)], cwd=REPO, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=1) as response:
                    assert response.status == 200
                    break
            except OSError:
                assert time.monotonic() < deadline, "server did not start"
                time.sleep(0.2)
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=20)
    assert process.returncode == 0


def test_mod_report_prints_the_team_figures(env: dict[str, str]) -> None:
    assert _run(env, "migrate").returncode == 0
    result = _run(env, "mod-report", "--days", "3")
    assert result.returncode == 0, result.stderr
    assert "queue length: 0" in result.stdout and "imminent" in result.stdout


def test_purge_runs_the_retention_purge_and_the_audit_retention(env: dict[str, str]) -> None:
    assert _run(env, "migrate").returncode == 0
    added = _run(env, "staff", "add", "--role", "admin", "--password-stdin", "ria", stdin="correct horse b\n")
    assert added.returncode == 0, added.stderr  # an admin change, made just now: kept
    result = _run(env, "purge")
    assert result.returncode == 0, result.stderr
    assert "purged 0 messages" in result.stdout
    assert ("purged 0 audit and activity records (moderation: 0, admin_changes: 0, session_events: 0, mutes: 0, "
            "rule_mutes: 0, watched_hits: 0; older than 365 days)") in result.stdout
    result = _run({**env, "PEERCHAT_AUDIT_RETENTION_DAYS": "0"}, "purge")
    assert result.returncode == 0 and "PEERCHAT_AUDIT_RETENTION_DAYS=0 keeps them for ever" in result.stdout
