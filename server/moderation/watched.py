"""Watched words: a community's own words, phrases and bounded patterns, with an action and exceptions.

Pure. Rules are checked and compiled once per change into an immutable WatchedMatcher: a table of
whole words (most rules), looked up once per word of the message; one Aho-Corasick automaton for
the other words (those a rule opens or ends with *, or with other characters than letters and digits;
it reports only word starts, see wordshape.WordStarts, except for words a rule opens with *); and one
RE2 set for phrases and patterns. So matching is linear in the message however many rules there are,
and no pattern can backtrack catastrophically. Everything
matches the normalised text (server/moderation/normalize.py), the same as the built-in lists. This
module must not read the database: the server hands compiled rules in through the RoomPolicy.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import NamedTuple, TypeVar

import ahocorasick
import re2

from .normalize import Normalized, normalize
from .re2_spans import Finder, PatternSet, Subject
from .verdict import Decision, Flag, FlagKind, Notice, Severity, Span
from .wordshape import WordStarts

_T = TypeVar("_T")

MAX_WORD_CHARS = 64
MAX_PATTERN_CHARS = 200
MAX_MUTE_MINUTES = 7 * 24 * 60
RULE_PREFIX = "watched."
# Texts a sensible rule never matches on its own: a rule that does would catch nearly every message.
_ONE_CHARACTER = ("a", "e", "i", "o", "u", "s", "t", "1", " ", ".", "!")
_COMMON_WORDS = ("the", "and", "you", "is", "hi", "ok", "to", "it")
_TOKEN_CHARS = re.compile(r"[^\W_]")


class RuleKind(StrEnum):
    WORD = "word"
    PHRASE = "phrase"
    PATTERN = "pattern"


class RuleAction(StrEnum):
    """What a hit does, mildest first; `allow` marks an exception that cancels hits it covers."""

    ALLOW = "allow"
    FLAG = "flag"
    MASK = "mask"
    HOLD = "hold"
    BLOCK = "block"
    MUTE = "mute"

    @property
    def rank(self) -> int:
        return _ACTION_RANK[self]


_ACTION_RANK = {action: rank for rank, action in enumerate(RuleAction)}  # read per hit: not worked out each time


class RuleError(ValueError):
    """A rule that cannot be used; the message says what to change."""

    def __init__(self, message: str, field: str = "text") -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True, slots=True)
class WatchedRule:
    id: str
    kind: RuleKind
    text: str
    action: RuleAction
    room_id: str | None = None
    mute_minutes: int = 10


def _options(max_mem: int) -> re2.Options:
    options = re2.Options()
    options.log_errors = False
    options.max_mem = max_mem
    return options


_PATTERN_OPTIONS = _options(2 << 20)
_SET_OPTIONS = _options(256 << 20)


def _compile(pattern: str, compiler: Callable[[str, re2.Options], _T]) -> _T:
    try:
        return compiler(pattern, _PATTERN_OPTIONS)
    except re2.error:
        raise RuleError("That pattern doesn't compile. Patterns use RE2 syntax: no look-arounds or "
                        "back-references, and repeats of at most 1000.") from None


def _phrase_pattern(words: list[str]) -> str:
    return r"\b" + r"\s+".join(re2.escape(w) for w in words) + r"\b"


def _pattern_of(kind: RuleKind, text: str) -> str:
    if kind is RuleKind.PHRASE:
        return _phrase_pattern(normalize(text).text.split())
    return "(?i)" + text


def check_rule_text(kind: RuleKind, raw: object) -> str:
    """The rule's text, cleaned; raises RuleError for empty, too broad, unsafe or uncompilable rules."""
    if not isinstance(raw, str) or not raw.strip():
        raise RuleError("A rule needs a word, a phrase or a pattern.")
    text = " ".join(raw.split()) if kind is not RuleKind.PATTERN else raw.strip()
    if kind is RuleKind.WORD:
        core = normalize(text.strip("*")).text
        if " " in text or not core or " " in core:
            raise RuleError("A word rule is one word (use a phrase rule for several words).")
        if len(text) > MAX_WORD_CHARS:
            raise RuleError(f"Words can be up to {MAX_WORD_CHARS} characters.")
        if "*" in text.strip("*"):
            raise RuleError("Use * only at the start or end of a word (for example 'sad*').")
        if len(_TOKEN_CHARS.findall(core)) < (3 if "*" in text else 2):
            raise RuleError("That word is too short: it would match almost every message.")
        return text.lower()
    if kind is RuleKind.PHRASE:
        if len(normalize(text).text.split()) < 2:
            raise RuleError("A phrase rule has at least two words (use a word rule for one).")
        if len(text) > MAX_PATTERN_CHARS:
            raise RuleError(f"Phrases can be up to {MAX_PATTERN_CHARS} characters.")
        return text.lower()
    if len(text) > MAX_PATTERN_CHARS:
        raise RuleError(f"Patterns can be up to {MAX_PATTERN_CHARS} characters.")
    compiled = _compile(_pattern_of(kind, text), re2.compile)
    if compiled.search("") or any(compiled.search(probe) for probe in _ONE_CHARACTER) or \
            sum(bool(compiled.search(word)) for word in _COMMON_WORDS) >= 2:
        raise RuleError("That pattern would match almost every message. Make it more specific.")
    return text


def check_mute_minutes(raw: object) -> int:
    if isinstance(raw, bool) or not isinstance(raw, int) or not 1 <= raw <= MAX_MUTE_MINUTES:
        raise RuleError(f"mute_minutes is a whole number from 1 to {MAX_MUTE_MINUTES}.", "mute_minutes")
    return raw


@dataclass(frozen=True, slots=True)
class _WordEntry:
    rule: WatchedRule
    open_start: bool
    open_end: bool


class _Hit(NamedTuple):
    rule: WatchedRule
    span: Span


def _word_gate(key: str, entries: list[_WordEntry]) -> str:
    """A loose pattern for a word key: every place the exact word rules match, it matches too.

    The exact test wants no letter or digit (str.isalnum) beside the word; this one only no ASCII one,
    so it says yes a little too often, never no too often, and compiles in a fraction of the time a
    Unicode class (\\p{L}) takes (2,000 rules: 0.02 s against 2.3 s).
    """
    before = "" if any(e.open_start for e in entries) else "(?:^|[^a-z0-9])"
    after = "" if any(e.open_end for e in entries) else "(?:[^a-z0-9]|$)"
    return before + re2.escape(key) + after


class WatchedMatcher:
    """Every rule of every room compiled together; immutable once built, shared by all rooms' views."""

    def __init__(self, rules: tuple[WatchedRule, ...] = (), version: int = 0) -> None:
        self.version = version
        self.rules = {rule.id: rule for rule in rules}
        self._words: ahocorasick.Automaton | None = None
        self._set: PatternSet | None = None
        # Per pattern of the set: a whole word's key, None for the other words, or a phrase or pattern rule.
        self._targets: list[str | tuple[WatchedRule, Finder] | None] = []
        patterns: list[str] = []
        whole: dict[str, list[WatchedRule]] = {}
        table: dict[str, list[_WordEntry]] = {}
        for rule in rules:
            if rule.kind is RuleKind.WORD:
                key = normalize(rule.text.strip("*")).text
                entry = _WordEntry(rule, rule.text.startswith("*"), rule.text.endswith("*"))
                if key.isalnum() and not (entry.open_start or entry.open_end):
                    whole.setdefault(key, []).append(rule)
                else:
                    table.setdefault(key, []).append(entry)
            else:
                patterns.append(_pattern_of(rule.kind, rule.text))
                self._targets.append((rule, _compile(patterns[-1], Finder)))
        # A pattern anchored at the text's start or end ("^", "$", "\\A", "\\z", or a "^" in a class, to be
        # safe) may match a subject alone and not where it stands in subjects joined (_matched).
        self._anchored = any(re.search(r"[$^]|\\[Az]", pattern) for pattern in patterns)
        self._whole = {key: tuple(found) for key, found in whole.items()}
        self._tokens = WordStarts(set())
        for key, found in whole.items():
            patterns.append(_word_gate(key, []))
            self._targets.append(key)
        self._word_starts = WordStarts(set(table))
        if table:
            self._words = ahocorasick.Automaton()
            for key, entries in table.items():
                for before in self._word_starts.prefixes:
                    self._words.add_word(before + key, (len(key), tuple(entries), True))
                if any(entry.open_start for entry in entries):
                    self._words.add_word(key, (len(key), tuple(e for e in entries if e.open_start), False))
                patterns.append(_word_gate(key, entries))
                self._targets.append(None)
            self._words.make_automaton()
        if patterns:
            self._set = PatternSet(patterns, _SET_OPTIONS)

    def __len__(self) -> int:
        return len(self.rules)

    def hits(self, typed: str, norm: Normalized, room_id: str | None) -> list[_Hit]:
        """Rule hits for one room (its own rules and the global ones), in the typed text's coordinates.

        One RE2 set pass says which rules may match: most messages match none, and nothing else runs.
        Words match the normalised text only; phrases and patterns match it and the typed text in lower
        case too, so a pattern written with double letters ("sell+") still finds "selling"."""
        if self._set is None:
            return []
        lowered = typed.lower()
        subjects: list[tuple[Subject, Callable[[int, int], Span]]] = [(Subject(norm.text), norm.span)]
        if len(lowered) == len(typed) and lowered != norm.text:
            subjects.append((Subject(lowered), Span))
        found: list[_Hit] = []
        other_words = False
        for index in self._matched(subjects):
            target = self._targets[index]
            if target is None:
                other_words = True
            elif isinstance(target, str):
                found.extend(self._whole_word_hits(norm, target, room_id))
            elif target[0].room_id in (None, room_id):
                rule, finder = target
                for subject, to_span in subjects:
                    found.extend(_Hit(rule, to_span(start, end)) for start, end in finder.spans(subject))
        if other_words:
            found.extend(self._other_word_hits(norm, room_id))
        return found

    def _matched(self, subjects: list[tuple[Subject, Callable[[int, int], Span]]]) -> set[int]:
        """The set's patterns that match a subject, from one pass over the subjects joined by a line end.

        A match across the join only costs the exact checks after it; a pattern anchored at the start or
        end of a text needs each subject on its own.
        """
        which = self._set.which  # type: ignore[union-attr]
        if len(subjects) == 1:
            return set(which(subjects[0][0].data))
        if not self._anchored:
            return set(which(subjects[0][0].data + b"\n" + subjects[1][0].data))
        return {index for subject, _ in subjects for index in which(subject.data)}

    def _whole_word_hits(self, norm: Normalized, key: str, room_id: str | None) -> list[_Hit]:
        """Where a whole word stands as a word of its own, found by str.find in the view of the text
        (" " + text with every character but letters and digits a space: text index i is view index i + 1)."""
        rules = [rule for rule in self._whole[key] if rule.room_id in (None, room_id)]
        if not rules:
            return []
        padded = self._tokens.view(norm.text) + " "
        needle = f" {key} "
        hits: list[_Hit] = []
        at = padded.find(needle)
        while at >= 0:
            hits.extend(_Hit(rule, norm.span(at, at + len(key))) for rule in rules)
            at = padded.find(needle, at + len(key) + 1)
        return hits

    def _other_word_hits(self, norm: Normalized, room_id: str | None) -> list[_Hit]:
        """Words at a word start (wordshape.WordStarts), and anywhere for the words a rule opens with *."""
        text = norm.text
        hits: list[_Hit] = []
        for last, (length, entries, at_word_start) in self._words.iter(  # type: ignore[union-attr]
                self._word_starts.view(text)):
            start, end = last - length, last
            if not at_word_start and (start == 0 or not text[start - 1].isalnum()):
                continue  # at a word start: its word-start key reported it
            ends_word = end == len(text) or not text[end].isalnum()
            for entry in entries:
                if entry.rule.room_id in (None, room_id) and (ends_word or entry.open_end):
                    hits.append(_Hit(entry.rule, norm.span(start, end)))
        return hits


EMPTY_MATCHER = WatchedMatcher()

HELD = Notice("held_for_review", "Your message is waiting for a moderator because it includes words this "
              "community asked moderators to check first. It hasn't been lost, and you'll see it in the room "
              "if it's approved.")
BLOCKED = Notice("blocked", "Your message wasn't posted because it includes words this community asked people "
                 "not to use here. You're welcome to say it another way: what you have to say matters.")
MASKED = Notice("watched_masked", "Your message was shared, with a few words hidden that this community asked "
                "us to hide.")


def muted_notice(minutes: int) -> Notice:
    return Notice("muted", f"Your message wasn't posted because it includes words this community doesn't allow "
                  f"here, so posting in this room is paused for you for {minutes} minutes. You can still read, "
                  f"and the Get help button always works.")


_SEVERITY = {RuleAction.FLAG: Severity.LOW, RuleAction.MASK: Severity.LOW, RuleAction.HOLD: Severity.MEDIUM,
             RuleAction.BLOCK: Severity.MEDIUM, RuleAction.MUTE: Severity.MEDIUM}
_DECISION = {RuleAction.FLAG: Decision.ALLOW, RuleAction.MASK: Decision.ALLOW_MODIFIED,
             RuleAction.HOLD: Decision.HOLD, RuleAction.BLOCK: Decision.BLOCK, RuleAction.MUTE: Decision.BLOCK}


class Outcome(NamedTuple):
    """What the watched-word hits of one message decide, for the pipeline to combine with the rest."""

    decision: Decision
    masks: tuple[Span, ...] = ()
    notices: tuple[Notice, ...] = ()


@dataclass(frozen=True, slots=True)
class WatchedRules:
    """One room's view of the compiled rules: what the pipeline receives inside a RoomPolicy."""

    matcher: WatchedMatcher = field(default=EMPTY_MATCHER, compare=False)
    room_id: str | None = None

    def check(self, typed: str, norm: Normalized) -> tuple[Flag, ...]:
        """One flag per rule hit, spans in the typed text; hits inside an exception's match are dropped."""
        if not self.matcher.rules:
            return ()
        hits = self.matcher.hits(typed, norm, self.room_id)
        if not hits:
            return ()
        allowed = [h.span for h in hits if h.rule.action is RuleAction.ALLOW]
        spans: dict[str, set[Span]] = {}
        for rule, span in hits:
            if rule.action is RuleAction.ALLOW or allowed and any(a.start <= span.start and span.end <= a.end
                                                                  for a in allowed):
                continue
            spans.setdefault(rule.id, set()).add(span)
        return tuple(Flag(FlagKind.WATCHED, _SEVERITY[self.matcher.rules[rule_id].action], RULE_PREFIX + rule_id,
                          tuple(sorted(found, key=lambda s: s.start))) for rule_id, found in spans.items())

    def rule_of(self, flag: Flag) -> WatchedRule | None:
        return self.matcher.rules.get(flag.rule.removeprefix(RULE_PREFIX))

    def outcome(self, flags: tuple[Flag, ...], *, in_crisis: bool) -> Outcome:
        """The strictest action wins; someone who may be in crisis is held for a person, never muted."""
        rules = [(rule, flag) for flag in flags if (rule := self.rule_of(flag)) is not None]
        if not rules:
            return Outcome(Decision.ALLOW)
        strictest = max(rules, key=lambda pair: pair[0].action.rank)[0]
        action = RuleAction.HOLD if in_crisis and strictest.action.rank > RuleAction.HOLD.rank else strictest.action
        masks = tuple(s for rule, flag in rules if rule.action is RuleAction.MASK for s in flag.spans)
        notice = {RuleAction.MASK: MASKED, RuleAction.HOLD: HELD, RuleAction.BLOCK: BLOCKED}.get(action)
        if action is RuleAction.MUTE:
            notice = muted_notice(strictest.mute_minutes)
        return Outcome(_DECISION[action], masks, (notice,) if notice else ())


NO_WATCHED = WatchedRules()
