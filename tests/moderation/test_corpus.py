"""Each corpus line: text, the expected decision, the expected flag kinds (and crisis severity)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from server.moderation.pipeline import review
from server.moderation.policy import RoomPolicy, SenderContext
from server.moderation.verdict import FlagKind

CORPUS = Path(__file__).parent / "corpus"
CASES = [
    pytest.param(json.loads(line), id=f"{path.stem}:{number}")
    for path in sorted(CORPUS.glob("*.jsonl"))
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
    if line.strip()
]


@pytest.mark.parametrize("case", CASES)
def test_corpus(case: dict[str, object]) -> None:
    verdict = review(str(case["text"]), RoomPolicy(), SenderContext())
    assert sorted(f.kind.value for f in verdict.flags) == sorted(case["flags"])  # type: ignore[arg-type]
    assert verdict.decision.value == case["decision"]
    if "severity" in case:
        crisis = verdict.flag_of(FlagKind.CRISIS)
        assert crisis is not None and crisis.severity.value == case["severity"]
