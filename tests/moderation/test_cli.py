from __future__ import annotations

import argparse
import io
import json

import pytest

from server.moderation import cli


def run(
    argv: list[str], stdin: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> tuple[int, str]:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    parser = argparse.ArgumentParser()
    cli.register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(argv)
    code = args.func(args)
    return code, capsys.readouterr().out


def test_check_reads_json_lines_and_plain_text(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["moderation", "check", "--policy-json", '{"profanity": "block"}']
    code, out = run(argv, '{"id": "a", "text": "fuck"}\nhello\n', monkeypatch, capsys)
    first, second = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and first["id"] == "a" and first["decision"] == "block"
    assert first["flags"][0]["kind"] == "profanity" and first["flags"][0]["spans"] == [[0, 4]]
    assert second == {"id": 2, "decision": "allow", "text": "hello", "flags": [], "notices": []}


def test_room_needs_a_loader(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("hi\n"))
    parser = argparse.ArgumentParser()
    cli.register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["moderation", "check", "--room", "grief"])
    assert args.func(args) == 2
    assert "room policies need the database" in capsys.readouterr().err


def test_check_answers_a_lone_surrogate_with_an_error_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Such text cannot be written out as UTF-8: the line gets an error, the lines after it their verdicts."""
    code, out = run(["moderation", "check"], '{"id": "a", "text": "hi \\ud800"}\nhello\n', monkeypatch, capsys)
    first, second = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and first["id"] == "a" and first["error"]["code"] == "invalid"
    assert "Unicode" in first["error"]["message"]
    assert second["decision"] == "allow" and second["text"] == "hello"
