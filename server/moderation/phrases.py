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
from functools import cache
from importlib.resources import files

import ahocorasick

from .normalize import normalize
from .verdict import Severity
from .wordshape import WordStarts

_TOKEN = re.compile(r"\(|\)|\[|\]|\||~\d*|\$|[^\s()\[\]|~$]+")
_CLAUSE_END = r"(?=[ \t]*(?:[\n.!?,;:)]|$))"
# The literal words a rule's match can start with; None when a match may start elsewhere.
Starts = frozenset[str] | None


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


def _word(word: str) -> tuple[str, str, frozenset[str]]:
    """Regex, prefilter anchor and literal spellings (apostrophes are optional) for one word of a pattern."""
    stem = word.endswith("*")
    folded = normalize(word.rstrip("*")).text
    regex = re.escape(folded).replace("'", "'?") + (r"\w*" if stem else "")
    first, *rest = folded.split("'")
    spellings = {first}
    for piece in rest:
        spellings = {s + apostrophe + piece for s in spellings for apostrophe in ("'", "")}
    return regex, max(folded.split("'"), key=len), frozenset(spellings)


class _Parser:
    """Recursive descent over pattern tokens.

    Besides the regex and the required word groups it finds the words a match can start with (None
    when a match may start elsewhere, e.g. with a gap), so a rule is only tried where one occurs.
    """

    def __init__(self, source: str) -> None:
        self.tokens = _TOKEN.findall(source)
        self.position = 0

    def sequence(self, closers: tuple[str, ...]) -> tuple[str, list[frozenset[str]], Starts]:
        parts: list[str] = []
        required: list[frozenset[str]] = []
        separate = False
        first: Starts = frozenset()
        leading = True  # every part so far was optional: the next part's words can start a match too
        while self.position < len(self.tokens) and self.tokens[self.position] not in closers:
            token = self.tokens[self.position]
            self.position += 1
            if token.startswith("~") or token == "$":
                parts.append(r"(?:\W+[\w']+){0,%d}" % int(token[1:] or 3) if token != "$" else _CLAUSE_END)
                first = None if leading else first
                leading = False
                continue
            if token in ("(", "["):
                alternatives, anchors, starts = self.choice(")" if token == "(" else "]")
                optional = token == "["
            else:
                regex, anchor, spellings = _word(token)
                alternatives, anchors, optional = [regex], frozenset({anchor}), False
                starts = None if "" in spellings else spellings
            parts.append(_joined(alternatives, separate, optional))
            if leading:
                first = None if first is None or starts is None else first | starts
                leading = optional
            if not optional:
                required.append(anchors)
                separate = True
        return "".join(parts), required, None if leading else first

    def choice(self, closer: str) -> tuple[list[str], frozenset[str], Starts]:
        alternatives: list[str] = []
        anchors: set[str] = set()
        first: Starts = frozenset()
        while True:
            regex, required, starts = self.sequence((closer, "|"))
            alternatives.append(regex)
            anchors |= _most_selective(required) if required else {""}
            first = None if first is None or starts is None else first | starts
            token = self.tokens[self.position]
            self.position += 1
            if token == closer:
                return alternatives, frozenset(anchors), first


def _joined(alternatives: list[str], separate: bool, optional: bool) -> str:
    """A choice with its separator; a clause end (`$`) needs none, so it stands outside the separator."""
    words = "(?:%s)" % "|".join(a for a in alternatives if a != _CLAUSE_END)
    if optional:
        regex = r"(?:\W+%s)?" % words if separate else r"(?:%s\W+)?" % words
    else:
        regex = (r"\W+" if separate else "") + words
    return f"(?:{regex}|{_CLAUSE_END})" if _CLAUSE_END in alternatives else regex


# Words in most chat messages: a part made of them gates almost nothing, so a rarer part is preferred.
_COMMON = frozenset(
    "a i to the and my be do me so no it of you go for is in on at am if this that have with not can get just like "
    "was".split()
)


def _most_selective(required: list[frozenset[str]]) -> frozenset[str]:
    """The cheapest required part to look for first: not only common words, then the longest shortest word."""
    return max(required, key=lambda group: (not group <= _COMMON, min(len(a) for a in group)))


_SHORT = 3  # Words shorter than this ("i", "my") occur everywhere: they never gate a rule.


@dataclass(frozen=True, slots=True)
class Compiled:
    pattern: re.Pattern[str]
    anchors: frozenset[str]
    gates: tuple[frozenset[str], ...]
    starts: Starts


def compile_phrase(source: str) -> Compiled:
    """Compile one pattern. Anchors: the words of its most selective required part. Gates: every
    required part worth checking; the regex only runs when each gate has one of its words in the text."""
    regex, required, starts = _Parser(source).sequence(())
    if not required:
        raise ValueError(f"pattern has no required word: {source!r}")
    anchors = _most_selective(required)
    if "" in anchors:
        raise ValueError(f"pattern has an optional-only choice: {source!r}")
    gates = tuple(group for group in required if min(map(len, group)) >= _SHORT)
    return Compiled(re.compile(r"(?<![\w'])%s(?![\w'])" % regex), anchors, gates, starts)


@cache
def _word_starts(kept: frozenset[str]) -> WordStarts:
    """One view for every lexicon with the same separators, so crisis and abuse share a message's view."""
    return WordStarts(set(), kept="".join(sorted(kept | set(_KEPT))))


_KEPT = "'-."  # the separators crisis words hold; abuse words hold a subset, so both share one view


class _Key:
    """What an automaton word stands for: the word, its gate bits and the rules it anchors (hashed by identity)."""

    __slots__ = ("word", "bits", "rules")

    def __init__(self, word: str, bits: int, rules: tuple[int, ...]) -> None:
        self.word, self.bits, self.rules = word, bits, rules


class PhraseMatcher:
    """All phrases of one lexicon file, matched on normalised text.

    One Aho-Corasick pass finds where lexicon words start a word in the text (the automaton reports
    only word starts: wordshape.WordStarts); a rule is tried only when its anchor and every gate word
    group were found, and then only where one of the words it can start with occurs, so a message runs
    a few anchored regexes at most. Each automaton word carries the rules it anchors and a bit per gate
    group it belongs to; a word found many times is looked at once.
    """

    def __init__(self, lines: list[str]) -> None:
        self.phrases: list[Phrase] = []
        self.needs: list[int] = []  # per rule: the bits of its gate groups
        compiled_starts: list[Starts] = []
        anchored: dict[str, list[int]] = {}
        gate_bits: dict[frozenset[str], int] = {}
        words: set[str] = set()
        for line in lines:
            head, _, source = line.partition(":")
            severity, rule = head.split()
            compiled = compile_phrase(source.strip())
            for anchor in compiled.anchors:
                anchored.setdefault(anchor, []).append(len(self.phrases))
            self.phrases.append(Phrase(rule, Severity(severity), compiled.pattern))
            self.needs.append(sum({gate_bits.setdefault(gate, 1 << len(gate_bits)) for gate in compiled.gates}))
            compiled_starts.append(compiled.starts)
            words |= compiled.anchors | (compiled.starts or frozenset()) | {w for gate in compiled.gates for w in gate}
        self.word_starts = _word_starts(frozenset(c for word in words for c in word if not c.isalnum()))
        self.automaton = ahocorasick.Automaton()
        keys: dict[str, _Key] = {}
        for word in words:
            bits = sum(bit for gate, bit in gate_bits.items() if word in gate)
            keys[word] = _Key(word, bits, tuple(anchored.get(word, ())))
            for before in self.word_starts.prefixes:
                self.automaton.add_word(before + word, keys[word])
        self.automaton.make_automaton()
        # Per rule, the automaton words it can start with (None: a match may start elsewhere).
        self.starts = [None if words is None else frozenset(keys[w] for w in words) for words in compiled_starts]

    def find(self, text: str) -> list[PhraseHit]:
        found: dict[_Key, list[int]] = {}  # each word once, with where each of its hits ends
        for last, key in self.automaton.iter(self.word_starts.view(text)):
            found.setdefault(key, []).append(last)
        gates = 0
        candidates: set[int] = set()
        for key in found:
            gates |= key.bits
            candidates.update(key.rules)
        needs = self.needs
        return [hit for index in sorted(candidates) if needs[index] & gates == needs[index]
                for hit in self._matches(index, text, found)]

    def _matches(self, index: int, text: str, found: dict[_Key, list[int]]) -> list[PhraseHit]:
        """Exactly what finditer over the whole text finds, tried only where the rule can start."""
        phrase, starts = self.phrases[index], self.starts[index]
        if starts is None:
            return [PhraseHit(phrase.rule, phrase.severity, m.start(), m.end()) for m in phrase.pattern.finditer(text)]
        hits = []
        position = 0
        for start in sorted({last - len(key.word) for key in starts.intersection(found) for last in found[key]}):
            if start >= position and (match := phrase.pattern.match(text, start)):
                hits.append(PhraseHit(phrase.rule, phrase.severity, start, match.end()))
                position = match.end()
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
