"""Hyperscan twins of arbitrary Python regexes, derived from their parse tree.

MultiScanner (multiscan.py) can only prefilter with a pattern that matches wherever the exact regex
does. Hyperscan reads UTF-8 bytes, knows only ASCII classes and has no look-arounds, so the twin is
built by rules that only ever loosen: every character the regex reads becomes one unit that matches
its ASCII choices exactly and, when Python could also match a non-ASCII character there (\\w, \\d, a
negated class), the bytes of those characters or of any. Look-arounds, anchors and the word boundaries
Hyperscan would judge differently are dropped; ranges of counts of long pieces are left open. re.I is
taken as ASCII case: the four non-ASCII letters it equates with i, k or s are for the caller to check.
A reversed twin (reversed_twin) is the same read backwards, for finding where matches may start.
"""
from __future__ import annotations

import array
import re
from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import sre_constants as _constants
    import sre_parse as _parser
else:  # the same modules; the old names warn on import since Python 3.11
    from re import _constants, _parser

_ANY_CHARACTER = rb"[\x80-\xff]+"  # a non-ASCII character (or several), lone surrogates included
_MOST_LEADS = 8
_MOST_REPEATED = 2000  # bytes of twin
_WORD = frozenset(b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_")
# Under re.I these also match ASCII letters (i, k, s); twins ignore that, so a caller must not trust a
# twin on text that holds one (tests/moderation/test_twins.py checks the list).
CASE_TWINS_OF_ASCII = "\u0130\u0131\u212aſ"
_CATEGORIES = {
    _constants.CATEGORY_DIGIT: r"\d", _constants.CATEGORY_NOT_DIGIT: r"\D",
    _constants.CATEGORY_SPACE: r"\s", _constants.CATEGORY_NOT_SPACE: r"\S",
    _constants.CATEGORY_WORD: r"\w", _constants.CATEGORY_NOT_WORD: r"\W",
}
_CHARACTER_OPS = (_constants.LITERAL, _constants.NOT_LITERAL, _constants.IN, _constants.ANY)
_REPEATS = (_constants.MAX_REPEAT, _constants.MIN_REPEAT, _constants.POSSESSIVE_REPEAT)
_ZERO_WIDTH = (_constants.AT, _constants.ASSERT, _constants.ASSERT_NOT)


def _class(op: Any, av: Any) -> str:
    """A Python character class for one character-reading node."""
    if op is _constants.ANY:
        return "."  # compiled with the pattern's flags: re.S decides about line ends
    if op is _constants.LITERAL:
        return r"[\U%08x]" % av
    if op is _constants.NOT_LITERAL:
        return r"[^\U%08x]" % av
    parts = []
    for item, value in av:
        if item is _constants.NEGATE:
            parts.append("^")
        elif item is _constants.LITERAL:
            parts.append(r"\U%08x" % value)
        elif item is _constants.RANGE:
            parts.append(r"\U%08x-\U%08x" % value)
        else:
            parts.append(_CATEGORIES[value])
    return "[%s]" % "".join(parts)


@cache
def _beyond_ascii_in(category: str) -> str:
    """The non-ASCII characters of \\d or \\s (a few hundred), from one scan over all of Unicode."""
    everything = array.array("I", range(0x80, 0x110000)).tobytes().decode("utf-32-le", "surrogatepass")
    return "".join(re.findall(category, everything))


def _beyond_ascii(op: Any, av: Any) -> str | None:
    """The non-ASCII characters a node may match (case aside), or None for too many to list (\\w, a negation)."""
    if op in (_constants.ANY, _constants.NOT_LITERAL) or op is _constants.LITERAL and av >= 128:
        return None
    listed = ""
    for item, value in av if op is _constants.IN else ():
        if item is _constants.CATEGORY and value in (_constants.CATEGORY_DIGIT, _constants.CATEGORY_SPACE):
            listed += _beyond_ascii_in(_CATEGORIES[value])
        elif item in (_constants.NEGATE, _constants.CATEGORY):
            return None
        elif (value[1] if item is _constants.RANGE else value) >= 128:
            return None
    return listed


def _utf8(characters: str) -> list[bytes]:
    """Alternatives matching these characters in UTF-8: per leading bytes, a class of last bytes. Past a few
    leads, any character with the same first byte (first three of four: not emoji), for a smaller automaton."""
    encoded = sorted({character.encode("utf-8", "surrogatepass") for character in characters})
    if len({e[:-1] for e in encoded}) <= _MOST_LEADS:
        last_bytes: dict[bytes, list[int]] = {}
        for e in encoded:
            last_bytes.setdefault(e[:-1], []).append(e[-1])
        return [_escaped(lead) + _ranges(bytes(last)) for lead, last in last_bytes.items()]
    leads = sorted({(e[:3], 1) if len(e) == 4 else (e[:1], len(e) - 1) for e in encoded})
    return [_escaped(lead) + rb"[\x80-\xbf]{%d}" % continuations for lead, continuations in leads]


def _escaped(data: bytes) -> bytes:
    return b"".join(rb"\x%02x" % b for b in data)


def _ranges(ascii_bytes: bytes) -> bytes:
    """A byte class such as [\\x30-\\x39\\x41]: runs of consecutive bytes as ranges."""
    runs: list[list[int]] = []
    for b in ascii_bytes:
        if runs and runs[-1][1] == b - 1:
            runs[-1][1] = b
        else:
            runs.append([b, b])
    pieces = [_escaped(bytes([low])) + (b"-" + _escaped(bytes([high])) if high > low else b"") for low, high in runs]
    return b"[%s]" % b"".join(pieces)


def _character(op: Any, av: Any, flags: int) -> tuple[bytes, str | None]:
    """The ASCII bytes a node matches and its non-ASCII characters (_beyond_ascii)."""
    return _ascii_bytes(_class(op, av), flags & (re.IGNORECASE | re.ASCII | re.DOTALL)), _beyond_ascii(op, av)


@cache
def _ascii_bytes(character_class: str, flags: int) -> bytes:
    """The ASCII characters a class matches, asked of Python itself."""
    python = re.compile(character_class, flags)
    return bytes(b for b in range(128) if python.fullmatch(chr(b)))


def _unit(op: Any, av: Any, flags: int) -> bytes:
    ascii_bytes, beyond = _character(op, av, flags)
    alternatives = [_ranges(ascii_bytes)] if ascii_bytes else []
    alternatives += [_ANY_CHARACTER] if beyond is None else _utf8(beyond)
    return b"(?:%s)" % b"|".join(alternatives)


def _word_edge(data: list[Any], flags: int, last: bool) -> bool:
    """Whether every match of the sequence is non-empty and starts (ends) with an ASCII word character,
    so that a \\b next to it holds for Hyperscan whenever it holds for Python."""
    consuming = [(op, av) for op, av in data if op not in _ZERO_WIDTH]
    if not consuming:
        return False
    op, av = consuming[-1] if last else consuming[0]
    if op in _CHARACTER_OPS:
        ascii_bytes, beyond = _character(op, av, flags)
        return beyond == "" and bool(ascii_bytes) and set(ascii_bytes) <= _WORD
    if op is _constants.SUBPATTERN:
        return _word_edge(av[3].data, (flags | av[1]) & ~av[2], last)
    if op is _constants.ATOMIC_GROUP:
        return _word_edge(av.data, flags, last)
    if op is _constants.BRANCH:
        return all(_word_edge(branch.data, flags, last) for branch in av[1])
    if op in _REPEATS:
        return av[0] >= 1 and _word_edge(av[2].data, flags, last)
    return False


def _sequence(data: list[Any], flags: int, backwards: bool = False) -> bytes:
    """The twin of a sequence; `backwards` lists its pieces in reverse order (see reversed_twin), each
    character still as its UTF-8 bytes in their own order."""
    out = []
    for index, (op, av) in enumerate(data):
        if op in _CHARACTER_OPS:
            out.append(_unit(op, av, flags))
        elif op is _constants.SUBPATTERN:
            out.append(b"(?:%s)" % _sequence(av[3].data, (flags | av[1]) & ~av[2], backwards))
        elif op is _constants.ATOMIC_GROUP:
            out.append(b"(?:%s)" % _sequence(av.data, flags, backwards))
        elif op is _constants.BRANCH:
            out.append(b"(?:%s)" % b"|".join(_sequence(branch.data, flags, backwards) for branch in av[1]))
        elif op in _REPEATS:
            low, high, body = av
            twin = _sequence(body.data, flags, backwards)
            # Hyperscan copies the body per count: past a size, the range is left open (looser, smaller).
            bound = b"%d" % high if high in (low, 1) or len(twin) * high <= _MOST_REPEATED else b""
            out.append(b"(?:%s){%d,%s}" % (twin, low, bound))
        elif op is _constants.AT and av is _constants.AT_BOUNDARY and (
            _word_edge(data[index + 1:], flags, last=False) or _word_edge(data[:index], flags, last=True)
        ):
            out.append(rb"\b")
        elif op not in _ZERO_WIDTH:
            raise ValueError(f"no Hyperscan twin for {op}")
    return b"".join(reversed(out) if backwards else out)


def _trimmed(data: list[Any], state: Any, last: bool) -> tuple[list[Any], bool]:
    """The sequence without what a match need not hold at its start (end): optional pieces, repeats past
    the fewest, and then the assertions outside them. A text with a match of the whole has one of the
    rest, which Hyperscan finds with less work. Also says whether anything was taken off."""
    consuming = [index for index, (op, _) in enumerate(data) if op not in _ZERO_WIDTH]
    if not consuming:
        return list(data), False
    index = consuming[-1 if last else 0]
    rest = list(data[:index] if last else data[index + 1:])
    if _parser.SubPattern(state, [data[index]]).getwidth()[0] == 0:
        return _trimmed(rest, state, last)[0], True
    op, av = data[index]
    item = _trimmed_piece(op, av, state, last)
    if item is None:
        return list(data), False
    return (rest + [item] if last else [item] + rest), True


def _trimmed_piece(op: Any, av: Any, state: Any, last: bool) -> tuple[Any, Any] | None:
    """The piece at a sequence's edge, trimmed (_trimmed), or None when nothing comes off."""
    if op in _REPEATS:
        return (op, (av[0], av[0], av[2])) if av[1] != av[0] else None
    if op is _constants.SUBPATTERN:
        inner, changed = _trimmed(av[3].data, state, last)
        return (op, (*av[:3], _parser.SubPattern(state, inner))) if changed else None
    if op is _constants.BRANCH:
        branches = [_trimmed(branch.data, state, last) for branch in av[1]]
        if any(changed for _, changed in branches):
            return (op, (None, [_parser.SubPattern(state, branch) for branch, _ in branches]))
    return None


def regex_twin(pattern: re.Pattern[str] | str, flags: int = 0) -> bytes:
    """A Hyperscan pattern on UTF-8 bytes that matches wherever the Python regex matches, and perhaps more."""
    source, flags = (pattern.pattern, pattern.flags) if isinstance(pattern, re.Pattern) else (pattern, flags)
    parsed = _parser.parse(source, flags)
    data = _trimmed(_trimmed(parsed.data, parsed.state, last=False)[0], parsed.state, last=True)[0]
    return _sequence(data, flags)


def reversed_twin(pattern: re.Pattern[str]) -> bytes:
    """A Hyperscan pattern that, run over the text reversed character by character (then UTF-8 encoded),
    ends wherever the Python regex may start a match in the text: its twin read backwards.

    Only the end of the regex is trimmed (see _trimmed), so every match of the regex, as the span it
    matches, is the start of a match of the twin; Hyperscan reports every end of a match, and so every
    place where the regex may start.
    """
    parsed = _parser.parse(pattern.pattern, pattern.flags)
    return _sequence(_trimmed(parsed.data, parsed.state, last=True)[0], pattern.flags, backwards=True)
