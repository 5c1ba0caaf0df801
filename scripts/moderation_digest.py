"""Fingerprint every moderation verdict over the eval data, to prove a speed change changes no output.

Run: /work/venv/bin/python scripts/moderation_digest.py record /tmp/before.json   (on the old code)
     /work/venv/bin/python scripts/moderation_digest.py compare /tmp/before.json  (on the new code)
Covers the shared data sets (as the eval reads them and raw), the eval's own sets and evasion
sentences, the test corpus, adversarial inputs and disguised copies (look-alikes, leetspeak,
spacing, fullwidth, stretching) of real sentences, under every room policy. Per text it hashes the
whole Verdict and the normalised form with its index map.
"""
from __future__ import annotations

import hashlib
import html
import json
import random
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from moderation import adversarial  # noqa: E402  bench/moderation.py

from server.moderation.evaluation import INNOCENT, OWN_CONTACTS, OWN_INNOCENT, _post, evasions  # noqa: E402
from server.moderation.normalize import normalize  # noqa: E402
from server.moderation.pipeline import review  # noqa: E402
from server.moderation.policy import ContactAction, ProfanityAction, RoomPolicy, SenderContext  # noqa: E402
from server.moderation.profanity import word_lists  # noqa: E402

DATA = ROOT.parent / "shared" / "data"
POLICIES = (
    RoomPolicy(),
    RoomPolicy(profanity=ProfanityAction.BLOCK, contact=ContactAction.HOLD, locale="en-GB"),
    RoomPolicy(contact=ContactAction.ALLOW, locale="de"),
)
_DISGUISES = (
    str.maketrans("aeocpxyi", "аеосрхуі"), str.maketrans("aeiost", "431057"),
    str.maketrans({chr(c): chr(c + 0xFEE0) for c in range(0x21, 0x7F)}),
)


def _rows(name: str) -> Iterator[dict[str, object]]:
    with (DATA / name).open(encoding="utf-8") as handle:
        yield from map(json.loads, handle)


def _disguised(text: str, rng: random.Random) -> list[str]:
    words = text.split()
    spaced = " ".join(" ".join(w) if rng.random() < 0.2 else w for w in words)
    stretched = " ".join(w + w[-1] * 3 if rng.random() < 0.2 else w for w in words)
    zero_width = "\u200b".join(text[:200])
    return [text.translate(t) for t in _DISGUISES] + [spaced, stretched, zero_width, text.upper()]


def texts() -> Iterator[str]:
    rng = random.Random(3)
    sdcnl = list(_rows("sdcnl.jsonl"))
    davidson = [str(r["text"]) for r in _rows("davidson.jsonl")]
    yield from (_post(r) for r in sdcnl)
    yield from (str(r["text"]) for r in sdcnl)
    yield from davidson
    yield from (html.unescape(t) for t in davidson)
    yield from (str(r["text"]) for r in _rows("presidio_synthetic_pii.jsonl"))
    yield from (*OWN_CONTACTS, *OWN_INNOCENT, *(f"the {w} was fine" for w in INNOCENT))
    lists = word_lists()
    for word in sorted(lists.profanity | lists.slurs | lists.exempt):
        yield from (f"you are such a {v} today" for v in evasions(word))
    for path in sorted((ROOT / "tests" / "moderation" / "corpus").glob("*.jsonl")):
        yield from (json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip())
    yield from adversarial()
    for text in rng.sample(davidson, 1500) + [str(r["text"])[:600] for r in rng.sample(sdcnl, 500)]:
        yield from _disguised(html.unescape(text), rng)


def fingerprint(text: str) -> str:
    norm = normalize(text)
    shape = (norm.text, sorted(norm.runs.items()), list(norm.starts), list(norm.ends))
    verdicts = [review(text, policy, SenderContext()) for policy in POLICIES]
    return hashlib.sha1(repr((shape, verdicts)).encode()).hexdigest()


def main() -> int:
    command, path = sys.argv[1], Path(sys.argv[2])
    digests = {hashlib.sha1(t.encode()).hexdigest(): fingerprint(t) for t in texts()}
    if command == "record":
        path.write_text(json.dumps(digests), encoding="utf-8")
        print(f"recorded {len(digests)} texts")
        return 0
    before = json.loads(path.read_text(encoding="utf-8"))
    key = lambda t: hashlib.sha1(t.encode()).hexdigest()  # noqa: E731
    changed = {t for t in texts() if before.get(key(t)) != digests[key(t)]}
    print(f"compared {len(digests)} texts: {len(changed)} differ")
    for text in sorted(changed)[:10]:
        print(f"  {text[:120]!r}")
    return 1 if changed else 0


if __name__ == "__main__":
    raise SystemExit(main())
