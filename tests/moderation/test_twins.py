"""Hyperscan twins (twins.py) match wherever their Python regex does, so the contact gate never hides a detail."""
from __future__ import annotations

import array
import re

import hyperscan
from hypothesis import given
from hypothesis import strategies as st

from server.moderation import addresses, confidentiality
from server.moderation.confidentiality import check_contacts
from server.moderation.multiscan import StartScanner
from server.moderation.twins import CASE_TWINS_OF_ASCII, regex_twin, reversed_twin

EVERYTHING = array.array("I", range(0x80, 0x110000)).tobytes().decode("utf-32-le", "surrogatepass")
DETECTORS = {  # whether each detector finds something, as the gate's names say
    "email": confidentiality._EMAIL.search, "handle": confidentiality._handles,
    "spelled": confidentiality._EMAIL_SPELLED.search, "url": confidentiality._URL.search,
    "platform": confidentiality._OFF_PLATFORM.search, "ip": confidentiality._IP.search,
    "phone": confidentiality._PHONE_CANDIDATE.search, "anchor": addresses._ANCHOR.search,
    "postcode": addresses._POSTCODE.search, "cue": addresses._CUE.search,
}
confidentiality._gate()  # built once (about half a second), before the timed examples
PIECES = (
    "add me on ", "snap", "insta", "ig", ": ", "@", "jo", "Jo_1", ".", "com", "co", " dot ", " at ", "(at)", "12",
    "345", "0412 345 678", "+44", " ", "Main", " St", "strasse", "Populierenstraat ", "Rue de ", "apt ", "#4",
    "Berlin ", "10115", "SW1A 1AA", "live at ", "the corner of ", "\u212a", "ſ", "\u0130", "\u00a0", "\u0967\u0968",
    "😀", "\u2003", "http://", "www.", "-", "/", "(", ")", "\n", "x", "_", "é", "ß", "my snapchat is ", "dm me @",
    "1.2.3.4",
)


def _matches(twin: bytes, text: str) -> bool:
    database = hyperscan.Database()
    database.compile(expressions=[twin], ids=[0], elements=1, flags=[hyperscan.HS_FLAG_SINGLEMATCH])
    found: list[int] = []
    database.scan(text.encode("utf-8", "surrogatepass"), match_event_handler=lambda *a: found.append(1))
    return bool(found)


def test_the_letters_re_i_equates_with_ascii_ones_are_listed() -> None:
    assert sorted(re.findall("[a-z]", EVERYTHING, re.I)) == sorted(CASE_TWINS_OF_ASCII)


def test_a_unit_matches_every_non_ascii_character_python_does() -> None:
    for source in (r"\d", r"\s", r"[\d \t().\-]", r"(?i:[a-z0-9_.])", r"(?i:ß)", r"[^\W\d_]", "ß"):
        database = hyperscan.Database()
        database.compile(expressions=[b"^" + regex_twin(source) + b"$"], ids=[0], elements=1)
        for character in set(re.findall(source, EVERYTHING)) - set(CASE_TWINS_OF_ASCII):
            found: list[int] = []
            database.scan(character.encode("utf-8", "surrogatepass"), match_event_handler=lambda *a: found.append(1))
            assert found, (source, hex(ord(character)))


def test_word_boundaries_are_kept_only_where_hyperscan_agrees() -> None:
    assert regex_twin(r"\bdot\b") == rb"\b(?:[\x64])(?:[\x6f])(?:[\x74])\b"
    assert b"\\b" not in regex_twin(r"\b\w")  # a non-ASCII letter is a word character Hyperscan cannot see
    assert not _matches(regex_twin(r"\bdot\b"), "dotty")
    assert _matches(regex_twin(r"\bdot\b"), "é dot é")


@given(st.lists(st.sampled_from(PIECES), max_size=12).map("".join))
def test_the_gate_names_every_detector_that_matches(text: str) -> None:
    possible = confidentiality._gate().possible(text)
    assert {name for name, finds in DETECTORS.items() if finds(text)} <= possible


def test_text_that_is_not_unicode_is_scanned() -> None:
    assert check_contacts("\ud800 call 0412 345 678 \x00 or jo@example.com", "en-AU")


def test_letters_re_i_equates_with_ascii_ones_skip_the_gate() -> None:
    assert check_contacts("add me on \u212aik: jo_99", "en")  # the Kelvin sign K


START_CASES = (  # regexes without re.I (see CASE_TWINS_OF_ASCII): look-arounds, classes, repeats, choices
    r"(?<![\w'])(?:ab|a\W+c)(?![\w'])", r"x(?:\W+[\w']+){0,3}\W+y", r"\d{2,}[-.]?\w", r"(?<=é)b+|😀\s*z",
    r"[^\W_]\.(?:[a-z]{2}|\S)", r"\bdot\b",
)


TEXT_PIECES = ("a", "b", "c", "x", "y", "z", " ", "'", ".", "-", "1", "22", "é", "😀", "\u0301", "_", "\n", "dot")


@given(st.sampled_from(START_CASES), st.lists(st.sampled_from(TEXT_PIECES), max_size=14))
def test_a_reversed_twin_names_every_place_where_its_regex_starts_a_match(source: str, pieces: list[str]) -> None:
    regex, text = re.compile(source), "".join(pieces)
    starts = StartScanner([reversed_twin(regex)]).starts(text).get(0, [])
    assert starts == sorted(starts)
    assert all(position in starts for position in range(len(text) + 1) if regex.match(text, position))
