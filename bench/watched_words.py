"""Watched words at scale: the pipeline with 2,000 admin rules loaded, and how long a recompile takes.

Run: .venv/bin/python bench/watched_words.py [--data DIR] [--sample N] [--rules N]
Prints p50/p99 of the whole pipeline without rules, then for two lists of N rules (words as communities
list them, and a stress set of everyday words) the recompile time, the share of messages they hit,
p50/p99 of the watched stage alone and of the whole pipeline, on the same messages as bench/moderation.py.
"""
from __future__ import annotations

import argparse
import html
import json
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


def listed_words(data: Path) -> list[str]:
    """Words as communities list them: slang, misspellings, names, which everyday messages rarely hold.

    Taken as the words (5-12 letters, already in their normal form) found at most twice in all the
    labelled posts and tweets of ../shared/data, the messages timed here included: 2,000 of them hit
    a few percent of those messages, as a real list would (the benchmark prints how many).
    """
    from server.moderation.normalize import normalize

    counts: Counter[str] = Counter()
    for name in ("davidson.jsonl", "sdcnl.jsonl"):
        for line in (data / name).open(encoding="utf-8"):
            counts.update(re.findall(r"[a-z]{5,12}", html.unescape(json.loads(line)["text"]).lower()))
    return sorted(w for w, seen in counts.items() if seen <= 2 and normalize(w).text == w)


def everyday_words(texts: list[str]) -> list[str]:
    """A stress set: words of middling frequency in the timed messages themselves (past the 200 commonest),
    so that 2,000 rules made of them hit about two messages in three, far more than any real list."""
    counts = Counter(w for text in texts for w in re.findall(r"[a-z]{5,12}", text.lower()))
    return [word for word, _ in counts.most_common()][200:]


def rules(count: int, vocabulary: list[str], texts: list[str]) -> tuple[Any, ...]:
    """Rules of the mix communities write, from words of `vocabulary`: mostly single words, a tenth
    two-word phrases (the word, then one of the 300 commonest longer words of the messages), a tenth bounded
    patterns (a word, then up to three letters: its inflections), a fifth of them for one room only,
    actions mixed."""
    from server.moderation.watched import RuleAction, RuleKind, WatchedRule

    counts = Counter(w for text in texts for w in re.findall(r"[a-z]{5,12}", text.lower()))
    common = [word for word, _ in counts.most_common(300)]
    rng = random.Random(11)
    actions = (RuleAction.FLAG, RuleAction.MASK, RuleAction.HOLD, RuleAction.BLOCK, RuleAction.ALLOW)
    out = []
    for i, word in enumerate(rng.sample(vocabulary, count)):
        room = "room" if i % 5 == 0 else None
        action = rng.choice(actions)
        if i % 10 == 0:
            out.append(WatchedRule(f"p{i}", RuleKind.PATTERN, r"\b" + word + r"\w{0,3}", action, room))
        elif i % 10 == 1:
            out.append(WatchedRule(f"f{i}", RuleKind.PHRASE, f"{word} {rng.choice(common)}", action, room))
        else:
            out.append(WatchedRule(f"w{i}", RuleKind.WORD, word, action, room))
    return tuple(out)


def hit_share(matcher: Any, texts: list[str]) -> float:
    """The share of messages in which at least one rule matches (before exceptions)."""
    from server.moderation.normalize import normalize

    return sum(bool(matcher.hits(text, normalize(text), "room")) for text in texts) / len(texts)


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
    sender = SenderContext()
    plain = RoomPolicy()
    report("pipeline without watched words", timed(lambda t: review(t, plain, sender), texts, 3))
    for name, vocabulary in (("listed", listed_words(Path(args.data))), ("everyday", everyday_words(texts))):
        loaded = rules(args.rules, vocabulary, texts)
        start = time.perf_counter()
        matcher = WatchedMatcher(loaded, version=1)
        print(f"recompile {len(matcher)} {name} rules        {time.perf_counter() - start:.3f} s (target < 1 s); "
              f"they hit {hit_share(matcher, texts):.1%} of the messages")
        view = WatchedRules(matcher, "room")
        watched = RoomPolicy(watched=view)
        normalised = [(t, normalize(t)) for t in texts]
        for text, norm in normalised[:200]:
            view.check(text, norm)
        stage = []
        for text, norm in normalised:
            begin = time.perf_counter()
            view.check(text, norm)
            stage.append(time.perf_counter() - begin)
        stage.sort()
        report(f"watched stage alone ({name})",
               (len(stage) / sum(stage), stage[len(stage) // 2], stage[int(len(stage) * 0.99)]))
        report(f"pipeline with {len(matcher)} {name} rules", timed(lambda t: review(t, watched, sender), texts, 3))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
