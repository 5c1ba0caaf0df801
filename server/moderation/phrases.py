"""A small phrase language for lexicons, compiled to regexes with an Aho-Corasick prefilter.

A line in a lexicon file reads `severity rule.id: pattern`. In a pattern, words are matched on
normalised text; `word*` matches any ending (inflection); `(a b|c)` is a choice; `[a b|c]` is
optional; `~` allows up to three other words in between (`~5`: up to five); `$` requires the end of a
clause right after (punctuation, a line end or the end of the message); an apostrophe is optional.
Each rule is only tried when its rarest required word occurs, which keeps a message to a few
regex searches however long the lexicon grows.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from importlib.resources import files

import ahocorasick

from .normalize import normalize
from .verdict import Severity

_TOKEN = re.compile(r"\(|\)|\[|\]|\||~\d*|\$|[^\s()\[\]|~$]+")
_CLAUSE_END = r"(?=[ \t]*(?:[\n.!?,;:)]|$))"


@dataclass(frozen=True, slots=True)
class Phrase:
    rule: str
    severity: Severity
    pattern: re.Pattern[str]


@dataclass(frozen=True, slots=True)
class PhraseHit:
    rule: str
    severity: Severity
    start: int
    end: int


def _word(word: str) -> tuple[str, str]:
    """Regex and prefilter anchor for one word of a pattern."""
    stem = word.endswith("*")
    folded = normalize(word.rstrip("*")).text
    regex = re.escape(folded).replace("'", "'?") + (r"\w*" if stem else "")
    return regex, max(folded.split("'"), key=len)


class _Parser:
    """Recursive descent over pattern tokens; returns (regex, anchor choices or None if optional)."""

    def __init__(self, source: str) -> None:
        self.tokens = _TOKEN.findall(source)
        self.position = 0

    def sequence(self, closers: tuple[str, ...]) -> tuple[str, list[frozenset[str]]]:
        parts: list[str] = []
        required: list[frozenset[str]] = []
        separate = False
        while self.position < len(self.tokens) and self.tokens[self.position] not in closers:
            token = self.tokens[self.position]
            self.position += 1
            if token.startswith("~"):
                parts.append(r"(?:\W+[\w']+){0,%d}" % int(token[1:] or 3))
                continue
            if token == "$":
                parts.append(_CLAUSE_END)
                continue
            if token in ("(", "["):
                alternatives, anchors = self.choice(")" if token == "(" else "]")
                optional = token == "["
            else:
                regex, anchor = _word(token)
                alternatives, anchors, optional = [regex], frozenset({anchor}), False
            parts.append(_joined(alternatives, separate, optional))
            if not optional:
                required.append(anchors)
                separate = True
        return "".join(parts), required

    def choice(self, closer: str) -> tuple[list[str], frozenset[str]]:
        alternatives: list[str] = []
        anchors: set[str] = set()
        while True:
            regex, required = self.sequence((closer, "|"))
            alternatives.append(regex)
            anchors |= _most_selective(required) if required else {""}
            token = self.tokens[self.position]
            self.position += 1
            if token == closer:
                return alternatives, frozenset(anchors)


def _joined(alternatives: list[str], separate: bool, optional: bool) -> str:
    """A choice with its separator; a clause end (`$`) needs none, so it stands outside the separator."""
    words = "(?:%s)" % "|".join(a for a in alternatives if a != _CLAUSE_END)
    if optional:
        regex = r"(?:\W+%s)?" % words if separate else r"(?:%s\W+)?" % words
    else:
        regex = (r"\W+" if separate else "") + words
    return f"(?:{regex}|{_CLAUSE_END})" if _CLAUSE_END in alternatives else regex


def _most_selective(required: list[frozenset[str]]) -> frozenset[str]:
    """The required part whose shortest word is longest: the cheapest part to look for first."""
    return max(required, key=lambda group: min(len(a) for a in group))


_SHORT = 3  # Words shorter than this ("i", "my") occur everywhere: they never gate a rule.


@dataclass(frozen=True, slots=True)
class Compiled:
    pattern: re.Pattern[str]
    anchors: frozenset[str]
    gates: tuple[frozenset[str], ...]


def compile_phrase(source: str) -> Compiled:
    """Compile one pattern. Anchors: the words of its most selective required part. Gates: every
    required part worth checking; the regex only runs when each gate has one of its words in the text."""
    regex, required = _Parser(source).sequence(())
    if not required:
        raise ValueError(f"pattern has no required word: {source!r}")
    anchors = _most_selective(required)
    if "" in anchors:
        raise ValueError(f"pattern has an optional-only choice: {source!r}")
    gates = tuple(group for group in required if min(map(len, group)) >= _SHORT)
    return Compiled(re.compile(r"(?<![\w'])%s(?![\w'])" % regex), anchors, gates)


class PhraseMatcher:
    """All phrases of one lexicon file, matched on normalised text.

    One Aho-Corasick pass finds which lexicon words start a word in the text; a rule's regex runs
    only when its anchor and every gate word group were found, so most messages run no regex at all.
    """

    def __init__(self, lines: list[str]) -> None:
        self.phrases: list[Phrase] = []
        self.gates: list[tuple[frozenset[str], ...]] = []
        self.automaton = ahocorasick.Automaton()
        self.by_anchor: dict[str, list[int]] = {}
        words: set[str] = set()
        for line in lines:
            head, _, source = line.partition(":")
            severity, rule = head.split()
            compiled = compile_phrase(source.strip())
            for anchor in compiled.anchors:
                self.by_anchor.setdefault(anchor, []).append(len(self.phrases))
            self.phrases.append(Phrase(rule, Severity(severity), compiled.pattern))
            self.gates.append(compiled.gates)
            words |= compiled.anchors
            words.update(word for gate in compiled.gates for word in gate)
        for word in words:
            self.automaton.add_word(word, len(word))
        self.automaton.make_automaton()

    def find(self, text: str) -> list[PhraseHit]:
        found = {
            text[last - length + 1:last + 1]
            for last, length in self.automaton.iter(text)
            if last < length or not text[last - length].isalnum()
        }
        candidates = {i for word in found for i in self.by_anchor.get(word, ())}
        hits = []
        for index in sorted(candidates):
            if not all(gate & found for gate in self.gates[index]):
                continue
            phrase = self.phrases[index]
            hits.extend(
                PhraseHit(phrase.rule, phrase.severity, m.start(), m.end()) for m in phrase.pattern.finditer(text)
            )
        return hits


def read_lines(name: str) -> list[str]:
    """Non-empty, non-comment lines of a data file shipped in server/moderation/data/."""
    text = files(__package__).joinpath("data", name).read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]


_SENTENCE_END = re.compile(r"[.!?\n]")


def cue_pattern(cues: tuple[str, ...]) -> re.Pattern[str]:
    """One regex for context words ("not", "used to"), whole words or possessives ("mum's") on normalised text."""
    alternatives = sorted({re.escape(normalize(c).text).replace("'", "'?") for c in cues}, key=len, reverse=True)
    return re.compile(r"(?<![\w'])(?:%s)(?:'s)?(?![\w'])" % "|".join(alternatives))


def preceded_by(cues: re.Pattern[str], text: str, start: int, window: int = 40) -> bool:
    """Whether a cue occurs shortly before start, within the same sentence."""
    return cues.search(_SENTENCE_END.split(text[max(0, start - window):start])[-1]) is not None
