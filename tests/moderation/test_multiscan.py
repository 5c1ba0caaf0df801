"""The Hyperscan pass must never hide a place where a rule's exact regex matches, and its cache must be safe to lose."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from server.moderation import abuse, crisis
from server.moderation.multiscan import MultiScanner, StartScanner, _cache_dir
from server.moderation.phrases import _START, PhraseHit, PhraseMatcher
from server.moderation.twins import reversed_twin

MATCHERS = (crisis._matcher(), abuse._matcher())
GUARDS = re.compile(r"\(\?<!\[\\w'\]\w\)")  # the first-letter guards phrases.py puts in a regex
PHRASES = [(matcher, index) for matcher in MATCHERS for index in range(len(matcher.phrases))]
_AROUND = st.text(alphabet="ab 'é.-\n😀3\u0301", max_size=6)


@st.composite
def near_matches(draw: st.DrawFn) -> tuple[PhraseMatcher, str]:
    """A text holding an instance of a rule's regex (look-arounds aside), in surroundings that may spoil it."""
    matcher, index = draw(st.sampled_from(PHRASES))
    core = GUARDS.sub("", matcher.phrases[index].pattern.pattern).removeprefix(_START).removesuffix("(?![\\w'])")
    return matcher, draw(_AROUND) + draw(st.from_regex(core, fullmatch=True)) + draw(_AROUND)


@settings(max_examples=300, deadline=None)
@given(near_matches())
def test_the_scan_names_every_place_where_a_rule_matches(case: tuple[PhraseMatcher, str]) -> None:
    matcher, text = case
    starts = matcher.scanner.starts(text)
    for index, phrase in enumerate(matcher.phrases):
        for position in range(len(text) + 1):
            assert position in starts.get(index, ()) or not phrase.pattern.match(text, position), (phrase.rule, text)


@settings(max_examples=300, deadline=None)
@given(near_matches())
def test_find_gives_exactly_what_finditer_of_every_rule_gives(case: tuple[PhraseMatcher, str]) -> None:
    matcher, text = case
    assert matcher.find(text) == [
        PhraseHit(phrase.rule, phrase.severity, *match.span())
        for phrase in matcher.phrases for match in phrase.pattern.finditer(text)
    ]


@settings(max_examples=300, deadline=None)
@given(near_matches())
def test_guards_find_exactly_what_one_look_behind_at_the_start_finds(case: tuple[PhraseMatcher, str]) -> None:
    matcher, text = case
    for phrase in matcher.phrases:
        plain = re.compile(_START + GUARDS.sub("", phrase.pattern.pattern).removeprefix(_START))
        assert [m.span() for m in phrase.pattern.finditer(text)] == [m.span() for m in plain.finditer(text)]


def test_lone_surrogates_and_nul_are_scanned_without_error() -> None:
    for matcher in MATCHERS:
        assert matcher.find("\ud800 kill myself \x00") is not None


def test_a_compiled_lexicon_is_cached_and_a_corrupt_cache_is_rebuilt(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    lines = ["high test.rule: (end|ending) ~2 my life"]
    first = PhraseMatcher(lines)
    [cached] = list(_cache_dir().iterdir())
    assert first.find("i will end my life") and PhraseMatcher(lines).find("i will end my life")
    cached.write_bytes(b"not a database")
    assert PhraseMatcher(lines).find("ending it all, my life")
    assert cached.read_bytes() != b"not a database"


def test_an_unwritable_cache_still_compiles(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("a file where the cache directory would go")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    assert MultiScanner([b"abc", b"x+y"]).which("zzabc x y xxy") == [0, 1]
    assert MultiScanner([]).which("anything") == []


def test_starts_are_character_positions_in_text_with_characters_of_several_bytes() -> None:
    scanner = StartScanner([reversed_twin(re.compile(r"ab+")), reversed_twin(re.compile(r"(?<!\w)z"))])
    assert scanner.starts("éab😀abbb z\ud800ab") == {0: [1, 4, 11], 1: [9]}
    assert scanner.starts("nothing here") == {}
