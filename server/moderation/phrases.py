"""A small phrase language for lexicons, compiled to regexes that Hyperscan runs all at once.

A line in a lexicon file reads `severity rule.id: pattern`. In a pattern, words are matched on
normalised text; `word*` matches any ending (inflection); `(a b|c)` is a choice; `[a b|c]` is
optional; `~` allows up to three other words in between (`~5`: up to five); `$` requires the end of a
clause right after (punctuation, a line end or the end of the message); an apostrophe is optional.
One Hyperscan pass finds where each rule may match, so a message tries only those rules' regexes, and
only there, however long the lexicon grows.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from importlib.resources import files
from typing import NamedTuple

from .multiscan import StartScanner, matches_at
from .normalize import normalize
from .twins import reversed_twin
from .verdict import Severity

_TOKEN = re.compile(r"\(|\)|\[|\]|\||~\d*|\$|[^\s()\[\]|~$]+")
_CLAUSE_END = r"(?=[ \t]*(?:[\n.!?,;:)]|$))"


@dataclass(frozen=True, slots=True)
class Phrase:
    rule: str
    severity: Severity
    pattern: re.Pattern[str]


class PhraseHit(NamedTuple):
    """One match of a rule; a named tuple, as several are built per message (see verdict.Span)."""

    rule: str
    severity: Severity
    start: int
    end: int


# A match must not start inside a word. As a look-behind at the start of a regex this makes `re` try every
# position in the text; placed after the first letter of each word a match can start with ("d" + guard +
# "ie"), it lets `re` skip to where those letters stand: several times faster over a long message.
_START = r"(?<![\w'])"
_GUARD = r"(?<![\w']%s)"


def _word(word: str, leading: bool) -> str | None:
    """The regex for one word of a pattern (apostrophes are optional), guarded when a match may start with
    it; None when it must be guarded but cannot be."""
    stem = word.endswith("*")
    folded = normalize(word.rstrip("*")).text
    regex = re.escape(folded).replace("'", "'?") + (r"\w*" if stem else "")
    if not leading:
        return regex
    return regex[0] + _GUARD % regex[0] + regex[1:] if re.fullmatch(r"\w", regex[0]) else None


class _Parser:
    """Recursive descent over pattern tokens; also counts the parts a match cannot do without.

    `guarded` stays true while every match starts with a word that carries its guard (see _GUARD).
    """

    def __init__(self, source: str) -> None:
        self.tokens = _TOKEN.findall(source)
        self.position = 0
        self.guarded = True

    def sequence(self, closers: tuple[str, ...], leading: bool) -> tuple[str, int]:
        """The regex of a sequence and how many of its parts are required words or choices."""
        parts: list[str] = []
        required = 0
        while self.position < len(self.tokens) and self.tokens[self.position] not in closers:
            token = self.tokens[self.position]
            self.position += 1
            if token.startswith("~") or token == "$":
                parts.append(r"(?:\W+[\w']+){0,%d}" % int(token[1:] or 3) if token != "$" else _CLAUSE_END)
                self.guarded = self.guarded and not leading  # a match may start with a separator
                leading = False
                continue
            if token in ("(", "["):
                alternatives = self.choice(")" if token == "(" else "]", leading)
                optional = token == "["
            else:
                word = _word(token, leading)
                self.guarded = self.guarded and word is not None
                alternatives, optional = [word or _word(token, False) or ""], False
            parts.append(_joined(alternatives, required > 0, optional))
            required += not optional
            # After an optional first part, the next word starts a match only when that part is absent: it
            # cannot carry a guard, so the pattern keeps its look-behind.
            self.guarded = self.guarded and not (leading and optional)
            leading = False
        return "".join(parts), required

    def choice(self, closer: str, leading: bool) -> list[str]:
        alternatives: list[str] = []
        while True:
            alternatives.append(self.sequence((closer, "|"), leading)[0])
            token = self.tokens[self.position]
            self.position += 1
            if token == closer:
                return alternatives


def _joined(alternatives: list[str], separate: bool, optional: bool) -> str:
    """A choice with its separator; a clause end (`$`) needs none, so it stands outside the separator."""
    words = "(?:%s)" % "|".join(a for a in alternatives if a != _CLAUSE_END)
    if optional:
        regex = r"(?:\W+%s)?" % words if separate else r"(?:%s\W+)?" % words
    else:
        regex = (r"\W+" if separate else "") + words
    return f"(?:{regex}|{_CLAUSE_END})" if _CLAUSE_END in alternatives else regex


def compile_phrase(source: str) -> re.Pattern[str]:
    """Compile one pattern; one with no required word would match almost anything, so it is refused."""
    parser = _Parser(source)
    regex, required = parser.sequence((), leading=True)
    if not required:
        raise ValueError(f"pattern has no required word: {source!r}")
    return re.compile(("" if parser.guarded else _START) + regex + r"(?![\w'])")


class PhraseMatcher:
    """All phrases of one lexicon file, matched on normalised text.

    Hyperscan scans the text once for every rule at the same time (multi-pattern automata in C, a few
    microseconds a message however long the lexicon grows). Each rule is compiled there as a looser twin
    of its regex, read backwards (twins.reversed_twin), over the text reversed: the scan names where each
    rule may start a match, and its exact regex is tried only there. What is found is exactly what
    `finditer` of the exact regexes alone would find, at a small part of the cost on a long message: a
    regex whose words start with many letters otherwise tries a match at most positions of the text.
    """

    def __init__(self, lines: list[str]) -> None:
        self.phrases: list[Phrase] = []
        for line in lines:
            head, _, source = line.partition(":")
            severity, rule = head.split()
            self.phrases.append(Phrase(rule, Severity(severity), compile_phrase(source.strip())))
        self.scanner = StartScanner([reversed_twin(phrase.pattern) for phrase in self.phrases])

    def find(self, text: str) -> list[PhraseHit]:
        """Every rule's matches, rule by rule in lexicon order, as finditer gives them: the first match at
        or after the end of the one before (a phrase holds a word, so no match is empty)."""
        hits: list[PhraseHit] = []
        for index, starts in sorted(self.scanner.starts(text).items()):
            phrase = self.phrases[index]
            hits += [PhraseHit(phrase.rule, phrase.severity, match.start(), match.end())
                     for match in matches_at(phrase.pattern, text, starts)]
        return hits


def read_lines(name: str) -> list[str]:
    """Non-empty, non-comment lines of a data file shipped in server/moderation/data/."""
    text = files(__package__).joinpath("data", name).read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]


_SENTENCE_END = re.compile(r"[.!?\n]")


def _prefix_tree(words: set[str]) -> str:
    """A regex for a set of words as the tree of their shared beginnings (an apostrophe optional): `re` tries
    each first letter once, not each of some sixty cues in turn, at every place a word may start."""
    rests: dict[str, set[str]] = {}
    for word in words - {""}:
        rests.setdefault(word[0], set()).add(word[1:])
    alternatives = "|".join(
        re.escape(first).replace("'", "'?") + _prefix_tree(rest) for first, rest in sorted(rests.items()))
    if "" in words:
        return f"(?:{alternatives})?" if alternatives else ""
    return alternatives if len(rests) == 1 else f"(?:{alternatives})"


def cue_pattern(cues: tuple[str, ...]) -> re.Pattern[str]:
    """One regex for context words ("not", "used to"), whole words or possessives ("mum's") on normalised text."""
    return re.compile(r"(?<![\w'])%s(?:'s)?(?![\w'])" % _prefix_tree({normalize(c).text for c in cues}))


def preceded_by(cues: re.Pattern[str], text: str, start: int, window: int = 40) -> bool:
    """Whether a cue occurs shortly before start, within the same sentence."""
    return cues.search(_SENTENCE_END.split(text[max(0, start - window):start])[-1]) is not None
