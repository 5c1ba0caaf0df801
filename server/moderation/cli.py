"""`peerchat moderation check|eval`: the server's own pipeline, on stdin or on labelled data."""
from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path

from ..unicode_text import NOT_UNICODE, lone_surrogate_in
from .pipeline import review
from .policy import RoomPolicy, SenderContext
from .verdict import Verdict


def _no_database(slug: str) -> RoomPolicy:
    raise RuntimeError("room policies need the database: run inside peerchat")


_room_policy_loader: Callable[[str], RoomPolicy] = _no_database


def set_room_policy_loader(loader: Callable[[str], RoomPolicy]) -> None:
    """Let the server supply room policies (`--room SLUG`) once it has a database."""
    global _room_policy_loader
    _room_policy_loader = loader


def verdict_json(message_id: object, verdict: Verdict) -> dict[str, object]:
    return {
        "id": message_id,
        "decision": verdict.decision.value,
        "text": verdict.text,
        "flags": [
            {
                "kind": f.kind.value,
                "severity": f.severity.value,
                "rule": f.rule,
                "spans": [[s.start, s.end] for s in f.spans],
            }
            for f in verdict.flags
        ],
        "notices": [n.code for n in verdict.notices],
    }


def _policy(args: argparse.Namespace) -> RoomPolicy:
    if args.room:
        return _room_policy_loader(args.room)
    return RoomPolicy.from_mapping(json.loads(args.policy_json)) if args.policy_json else RoomPolicy()


def _parse_line(number: int, line: str) -> tuple[object, str]:
    """A JSON object with "text" (and "id"), or else the line itself as plain text."""
    try:
        record = json.loads(line)
    except ValueError:
        return number, line
    if isinstance(record, dict) and isinstance(record.get("text"), str):
        return record.get("id", number), record["text"]
    return number, line


def check(args: argparse.Namespace, *_settings: object) -> int:
    try:
        policy = _policy(args)
    except (RuntimeError, ValueError) as error:
        print(f"peerchat moderation check: {error}", file=sys.stderr)
        return 2
    for number, line in enumerate(sys.stdin, start=1):
        line = line.rstrip("\n")
        if not line.strip():
            continue
        message_id, text = _parse_line(number, line)
        unwritable_id = lone_surrogate_in(message_id)  # then the line number stands for it
        if unwritable_id or lone_surrogate_in(text):
            shown_id = number if unwritable_id else message_id
            record: dict[str, object] = {"id": shown_id, "error": {"code": "invalid", "message": NOT_UNICODE}}
        else:
            record = verdict_json(message_id, review(text, policy, SenderContext()))
        sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
    return 0


def evaluate(args: argparse.Namespace, *_settings: object) -> int:
    """The server passes its settings too; evaluation needs none."""
    from .evaluation import run_all

    return run_all(Path(args.data))


def default_data_dir() -> Path:
    """The shared data sits beside the repository: <repo>/../shared/data."""
    return Path(__file__).resolve().parents[2].parent / "shared" / "data"


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add `moderation check` and `moderation eval` to the peerchat command line."""
    moderation = subparsers.add_parser("moderation", help="run the moderation pipeline offline")
    commands = moderation.add_subparsers(dest="moderation_command", required=True)
    check_parser = commands.add_parser("check", help="JSON Lines (or plain lines) on stdin -> one verdict per line")
    check_parser.add_argument("--room", metavar="SLUG", help="use this room's policy (needs the database)")
    check_parser.add_argument("--policy-json", help='a policy, e.g. \'{"profanity": "block", "contact": "hold"}\'')
    check_parser.set_defaults(func=check)
    eval_parser = commands.add_parser("eval", help="recall and flag rates on the labelled data sets")
    eval_parser.add_argument("--data", default=str(default_data_dir()), help="directory of labelled data")
    eval_parser.set_defaults(func=evaluate)


def main(argv: list[str] | None = None) -> int:
    """Entry point for running this module alone: python -m server.moderation.cli moderation eval."""
    parser = argparse.ArgumentParser(prog="peerchat")
    register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":
    raise SystemExit(main())
