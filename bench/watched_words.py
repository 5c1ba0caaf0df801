"""Watched words at scale: the pipeline with 2,000 admin rules loaded, and how long a recompile takes.

Run: /work/venv/bin/python bench/watched_words.py [--data DIR] [--sample N] [--rules N]
Prints the recompile time for N rules, p50/p99 of the watched stage alone, and p50/p99 of the whole
pipeline with and without the rules, on the same messages as bench/moderation.py.
"""
from __future__ import annotations

import argparse
from typing import Any
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.moderation import messages, report, timed  # noqa: E402


def rules(count: int) -> tuple[Any, ...]:
    """Mostly words (as communities write them), a tenth phrases, a tenth bounded patterns."""
    from server.moderation.watched import RuleAction, RuleKind, WatchedRule

    rng = random.Random(11)
    letters = "abcdefghijklmnopqrstuvwxyz"
    out = []
    for i in range(count):
        word = "".join(rng.choice(letters) for _ in range(rng.randint(5, 10)))
        if i % 10 == 0:
            out.append(WatchedRule(f"p{i}", RuleKind.PATTERN, word[:4] + r"\w{0,4}" + word[4:], RuleAction.FLAG))
        elif i % 10 == 1:
            out.append(WatchedRule(f"f{i}", RuleKind.PHRASE, f"{word} {word[::-1]}", RuleAction.HOLD))
        else:
            out.append(WatchedRule(f"w{i}", RuleKind.WORD, word, RuleAction.MASK))
    return tuple(out)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", default=str(ROOT.parent / "shared" / "data"))
    parser.add_argument("--sample", type=int, default=5000)
    parser.add_argument("--rules", type=int, default=2000)
    args = parser.parse_args()

    from server.moderation.normalize import normalize
    from server.moderation.pipeline import review
    from server.moderation.policy import RoomPolicy, SenderContext
    from server.moderation.watched import WatchedMatcher, WatchedRules

    loaded = rules(args.rules)
    start = time.perf_counter()
    matcher = WatchedMatcher(loaded, version=1)
    print(f"recompile {len(matcher)} rules                      {time.perf_counter() - start:.3f} s (target < 1 s)")
    view = WatchedRules(matcher, "room")
    texts = messages(Path(args.data), args.sample)
    sender = SenderContext()
    plain, watched = RoomPolicy(), RoomPolicy(watched=view)
    for text in texts[:200]:
        review(text, plain, sender)
        review(text, watched, sender)
    normalised = [(t, normalize(t)) for t in texts]
    stage = []
    for text, norm in normalised:
        begin = time.perf_counter()
        view.check(text, norm)
        stage.append(time.perf_counter() - begin)
    stage.sort()
    report(f"watched stage alone ({len(matcher)} rules)",
           (len(stage) / sum(stage), stage[len(stage) // 2], stage[int(len(stage) * 0.99)]))
    report("pipeline without watched words", timed(lambda t: review(t, plain, sender), texts, 3))
    report(f"pipeline with {len(matcher)} watched words", timed(lambda t: review(t, watched, sender), texts, 3))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
