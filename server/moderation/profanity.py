"""Profanity and slurs: one multi-literal Hyperscan database over better-profanity's list and ours.

Matching runs on normalised text and accepts a hit only at a word start, as a whole word, an
inflection ("fucking", "bitches") or a compound of two listed words ("shitface"), so words that
merely contain a listed word ("Scunthorpe", "assess", "therapist") never match.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache, lru_cache
from importlib.resources import files

from .multiscan import EndScanner
from .normalize import Normalized, normalize
from .phrases import read_lines
from .verdict import Flag, FlagKind, Severity
from .wordshape import WordStarts

_SUFFIXES = frozenset({
    "s", "es", "ed", "d", "er", "ers", "ing", "in", "y", "ey", "ie", "ies", "ier", "iest", "ish", "z",
})
_VOWELS = "aeiou"


@dataclass(frozen=True, slots=True)
class Entry:
    word: str
    kind: FlagKind
    runs: tuple[int, ...]
    anywhere: bool = False


@dataclass(frozen=True, slots=True)
class WordLists:
    """Listed words after folding, with why each one is listed."""

    profanity: frozenset[str]
    slurs: frozenset[str]
    exempt: frozenset[str]
    innocent: frozenset[str]
    pairs: frozenset[tuple[str, str]]
    foreign: dict[str, frozenset[str]]


def _words(name: str) -> list[str]:
    return [word for line in read_lines(name) for word in line.split()]


@cache
def word_lists() -> WordLists:
    """better-profanity's list minus our exemptions, plus our additions; slurs kept apart."""
    shipped = files("better_profanity").joinpath("profanity_wordlist.txt").read_text(encoding="utf-8")
    exempt = frozenset(normalize(w).text for w in _words("profanity_exempt.txt"))
    slurs = frozenset(_words("slurs.txt"))
    listed = {w.strip().lower() for w in shipped.splitlines() if w.strip()} | set(_words("profanity_extra.txt"))
    kept = {w for w in listed - slurs if normalize(w.strip("*")).text not in exempt}
    innocent = frozenset(normalize(w).text for w in _words("innocent.txt"))
    pairs = frozenset(tuple(normalize(line).text.split()) for line in read_lines("innocent_pairs.txt"))
    foreign: dict[str, frozenset[str]] = {}
    for line in read_lines("other_languages.txt") + read_lines("other_senses.txt"):
        words, _, cues = line.partition(":")
        folded = frozenset(normalize(c).text for c in cues.split())
        for word in (normalize(w).text for w in words.split()):  # "coon" is looked up as typed: "con"
            foreign[word] = foreign.get(word, frozenset()) | folded
    return WordLists(frozenset(kept), slurs, exempt, innocent, pairs, foreign)  # type: ignore[arg-type]


def _variants(folded: str) -> set[str]:
    """Spellings the normaliser cannot undo alone: '1' read as 'i' for 'l', '*' for one vowel."""
    variants = {folded}
    if "l" in folded:
        variants.add(folded.replace("l", "i"))
    if folded.endswith("y"):
        variants.add(folded[:-1] + "ies")
    if len(folded) >= 4:
        variants |= {folded[:i] + "*" + folded[i + 1:] for i, c in enumerate(folded) if c in _VOWELS}
    return variants


@cache
def _table() -> dict[str, tuple[Entry, ...]]:
    """Every spelling to look for, with the listed words it stands for.

    A spelling holding a space or punctuation ("blow job", "shit.") is left out unless listed as *word*:
    a hit is accepted only within one token (see find_words), so it could never match, and its characters
    would make every key start after them as well (wordshape.WordStarts) for nothing.
    """
    lists = word_lists()
    table: dict[str, list[Entry]] = {}
    sources = [(w, FlagKind.PROFANITY) for w in lists.profanity] + [(w, FlagKind.ABUSE) for w in lists.slurs]
    for word, kind in sources:
        anywhere = word.startswith("*") and word.endswith("*")
        folded = normalize(word.strip("*"))
        if len(folded.text) < 2 and folded.run(0) < 2:
            continue
        runs = tuple(folded.run(i) for i in range(len(folded.text)))
        for variant in _variants(folded.text):
            if anywhere or all(map(_is_token_char, variant)):
                table.setdefault(variant, []).append(Entry(word, kind, runs, anywhere))
    return {key: tuple(entries) for key, entries in table.items()}


@cache
def _word_starts() -> WordStarts:
    return WordStarts(set(_table()), inner="*")


class _Spellings:
    """Each spelling at a word start (wordshape.WordStarts), and anywhere for the few listed as *word*: one
    Hyperscan pass over the view's bytes (most messages hold none, a few one or two), where an Aho-Corasick
    automaton walks every character in Python's iterator protocol."""

    def __init__(self) -> None:
        self.found: list[tuple[str, bool, bool]] = []  # per pattern: the key, at a word start, listed as *word*
        literals: list[bytes] = []
        for key, entries in _table().items():
            anywhere = any(entry.anywhere for entry in entries)
            for before in _word_starts().prefixes:
                literals.append((before + key).encode("utf-8"))
                self.found.append((key, True, anywhere))
            if anywhere:
                literals.append(key.encode("utf-8"))
                self.found.append((key, False, True))
        self.scanner = EndScanner([b"".join(b"\\x%02x" % byte for byte in literal) for literal in literals])


@cache
def _spellings() -> _Spellings:
    return _Spellings()


def _is_token_char(char: str) -> bool:
    return char.isalnum() or char == "*"


def _run_fits(typed: int, listed: int) -> bool:
    """A letter typed three or more times is stretching ("shiiit").

    A double letter must match the list ("asses" is not "assess").
    """
    return typed == listed or typed >= 3 or typed >= listed >= 2


def _runs_fit(typed: tuple[int, ...], runs: tuple[int, ...]) -> bool:
    """Whether letters typed `typed` times in a row spell a word listed with `runs`."""
    typed = typed[:len(runs)]
    return typed == runs or all(map(_run_fits, typed, runs))  # typed as listed: the usual case, checked in C


def _listed(word: str, typed: tuple[int, ...]) -> bool:
    """Whether a token's rest, typed so, is a listed word on its own (the second half of a compound)."""
    return any(_runs_fit(typed, entry.runs) for entry in _table().get(word, ()))


def _accept(word: str, end: int, entry: Entry, typed: tuple[int, ...]) -> bool:
    """Whether what follows a hit ending at `end` in its token makes it a word: nothing, an ending, a word."""
    if entry.anywhere or end == len(word):
        return True
    rest = word[end:]
    if rest in _SUFFIXES and all(run == 1 for run in typed[end:]):
        return True
    return len(rest) >= 3 and _listed(rest, typed[end:])


@lru_cache(maxsize=4096)
def _token_hit(word: str, start: int, end: int, repeated: bytes) -> FlagKind | None:
    """What a hit on word[start:end] makes of its token, its letters typed 1 + repeated[i] times, neighbours
    aside (see Normalized.repeated: a run of three or more fits as any longer one does).

    All that is needed is inside the token, and chat repeats its words, so the answer is kept: the
    steps in Python per hit cost more in a running pipeline than in isolation (cold caches).
    """
    if word in word_lists().innocent:
        return None
    typed = tuple(more + 1 for more in repeated)
    for entry in _table()[word[start:end]]:
        if (start == 0 or entry.anywhere) and _runs_fit(typed[start:], entry.runs) and _accept(word, end, entry, typed):
            return entry.kind
    return None


@cache
def _neighbourly() -> frozenset[str]:
    """Words whose neighbours may clear them: halves of innocent pairs and words of other languages."""
    lists = word_lists()
    return frozenset(word for pair in lists.pairs for word in pair) | frozenset(lists.foreign)


def _cleared_by_neighbours(view: str, token_start: int, token_end: int) -> bool:
    """Whether a token and a neighbour form a harmless phrase ("maine coon", "hoe-down", "doo-wop"), or the
    token is everyday in another language ("hoe": Dutch "how") and two cue words of it are in the text.

    The view holds the tokens split by runs of spaces, so plain string searches find the neighbours, and
    the view's tokens meet the cues in one set intersection: a quarter of chat messages hold "hoes" or
    "pussy", and a token regex over the whole text costs several microseconds in a pipeline, as does a
    search for each of some forty cues (more on text with emoji, whose searches cannot use memchr).
    """
    lists = word_lists()
    word = view[token_start + 1:token_end + 1]
    before = view[:token_start + 1].rstrip()
    after = view[token_end + 1:].lstrip()
    earlier, later = before[before.rfind(" ") + 1:], after[:after.find(" ")] if " " in after else after
    if (earlier, word) in lists.pairs or (word, later) in lists.pairs:
        return True
    cues = lists.foreign.get(word)
    return cues is not None and len(cues.intersection(view.split())) >= 2


def find_words(norm: Normalized) -> list[tuple[FlagKind, int, int]]:
    """Listed words in normalised text, as (kind, start, end) in normalised coordinates.

    Tokens are runs of characters other than spaces in the word view (" " + text with every other
    character a space), so their bounds are found by str.find: text index i is view index i + 1.
    """
    text = norm.plain
    view = _word_starts().view(text)
    hits: dict[tuple[int, int], FlagKind] = {}
    table, neighbourly, abuse = _table(), _neighbourly(), FlagKind.ABUSE
    repeated = b""
    spellings = _spellings()
    data = view.encode("utf-8", "surrogatepass")
    for rule, end in spellings.scanner.matches(data):
        key, at_word_start, anywhere = spellings.found[rule]
        last = end - 1 if len(data) == len(view) else len(data[:end].decode("utf-8", "surrogatepass")) - 1
        start = last - len(key)
        if not at_word_start and view[start] == " ":
            continue  # a *word* at a word start: its word-start key reports it
        space = view.find(" ", last + 1)
        token_end = space - 1 if space > 0 else len(text)
        if not anywhere:  # the key starts its token
            rest = text[last:token_end]
            if rest and rest not in _SUFFIXES and (len(rest) < 3 or rest not in table):
                continue  # the start of a longer word ("hello"): no ending or listed word follows
        token_start = view.rfind(" ", 0, start + 1)
        if hits.get((token_start, token_end)) is abuse:
            continue
        repeated = repeated or norm.repeated()
        word = text[token_start:token_end]
        kind = _token_hit(word, start - token_start, last - token_start, repeated[token_start:token_end])
        if kind and not (word in neighbourly and _cleared_by_neighbours(view, token_start, token_end)):
            hits[token_start, token_end] = kind
    return [(kind, start, end) for (start, end), kind in hits.items()]


def check_profanity(norm: Normalized) -> tuple[Flag, ...]:
    """One flag per kind found: PROFANITY (masked or blocked by room policy), ABUSE for slurs."""
    found = find_words(norm)
    if not found:
        return ()  # most messages
    abuse = FlagKind.ABUSE
    slurs = tuple(norm.span(start, end) for kind, start, end in found if kind is abuse)
    words = tuple(norm.span(start, end) for kind, start, end in found if kind is not abuse)
    return ((Flag(FlagKind.ABUSE, Severity.HIGH, "abuse.slur", slurs),) if slurs else ()) + (
        (Flag(FlagKind.PROFANITY, Severity.LOW, "profanity.word", words),) if words else ())
