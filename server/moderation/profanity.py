"""Profanity and slurs: one Aho-Corasick automaton over better-profanity's list and ours.

Matching runs on normalised text and accepts a hit only at a word start, as a whole word, an
inflection ("fucking", "bitches") or a compound of two listed words ("shitface"), so words that
merely contain a listed word ("Scunthorpe", "assess", "therapist") never match.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from itertools import repeat

import ahocorasick

from .normalize import Normalized, normalize
from .phrases import read_lines
from .verdict import Flag, FlagKind, Severity, Span
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
    """Every spelling to look for, with the listed words it stands for."""
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
            table.setdefault(variant, []).append(Entry(word, kind, runs, anywhere))
    return {key: tuple(entries) for key, entries in table.items()}


@cache
def _word_starts() -> WordStarts:
    return WordStarts(set(_table()), inner="*")


@cache
def _automaton() -> ahocorasick.Automaton:
    """Each spelling at a word start (wordshape.WordStarts), and anywhere for the few listed as *word*."""
    automaton = ahocorasick.Automaton()
    for key, entries in _table().items():
        anywhere = any(entry.anywhere for entry in entries)
        whole = not anywhere and all(map(_is_token_char, key))  # a hit ends inside a token: see find_words
        for before in _word_starts().prefixes:
            automaton.add_word(before + key, (key, entries, True, whole))
        if anywhere:
            automaton.add_word(key, (key, entries, False, False))
    automaton.make_automaton()
    return automaton


_TOKEN = re.compile(r"(?:[^\W_]|\*)+")


def _is_token_char(char: str) -> bool:
    return char.isalnum() or char == "*"


def _run_fits(typed: int, listed: int) -> bool:
    """A letter typed three or more times is stretching ("shiiit").

    A double letter must match the list ("asses" is not "assess").
    """
    return typed == listed or typed >= 3 or typed >= listed >= 2


def _runs_fit(norm: Normalized, start: int, runs: tuple[int, ...]) -> bool:
    typed = tuple(map(norm.runs.get, range(start, start + len(runs)), repeat(1)))
    return typed == runs or all(map(_run_fits, typed, runs))  # typed as listed: the usual case, checked in C


def _listed_at(norm: Normalized, start: int, end: int) -> bool:
    """Whether norm.text[start:end] is a listed word on its own (the second half of a compound)."""
    found = _table().get(norm.text[start:end], ())
    return any(_runs_fit(norm, start, e.runs) for e in found)


def _accept(norm: Normalized, start: int, end: int, entry: Entry, token_end: int) -> bool:
    if entry.anywhere or end == token_end:
        return True
    rest = norm.text[end:token_end]
    if rest in _SUFFIXES and all(norm.run(i) == 1 for i in range(end, token_end)):
        return True
    return len(rest) >= 3 and _listed_at(norm, end, token_end)


def _in_innocent_pair(text: str, tokens: list[tuple[int, int]], index: int) -> bool:
    """Whether the token and a neighbour form a harmless phrase ("maine coon", "hoe-down", "doo-wop")."""
    pairs = word_lists().pairs
    word = text[slice(*tokens[index])]
    before = text[slice(*tokens[index - 1])] if index > 0 else ""
    after = text[slice(*tokens[index + 1])] if index + 1 < len(tokens) else ""
    return (before, word) in pairs or (word, after) in pairs


@cache
def _neighbourly() -> frozenset[str]:
    """Words whose neighbours may clear them: halves of innocent pairs and words of other languages."""
    lists = word_lists()
    return frozenset(word for pair in lists.pairs for word in pair) | frozenset(lists.foreign)


def _other_language(text: str, tokens: list[tuple[int, int]], word: str) -> bool:
    """Whether a word that is everyday in another language ("hoe": Dutch "how") is used in that language here."""
    cues = word_lists().foreign.get(word)
    if not cues:
        return False
    return len({text[a:b] for a, b in tokens} & cues) >= 2


def find_words(norm: Normalized) -> list[tuple[FlagKind, int, int]]:
    """Listed words in normalised text, as (kind, start, end) in normalised coordinates."""
    text = norm.text
    hits: dict[tuple[int, int], FlagKind] = {}
    innocent, neighbourly, table = word_lists().innocent, _neighbourly(), _table()
    tokens: list[tuple[int, int]] = []
    for last, (key, entries, at_word_start, whole) in _automaton().iter(_word_starts().view(text)):
        start, end = last - len(key), last
        if not at_word_start and (start == 0 or not _is_token_char(text[start - 1])):
            continue  # a *word* at a word start: its word-start key reports it
        after = _TOKEN.match(text, end) if whole else None
        if after:
            rest = after.group()
            if rest not in _SUFFIXES and (len(rest) < 3 or rest not in table):
                continue  # the start of a longer word ("hello"): no ending or listed word follows; no tokenising
        token_start = start  # every key starts with a token character, so the hit starts inside its token
        while token_start and _is_token_char(text[token_start - 1]):
            token_start -= 1
        if whole:  # a whole key ends inside its token, so what follows it is the rest of the token
            token_end = after.end() if after else end
        else:
            token_end = _TOKEN.match(text, token_start).end()  # type: ignore[union-attr]
        word = text[token_start:token_end]
        if word in innocent or hits.get((token_start, token_end)) is FlagKind.ABUSE:
            continue
        if word in neighbourly:  # only these need the words around them, so only then is the text tokenised
            tokens = tokens or list(map(re.Match.span, _TOKEN.finditer(text)))
            index = bisect_right(tokens, (start, len(text) + 1)) - 1
            if _in_innocent_pair(text, tokens, index) or _other_language(text, tokens, word):
                continue
        for entry in entries:
            if (at_word_start or entry.anywhere) and _runs_fit(norm, start, entry.runs):
                if _accept(norm, start, end, entry, token_end):
                    hits[token_start, token_end] = entry.kind
                    break
    return [(kind, start, end) for (start, end), kind in hits.items()]


def check_profanity(norm: Normalized) -> tuple[Flag, ...]:
    """One flag per kind found: PROFANITY (masked or blocked by room policy), ABUSE for slurs."""
    spans: dict[FlagKind, list[Span]] = {}
    for kind, start, end in find_words(norm):
        spans.setdefault(kind, []).append(norm.span(start, end))
    flags = []
    if FlagKind.ABUSE in spans:
        flags.append(Flag(FlagKind.ABUSE, Severity.HIGH, "abuse.slur", tuple(spans[FlagKind.ABUSE])))
    if FlagKind.PROFANITY in spans:
        flags.append(Flag(FlagKind.PROFANITY, Severity.LOW, "profanity.word", tuple(spans[FlagKind.PROFANITY])))
    return tuple(flags)
