"""Watched words at scale: the pipeline with 2,000 admin rules loaded, and how long a recompile takes.

Run: /work/venv/bin/python bench/watched_words.py [--data DIR] [--sample N] [--rules N]
Prints the recompile time for N rules, p50/p99 of the watched stage alone, and p50/p99 of the whole
pipeline with and without the rules, on the same messages as bench/moderation.py.
"""
from __future__ import annotations

import argparse
import random
import re
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.moderation import messages, report, timed  # noqa: E402


def rules(count: int, texts: list[str]) -> tuple[Any, ...]:
    """Rules as communities write them, from words of the messages themselves (so some of them hit):
    mostly single words of middling frequency, a tenth two-word phrases, a tenth bounded patterns
    (a word less its last letter, then up to three letters), a fifth of them for one room only, actions mixed."""
    from server.moderation.watched import RuleAction, RuleKind, WatchedRule

    counts = Counter(w for text in texts for w in re.findall(r"[a-z]{5,12}", text.lower()))
    ranked = [word for word, _ in counts.most_common()]
    vocabulary = ranked[200:200 + 8 * count]  # past the everyday words, which no community would watch
    rng = random.Random(11)
    actions = (RuleAction.FLAG, RuleAction.MASK, RuleAction.HOLD, RuleAction.BLOCK, RuleAction.ALLOW)
    out = []
    for i, word in enumerate(rng.sample(vocabulary, count)):
        room = "room" if i % 5 == 0 else None
        action = rng.choice(actions)
        if i % 10 == 0:
            out.append(WatchedRule(f"p{i}", RuleKind.PATTERN, r"\b" + word[:-1] + r"\w{0,3}", action, room))
        elif i % 10 == 1:
            out.append(WatchedRule(f"f{i}", RuleKind.PHRASE, f"{word} {rng.choice(ranked[:300])}", action, room))
        else:
            out.append(WatchedRule(f"w{i}", RuleKind.WORD, word, action, room))
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

    texts = messages(Path(args.data), args.sample)
    loaded = rules(args.rules, texts)
    start = time.perf_counter()
    matcher = WatchedMatcher(loaded, version=1)
    print(f"recompile {len(matcher)} rules                      {time.perf_counter() - start:.3f} s (target < 1 s)")
    view = WatchedRules(matcher, "room")
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
