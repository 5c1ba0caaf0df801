"""Street addresses: strong anchors, then the whole address block around them.

An address is rarely one pattern: "20789 Allika 46  Suite 501  Riisa  Estonia 62488" has a house
number, a street, a unit, a town and a postcode. We find anchors that are almost never anything
else (a number next to a street word, a unit, a postcode after a place name, "the corner of", "I live
at 12 ...") and then grow each one over its neighbouring address-like words: numbers, capitalised
names and street particles. Ordinary lower-case words, sentence ends, months and weekdays stop the
growth, so "I'm 42", "at 3pm", "on 12 May" or "in 2019" never start or join an address.
"""
from __future__ import annotations

import re
from collections.abc import Container
from functools import cache

import ahocorasick

from .twins import regex_twin
from .verdict import Span
from .wordshape import word_shape

_SUFFIXES = (
    "strasse straße straat stræde stræti straeti str katu kuja tie vej vägen gatan gata gate veien vegen stien "
    "braut laan weg plein platz gasse gade allee damm torg"
).split()
# A word ending in a street suffix ("Populierenstraat"), checked at the word's end in linear time.
_SUFFIX_GROUPS = [{s for s in _SUFFIXES if len(s) == n} for n in {len(s) for s in _SUFFIXES}]
_SUFFIXED = r"[^\W\d_]*(?![^\W\d_])(?:%s)" % "|".join("(?<=%s)" % "|".join(sorted(group)) for group in _SUFFIX_GROUPS)
_UNIT = r"(?:apt|apartment|suite|ste|unit|flat|postbox|po box|p\.o\. box|psc|cmr)"
# The same words with the suffix spelled out: a regex that backtracks in Python, but one Hyperscan can take.
_SUFFIX_SPELLED = r"[^\W\d_]*(?:%s)" % "|".join(_SUFFIXES)


def _anchor(suffixed: str) -> str:
    """Anchors with `suffixed` for words ending in a street suffix."""
    street = (
        r"(?:street|st|avenue|ave|road|rd|lane|ln|drive|dr|boulevard|blvd|court|ct|way|place|pl|terrace|close|"
        r"crescent|square|sq|highway|hwy|parkway|pkwy|circle|cir|trail|row|via|viale|piazza|plaza|rua|rúa|calle|"
        r"avda|avenida|rue|ul|ulica|utca|út|útja|tér|" + suffixed + ")"
    )
    # Street words that come first ("Rue de Rivoli 5"); "Dr." and "St." before a name are people and saints.
    street_first = (
        r"(?:avenue|boulevard|via|viale|piazza|plaza|rua|rúa|calle|avda|avenida|rue|ul|ulica|utca|c/|" + suffixed + ")"
    )
    return (
        r"\b\d{1,6}[a-z]?\s+(?:[\w'.\-]+\s+){0,4}?" + street + r"\b\.?(?:\s+\d{1,5}[a-z]?\b)?"
        r"|\b" + street_first + r"\.?\s+(?:[^\W\d_][\w'.\-]*\s+){0,3}\d{1,5}[a-z]?\b"
        r"|\b" + _UNIT + r"\.?\s*#?\d{1,6}[a-z]?\b"
        r"|\b(?:apo|fpo|dpo)\s+(?:aa|ae|ap)\s+\d{5}\b"
        r"|\bthe corner of\b"
    )


_ANCHOR = re.compile(_anchor(_SUFFIXED), re.I)
# Case matters here: a capitalised place then a five-digit postcode, a US state then a ZIP, a UK postcode.
_POSTCODE = re.compile(
    r"\b[A-Z][^\W\d_]+,?[ \t]+\d{5}(?:-\d{4})?\b|\b[A-Z]{2},?[ \t]+\d{5}(?:-\d{4})?\b"
    r"|\b[A-Z]{1,2}\d[A-Z\d]?[ \t]?\d[A-Z]{2}\b"
)
# After these words, a block holding a number and a name is an address even without a street word.
_CUE = re.compile(
    r"\b(?:(?:live[sd]?|living|staying|located|based) (?:at|on)|address(?: is)?:?|(?:send|sent|post|mail) "
    r"(?:it |this |them )?to|drops? (?:you|me) off at|meet (?:me |us )?at|moved to|return to)(?=[ \t]+\S)",
    re.I,
)
_PIECE = re.compile(r"[^\s,>;]+")
_GAP = re.compile(r"[\s,>;]*")
_PARTICLES = frozenset(
    "ul ul. u. út útja tér kapu gate rue des de do da del la le du di van von der den st. str. c/ and nº no. no".split()
)
_NOT_PLACES = frozenset(
    "i i'm i'll i've i'd monday tuesday wednesday thursday friday saturday sunday january february march april may "
    "june july august september october november december jan feb mar apr jun jul aug sep sept oct nov dec "
    "mobile desk fax office phone tel email".split()
)
_NUMBER = re.compile(r"#?\d{1,6}[a-z]?(?:-\d{1,4})?\.?", re.I)
_REACH = 120
_MOST = 10


def _fits(piece: str) -> bool:
    """Whether one whitespace-separated piece can be part of an address block."""
    if piece.lower() in _PARTICLES:
        return True
    if ":" in piece or piece.lower().rstrip(".") in _NOT_PLACES:
        return False
    return bool(_NUMBER.fullmatch(piece)) or (piece[0].isupper() and piece[0].isalpha())


def _ends_sentence(piece: str) -> bool:
    return piece.endswith(".") and piece.lower() not in _PARTICLES and len(piece.rstrip(".")) > 3


def _gap_end(text: str, position: int) -> int:
    """Where the separators (spaces, commas, ...) starting at position end; the pattern also matches nothing."""
    gap = _GAP.match(text, position)
    return gap.end() if gap else position


def _grow_right(text: str, end: int) -> int:
    """Grow over address pieces; a trailing "and" is not part of the address ("42 Elm St and I ...")."""
    position = kept = end
    taken = 0
    while taken < _MOST:
        gap_end = _gap_end(text, position)
        piece = _PIECE.match(text, gap_end) if gap_end - position <= 6 else None
        if piece is None or (gap_end == position and position != end) or not _fits(piece.group()):
            break
        position, taken = piece.end(), taken + 1
        if piece.group().lower() != "and":
            kept = position
        if _ends_sentence(piece.group()):
            break
    return kept


def _grow_left(text: str, start: int) -> int:
    window = text[max(0, start - _REACH):start]
    offset = start - len(window)
    pieces = list(_PIECE.finditer(window))
    position = start
    for piece in reversed(pieces[-_MOST:]):
        between = text[offset + piece.end():position]
        if len(between) > 6 or between.strip(" \t\n,>;") or not _fits(piece.group()) or _ends_sentence(piece.group()):
            break
        position = offset + piece.start()
    return position


def _cued(text: str, match: re.Match[str]) -> Span | None:
    """The block right after a cue, if it holds a number and a capitalised name."""
    start = _gap_end(text, match.end())
    end = _grow_right(text, start)
    block = text[start:end]
    if any(c.isdigit() for c in block) and any(c.isupper() for c in block):
        return Span(start, end)
    return None


_ANCHOR_WORDS = (
    "street st avenue ave road rd lane ln drive dr boulevard blvd court ct way place pl terrace close crescent square "
    "sq highway hwy parkway pkwy circle cir trail row via viale piazza plaza rua rúa calle avda avenida rue ul ulica "
    "utca út útja tér c/ apt apartment suite ste unit flat postbox box psc cmr apo fpo dpo corner"
).split()
_CUE_WORDS = (
    "live lives lived living staying located based address send sent post mail drop drops meet moved return"
).split()
_POSTCODE_HINT = re.compile(r"\d{5}|\d[A-Z]{2}\b")


@cache
def _keywords() -> ahocorasick.Automaton:
    """Every word an anchor or cue needs, so most messages skip the address regexes entirely."""
    automaton = ahocorasick.Automaton()
    for word in _ANCHOR_WORDS + _CUE_WORDS:
        automaton.add_word(word, (word, True))
    for suffix in _SUFFIXES:
        automaton.add_word(suffix, (suffix, False))
    automaton.make_automaton()
    return automaton


def _may_hold_address(text: str) -> bool:
    lowered = text.lower()
    for last, (word, whole) in _keywords().iter(lowered):
        after = last + 1
        if after < len(lowered) and lowered[after].isalpha():
            continue
        if not whole or last < len(word) or not lowered[last - len(word)].isalnum():
            return True
    return _POSTCODE_HINT.search(text) is not None


@cache
def _shaped_keywords() -> ahocorasick.Automaton:
    """The same words as they stand in a word shape: alone (street) or at a word's end (suffixes)."""
    automaton = ahocorasick.Automaton()
    for word, kind in [(w, "anchor") for w in _ANCHOR_WORDS if w.isascii()] + [(w, "cue") for w in _CUE_WORDS]:
        for after in " #":
            automaton.add_word(f" {(word_shape(word) or '')[1:-1]}{after}", kind)  # ASCII: always shaped
    for suffix in filter(str.isascii, _SUFFIXES):
        for after in " #":
            automaton.add_word(f"{suffix}{after}", "anchor")
    automaton.make_automaton()
    return automaton


def _worth_looking(text: str, shape: str | None) -> tuple[bool, bool, bool]:
    """Whether street anchors, postcodes and cues can occur: per kind on the word shape,
    one combined check on text without one."""
    if shape is None:
        may = _may_hold_address(text)
        return may, may, may
    kinds = {kind for _, kind in _shaped_keywords().iter(shape)}
    return "anchor" in kinds, _POSTCODE_HINT.search(text) is not None, "cue" in kinds


def address_twins() -> dict[str, bytes]:
    """Hyperscan twins of the address regexes by name, for the caller's one scan of a message (multiscan.py)."""
    return {
        "anchor": regex_twin(_anchor(_SUFFIX_SPELLED), re.I), "postcode": regex_twin(_POSTCODE), "cue": regex_twin(_CUE)
    }


def find_addresses(text: str, shape: str | None, possible: Container[str]) -> list[Span]:
    """Address blocks in the original text (only called when the text holds a digit); shape: word_shape(text);
    possible: the names of the regexes whose twins matched (address_twins), as the others cannot match."""
    if "anchor" not in possible and "postcode" not in possible and "cue" not in possible:
        return []
    anchors, postcodes, cues = _worth_looking(text, shape)
    spans = []
    for match in _ANCHOR.finditer(text) if anchors and "anchor" in possible else ():
        if match.group().lower() == "the corner of":
            spans.append(Span(match.start(), _grow_right(text, match.end())))
        else:
            spans.append(Span(_grow_left(text, match.start()), _grow_right(text, match.end())))
    for match in _POSTCODE.finditer(text) if postcodes and "postcode" in possible else ():
        spans.append(Span(_grow_left(text, match.start()), match.end()))
    for match in _CUE.finditer(text) if cues and "cue" in possible else ():
        if span := _cued(text, match):
            spans.append(span)
    return spans
