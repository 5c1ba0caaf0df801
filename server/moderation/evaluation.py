"""`peerchat moderation eval`: recall and flag rates of each detector on public labelled data.

Reads the shared data sets (never copied into the repository) and text generated here from the word
lists, and prints figures. Nothing here is tuned to single posts: it only measures.
"""
from __future__ import annotations

import html
import json
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from .normalize import normalize
from .pipeline import review
from .policy import RoomPolicy, SenderContext
from .profanity import find_words, word_lists
from .verdict import FlagKind, Severity, Verdict

_POLICY = RoomPolicy()
_SENDER = SenderContext()
_HOMOGLYPHS = str.maketrans("aeocpxyi", "аеосрхуі")
_LEET = str.maketrans("aeiost", "431057")
_FULLWIDTH = str.maketrans({chr(c): chr(c + 0xFEE0) for c in range(0x21, 0x7F)})
INNOCENT = (
    "assess assessment class classic bass glass passage compass embassy massive assassin assume "
    "Scunthorpe Penistone Middlesex Sussex Essex therapist therapists grape grapes scrape drape "
    "cocktail cockpit peacock Hancock shuttlecock analyst analysis analytics canal "
    "title titan constitution Matilda cumulative document circumstance cucumber accumulate "
    "hello shell Shelley spell butter button buttress arsenal Dickens Dickinson "
    "shiitake shitake Kumquat pushover hoedown shoes hoe-down cocker spaniel pianist "
    "specialist socialist mishit Sexton sextant Scunthorpe's assistant bassist harass "
    "basement skill skillet Hitchcock manuscript raccoon cocoon tycoon"
).split()
_CONTACT_TYPES = ("PHONE_NUMBER", "EMAIL_ADDRESS", "STREET_ADDRESS", "DOMAIN_NAME", "IP_ADDRESS")
OWN_CONTACTS = (
    "call me on +1 415 555 2671", "my cell is (212) 555-0147", "ring me 020 7946 0958", "07700 900123 is my mobile",
    "text me on 0412 345 678", "my number +61 2 9876 5432", "appelle-moi au 06 12 34 56 78", "+33 1 42 68 53 00",
    "ruf mich an: 030 12345678", "+49 151 23456789", "my whatsapp is +91 98765 43210", "llámame al 612 34 56 78",
    "+34 912 345 678", "mi numero 55 1234 5678 (mexico)", "+52 55 1234 5678", "chiamami 347 123 4567",
    "+39 06 1234 5678", "bel me 06 12345678", "+31 20 123 4567", "call 011 987 6543 in joburg", "+27 11 987 6543",
    "jo at gmail dot com", "sam.lee (at) yahoo (dot) co (dot) uk", "reach me: anna [at] outlook [dot] com",
    "email me at kim@example.org", "add me on snap: sadboi99", "dm me on insta @moonchild_x",
    "my discord is lonely#1234", "find me on telegram @quietone", "message me on whatsapp",
    "follow me on tiktok @grief.journey", "visit my site www.mypage.net", "https://example.com/me",
    "I live at 42 Baker Street", "come to 1600 Pennsylvania Avenue",
)
OWN_INNOCENT = (
    "I take 20mg of sertraline", "I slept at 3:30 am", "my birthday is 12/05/1998", "it was 2019-05-12", "I'm 34",
    "it cost $1,200.50", "back in 2008", "call 988 if you need to", "Samaritans are on 116 123", "Lifeline 13 11 14",
    "I waited 45 minutes", "took 2 x 50 mg", "from 9 to 5", "chapter 5 was hard", "it's 10 pm now",
    "I walked 10,000 steps", "see 988lifeline.org", "findahelpline.com helped me", "between 1990 and 1995",
    "£250 rent", "episode 12 season 3", "@alex that helped, thank you",
)


def _read(path: Path) -> Iterator[dict[str, object]]:
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            yield json.loads(line)


def _rate(texts: Iterable[str], hit: Callable[[Verdict], bool]) -> tuple[float, int]:
    results = [hit(review(text, _POLICY, _SENDER)) for text in texts]
    return (sum(results) / len(results) if results else 0.0), len(results)


def _has(*kinds: FlagKind) -> Callable[[Verdict], bool]:
    return lambda verdict: any(flag.kind in kinds for flag in verdict.flags)


def _urgent(verdict: Verdict) -> bool:
    """A crisis flag above the concerning tier: the high and imminent flags a moderator sees first."""
    flag = verdict.flag_of(FlagKind.CRISIS)
    return flag is not None and flag.severity.rank >= Severity.HIGH.rank


def _line(name: str, value: float, count: int, target: str) -> None:
    print(f"  {name:<58} {value:6.3f}  (n={count:>5})  target {target}")


def _post(row: dict[str, object]) -> str:
    body = str(row["text"])
    return str(row["title"]) if body == "emptypost" else f"{row['title']}\n{body}"


def evasions(word: str) -> list[str]:
    """The ways people disguise a listed word: leetspeak, look-alikes, fullwidth, spacing, repeats, zero-width."""
    vowel = next((i for i, c in enumerate(word) if c in "aeiou"), 0)
    variants = [
        word.translate(_HOMOGLYPHS), word.translate(_FULLWIDTH), " ".join(word), ".".join(word),
        word[: vowel + 1] + word[vowel] * 3 + word[vowel + 1:], "\u200b".join(word), word.upper(),
    ]
    if word.translate(_LEET) != word:
        variants.append(word.translate(_LEET))
    return variants


def _caught(text: str) -> bool:
    return bool(find_words(normalize(text)))


def _evaluate_words() -> None:
    lists = word_lists()
    words = sorted(
        w for w in lists.profanity | lists.slurs
        if w.isalpha() and len(w) >= 3 and normalize(w).text not in lists.innocent
    )
    variants = [v for w in words for v in evasions(w)]
    caught = sum(_caught(f"you are such a {v} today") for v in variants)
    _line("evasion variants of listed words caught", caught / len(variants), len(variants), ">= 0.98")
    # The same measure over better-profanity's whole list: exempted words count as misses here.
    exempted = sorted(w for w in lists.exempt if w.isalpha() and len(w) >= 3 and w not in lists.innocent)
    everything = [v for w in words + exempted for v in evasions(w)]
    caught_all = caught + sum(_caught(f"you are such a {v} today") for w in exempted for v in evasions(w))
    _line(
        "  same, over the list with exempted words counted as misses",
        caught_all / len(everything), len(everything), "report",
    )
    false_hits = [w for w in INNOCENT if _caught(f"the {w} was fine")]
    print(f"  innocent words containing a listed word flagged: {len(false_hits)} of {len(INNOCENT)} {false_hits}")
    print(f"  (better-profanity words exempted for peer support: {len(lists.exempt)})")


def _evaluate_contacts(data: Path) -> None:
    totals = {kind: [0, 0] for kind in (*_CONTACT_TYPES, "DATE_TIME", "AGE")}
    for row in _read(data / "presidio_synthetic_pii.jsonl"):
        verdict = review(str(row["text"]), _POLICY, _SENDER)
        flag = verdict.flag_of(FlagKind.CONTACT)
        spans = flag.spans if flag else ()
        for gold in row["spans"]:  # type: ignore[attr-defined]
            if gold["type"] in totals:
                totals[gold["type"]][1] += 1
                totals[gold["type"]][0] += any(s.start < gold["end"] and gold["start"] < s.end for s in spans)
    found = sum(totals[k][0] for k in _CONTACT_TYPES)
    total = sum(totals[k][1] for k in _CONTACT_TYPES)
    _line("presidio contact spans redacted (phone+email+address+url+ip)", found / total, total, ">= 0.95")
    for kind in _CONTACT_TYPES:
        _line(f"  {kind}", totals[kind][0] / max(1, totals[kind][1]), totals[kind][1], "")
    for kind in ("DATE_TIME", "AGE"):
        found_kind, total_kind = totals[kind]
        _line(f"presidio {kind} spans wrongly redacted", found_kind / max(1, total_kind), total_kind, "0")
    contact = _has(FlagKind.CONTACT)
    _line("own mixed contact set (10 countries, spelled e-mail, handles)", *_rate(OWN_CONTACTS, contact), ">= 0.95")
    _line("own innocent numbers (times, dates, doses, prices, helplines)", *_rate(OWN_INNOCENT, contact), "0")


def run_all(data: Path) -> int:
    """Print every figure; the exit code is 0 (figures are reported, not asserted)."""
    sdcnl = list(_read(data / "sdcnl.jsonl"))
    davidson = list(_read(data / "davidson.jsonl"))
    # Tweets come HTML-escaped ("&amp;", "Jap&#243;n"); people in a chat type the characters themselves.
    for row in davidson:
        row["text"] = html.unescape(str(row["text"]))
    neither = [str(r["text"]) for r in davidson if r["label"] == "neither"]
    offensive = [str(r["text"]) for r in davidson if r["label"] in ("offensive", "hate")]
    print("crisis")
    crisis = _has(FlagKind.CRISIS)
    suicidewatch = [_post(r) for r in sdcnl if r["label"] == "suicidewatch"]
    depression = [_post(r) for r in sdcnl if r["label"] == "depression"]
    _line("SDCNL r/SuicideWatch posts flagged (recall)", *_rate(suicidewatch, crisis), ">= 0.90")
    _line("SDCNL r/depression posts flagged", *_rate(depression, crisis), "report, aim <= 0.40")
    _line("  r/SuicideWatch flagged high or imminent", *_rate(suicidewatch, _urgent), "report")
    _line("  r/depression flagged high or imminent", *_rate(depression, _urgent), "report")
    _line("Davidson 'neither' tweets flagged", *_rate(neither, crisis), "<= 0.03")
    print("profanity and abuse")
    rude = _has(FlagKind.PROFANITY, FlagKind.ABUSE)
    _line("Davidson offensive+hate flagged (recall)", *_rate(offensive, rude), ">= 0.90")
    hate = [str(r["text"]) for r in davidson if r["label"] == "hate"]
    _line("Davidson hate flagged as ABUSE", *_rate(hate, _has(FlagKind.ABUSE)), "report")
    _line("Davidson 'neither' flagged", *_rate(neither, rude), "<= 0.05")
    _evaluate_words()
    print("contact details")
    _evaluate_contacts(data)
    return 0
