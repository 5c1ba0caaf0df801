"""Normalise text for matching only: fold look-alikes, leetspeak, repeats and spacing.

The result is never shown to anyone. Every normalised character keeps the range of original
characters it came from, so masks and highlights land on what the person typed.
"""
from __future__ import annotations

import re
import string
import unicodedata
from bisect import bisect_right
from collections.abc import Iterator, Mapping, Sequence
from functools import cache, lru_cache

from confusable_homoglyphs.confusables import confusables_data

from .multiscan import EndScanner, MultiScanner
from .verdict import Span
from .wordshape import ASCII, AsciiTable

_ASCII_FOLD = AsciiTable(
    {c: " " for c in [*range(0x20), 0x7F]} | {ord(c): c.lower() for c in string.ascii_uppercase}
)
_ASCII_PLAIN = ASCII - {"`"}  # the ASCII characters that fold by _ASCII_FOLD alone
# What stands in Normalized.plain for a character beyond ASCII that is no letter or digit: a control
# character, which folding turns into a space, so none is left in folded text to be mistaken for one.
SYMBOL = "\x1a"
_BEYOND_ASCII = re.compile(r"[^\x00-\x7f]")
# Curly quotes, the commonest non-ASCII characters in chat: replaced before folding (normalize).
_CURLY_QUOTES = {"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'}
_QUOTES = {**_CURLY_QUOTES, "\u02bc": "'", "\u2032": "'", "`": "'"}
# Letters split by at most two separators, three or more in a row ("s.h.i.t", "k i l l").
_SPACED = re.compile(r"(?<![^\W_])(?:([^\W_])\1*[ .\-_*,/]{1,2}){2,}([^\W_])\2*(?![^\W_])")
# What every _SPACED match holds (its last two letters and the separator before them), without the
# look-behind that makes _SPACED try every position: a cheap test that most messages fail.
_SPACED_HINT = re.compile(r"[ .\-_*,/]([^\W_])\1*[ .\-_*,/]{1,2}([^\W_])\2*(?![^\W_])")
# _SPACED again over ASCII text's bytes with every separator a space (_AS_SPACES).
_AS_SPACES = bytes.maketrans(b".-_*,/", b"      ")
_SPACED_BYTES = re.compile(rb"(?<![^\W_])(?:([^\W_])\1* {1,2}){2,}([^\W_])\2*(?![^\W_])")
_LETTERS = re.compile(r"[^ .\-_*,/]+")  # what a spaced run keeps
_SEPARATORS = re.compile(r"[ .\-_*,/]{1,2}")
_ONE_LETTER_WORDS = ("a", "i", "u")
_LEET_CHARS = "013457@$!|"
# A leet token: letters and digits, with ! | * only between them ("sh!t", "f*ck" but not "hi!").
_LEET_TOKEN = re.compile(r"(?<![\w@$!|*])(?=[\w@$!|*]*[013457@$!|])[a-z0-9@$]+(?:[!|*]+[a-z0-9@$]+)*")
# From a leet character to the end of its run of characters a leet token may stand in; the part of the
# run before a position, read on the reversed text.
_LEET_ONWARD = re.compile(r"[013457@$!|][\w@$!|*]*")
_RUN_BEFORE = re.compile(r"[\w@$!|*]*")
_NOT_LETTERS = "0123456789@$!|*"  # what a leet token holds besides letters
_LEET = str.maketrans("013457@$!|", "oieastasii")
# A number with a unit is a measurement, not leetspeak ("20mg", "45s", "3am").
_MEASURE = re.compile(r"\d+(?:mg|g|kg|ml|l|am|pm|st|nd|rd|th|s|k|m|h|hr|hrs|min|mins|yo|lb|lbs|km|mi|x|ft|cm|mm)")
_REPEAT = re.compile(r"([^\W\d_])\1+")


class _Source:
    """Original ranges per character, built only when a span is asked for (most messages never need it).

    Where letters repeated before they were collapsed comes as `repeats` (spans) or, for ASCII text, as
    `dropped` (where each letter collapsing dropped stood, in order), from which the spans (and runs) are
    worked out on first use.
    """

    __slots__ = ("starts", "ends", "dropped", "_repeats", "_runs", "_drops", "built", "collapsed")

    def __init__(self, starts: Sequence[int], ends: Sequence[int], repeats: Sequence[tuple[int, int]] = (),
                 dropped: list[int] | None = None) -> None:
        self.starts, self.ends = starts, ends
        self.dropped = dropped or []
        self._repeats: list[tuple[int, int]] | None = None if self.dropped else list(repeats)
        self._runs: dict[int, int] | None = None
        self._drops: list[int] | None = None
        self.built = not self.dropped and not repeats
        self.collapsed: list[int] = []  # per repeat, where its one letter stands in the collapsed text

    @property
    def repeats(self) -> list[tuple[int, int]]:
        if self._repeats is None:
            self._repeats = _dropped_repeats(self.dropped)
        return self._repeats

    @property
    def runs(self) -> dict[int, int]:
        if self._runs is None:
            self._runs = _runs(self.repeats)
        return self._runs

    @property
    def drops(self) -> list[int]:
        """Per letter dropped, where it stood less the number dropped before it: collapsed character c then
        stands at c plus how many of these are at most c, and its run ends at c plus how many are at most
        c + 1 (two bisections a span end)."""
        if self._drops is None:
            self._drops = [position - before for before, position in enumerate(self.dropped)]
        return self._drops

    def index(self, index: int) -> tuple[int, int]:
        """The first and last character before collapsing behind collapsed character index, without building
        the whole map: a span needs only its two ends."""
        if self.dropped:
            drops = self.drops
            return index + bisect_right(drops, index), index + bisect_right(drops, index + 1)
        if not self.collapsed:
            self.collapsed = list(self.runs)  # runs are keyed by where each repeat's letter stands
        which = bisect_right(self.collapsed, index) - 1
        if which < 0:
            return index, index
        start, end = self.repeats[which]
        if self.collapsed[which] == index:
            return start, end - 1
        return index + end - 1 - self.collapsed[which], index + end - 1 - self.collapsed[which]

    def repeated(self, length: int) -> bytes:
        """Per collapsed character, how many more times it was typed in a row, at most 2 (typed three times
        is stretching, however long it goes on)."""
        if self.dropped:
            return _repeated(self.drops, length)
        if not self._repeats:
            return bytes(length)
        repeated = bytearray(length)
        for index, run in self.runs.items():
            repeated[index] = min(run - 1, 2)
        return bytes(repeated)

    def build(self) -> None:
        starts: list[int] = []
        ends: list[int] = []
        position = 0
        for start, end in self.repeats:
            starts.extend(self.starts[position:start + 1])
            ends.extend(self.ends[position:start])
            ends.append(self.ends[end - 1])
            position = end
        starts.extend(self.starts[position:])
        ends.extend(self.ends[position:])
        self.starts, self.ends, self.built = starts, ends, True


class Normalized:
    """Folded text; each character remembers the original range it came from and how often it repeated.

    `plain` is what the built-in matchers read: the text itself, or, when every letter and digit in it is
    ASCII, the text with each other character (an emoji, a dash, a symbol) as SYMBOL, which every matcher
    reads as it reads them (not a letter, digit, space or punctuation any pattern names). So a message
    with an emoji takes the ASCII paths of the normaliser and the matchers. `text`, with the characters
    themselves (a watched word may be an emoji), is put back together only when asked for.

    A plain class, not a frozen dataclass: one is built per message, and a frozen dataclass's __init__
    (an object.__setattr__ per field) costs about a microsecond of the pipeline's few dozen.
    """

    __slots__ = ("plain", "_source", "_folded", "_text")

    def __init__(self, plain: str, source: _Source, folded: str | None = None) -> None:
        self.plain = plain
        self._source = source
        self._folded = folded  # the folded text before its symbols stood in, when they did
        self._text: str | None = None

    @property
    def text(self) -> str:
        if self._folded is None:
            return self.plain
        if self._text is None:
            self._text = _with_symbols(self.plain, self._folded)
        return self._text

    def __repr__(self) -> str:
        return f"Normalized(text={self.text!r})"

    @property
    def runs(self) -> Mapping[int, int]:
        """Index -> how many times that letter was typed in a row, for letters typed more than once."""
        return self._source.runs

    @property
    def starts(self) -> Sequence[int]:
        if not self._source.built:
            self._source.build()
        return self._source.starts

    @property
    def ends(self) -> Sequence[int]:
        if not self._source.built:
            self._source.build()
        return self._source.ends

    def span(self, start: int, end: int) -> Span:
        """The original characters behind normalised characters [start, end)."""
        if self._source.built:
            return Span(self.starts[start], self.ends[end - 1])
        first, _ = self._source.index(start)
        _, last = self._source.index(end - 1)
        return Span(self._source.starts[first], self._source.ends[last])

    def repeated(self) -> bytes:
        """Per character, how many more times it was typed in a row (0, 1, or 2 for two or more): slices of it
        are cheap keys for what a word typed so means."""
        return self._source.repeated(len(self.plain))

    def run(self, index: int) -> int:
        """How many times the letter at index was typed in a row ("shiiit" -> 3 for the i)."""
        return self.runs.get(index, 1)


def _confusable_table() -> dict[str, str]:
    """Non-ASCII look-alikes of ASCII letters and digits, from the Unicode confusables data."""
    table: dict[str, str] = {}
    for char, homoglyphs in confusables_data.items():
        if len(char) != 1 or char.isascii():
            continue
        targets = [h["c"].casefold() for h in homoglyphs if len(h["c"]) == 1 and h["c"].isascii()]
        targets = [t for t in targets if t.isalnum()]
        if targets:
            table[char] = min(targets, key=str.isdigit)
    return table


_CONFUSABLE = _confusable_table()


def _fold_once(char: str) -> str:
    category = unicodedata.category(char)
    if category in ("Cf", "Mn", "Me"):
        return ""
    if category in ("Cc", "Zs", "Zl", "Zp"):
        return " "
    out = []
    for part in unicodedata.normalize("NFKD", char):
        if unicodedata.combining(part) or unicodedata.category(part) in ("Mn", "Me", "Cf"):
            continue
        for folded in part.casefold():
            folded = _QUOTES.get(folded, folded)
            out.append(folded if folded.isascii() else _CONFUSABLE.get(folded, folded))
    return "".join(out)


@lru_cache(maxsize=16384)
def fold_char(char: str) -> str:
    """One character folded to its matching form; repeated until stable so folding is idempotent."""
    folded = _fold_once(char)
    for _ in range(4):
        again = "".join(_fold_once(c) for c in folded)
        if again == folded:
            break
        folded = again
    return folded


def _fold(text: str) -> tuple[str, Sequence[int], Sequence[int], frozenset[str]]:
    """Fold every character in one translate pass (over bytes for ASCII text); when each one folds to
    exactly one character (a curly quote, an accented letter, an emoji) the index map is the identity.

    Also gives the characters beyond ASCII the folded text holds (emoji, other scripts)."""
    if text.isascii() and "`" not in text:
        return _ASCII_FOLD(text), range(len(text)), range(1, len(text) + 1), frozenset()
    table = {ord(char): fold_char(char) for char in set(text) - _ASCII_PLAIN}
    folded = _ASCII_FOLD(text, table)
    beyond = frozenset(char for piece in table.values() for char in piece if not char.isascii())
    if all(len(piece) == 1 for piece in table.values()):
        return folded, range(len(text)), range(1, len(text) + 1), beyond
    # Some characters fold to none or several ("…" is "..."): the map steps over only those.
    uneven = sorted(
        index for code, piece in table.items() if len(piece) != 1 for index in _positions(text, chr(code))
    )
    starts: list[int] = []
    ends: list[int] = []
    position = 0
    for index in uneven:
        starts += range(position, index)
        ends += range(position + 1, index + 1)
        pieces = len(table[ord(text[index])])
        starts += [index] * pieces
        ends += [index + 1] * pieces
        position = index + 1
    starts += range(position, len(text))
    ends += range(position + 1, len(text) + 1)
    return folded, starts, ends, beyond


def _positions(text: str, char: str) -> Iterator[int]:
    index = text.find(char)
    while index >= 0:
        yield index
        index = text.find(char, index + 1)


def _after_article(match: re.Match[str]) -> int:
    """Where joining starts: "a s h i t" is "a shit".

    A leading one-letter word stays apart when three letters follow.
    """
    parts = _SEPARATORS.split(match.group())
    if parts[0] not in _ONE_LETTER_WORDS or len(parts) < 4:
        return match.start()
    return match.start() + match.group().index(parts[1], len(parts[0]))


def _drop_separators(text: str, starts: Sequence[int], ends: Sequence[int]) -> tuple[str, list[int], list[int]]:
    """Join letters split by spaces or punctuation, removing only the separators between them.

    The text and its maps are copied a slice at a time: a spaced run is short, but the text around it
    may be long ("for...I was", "9-5" in a long post), and a step per character costs 0.1 us.
    """
    pieces: list[str] = []
    kept_starts: list[int] = []
    kept_ends: list[int] = []
    position = 0
    for match in _SPACED.finditer(text):
        begin = _after_article(match)
        runs = [range(position, begin), *(range(*run.span()) for run in _LETTERS.finditer(text, begin, match.end()))]
        for kept in runs:
            pieces.append(text[kept.start:kept.stop])
            kept_starts += starts[kept.start:kept.stop]
            kept_ends += ends[kept.start:kept.stop]
        position = match.end()
    pieces.append(text[position:])
    kept_starts += starts[position:]
    kept_ends += ends[position:]
    return "".join(pieces), kept_starts, kept_ends


def _has_leet(text: str) -> bool:
    """Whether a leetspeak character is in the text: ten searches for one character (memchr in C) cost less
    than one pass of a regex with a character set, which tests every character of a long message."""
    return any(char in text for char in _LEET_CHARS)


def _unleet(text: str) -> str:
    """Map leetspeak digits and symbols to letters, only inside tokens that also hold letters.

    What `_LEET_TOKEN.sub` over the whole text does, several times faster: that regex can only match at
    the start of a run of word characters and @$!|*, and only in a run holding a leet character, so only
    those runs are tried. A run's start is found on the reversed text, so no step is taken in Python.
    """
    pieces: list[str] = []
    position = 0
    reverse = ""
    for onward in _LEET_ONWARD.finditer(text):
        # The run holds no leet character before this match (finditer would have matched there), so a
        # match of only ! and | ("hi!") leaves nothing to map: they count only between letters or digits.
        if not onward.group().strip("!|"):
            continue
        reverse = reverse or text[::-1]
        start = len(text) - _RUN_BEFORE.match(reverse, len(text) - onward.start()).end()  # type: ignore[union-attr]
        if start == onward.start() and onward.group().isdigit():
            continue  # a number on its own ("I'm 15")
        token = _LEET_TOKEN.match(text, start, onward.end())
        if token and token.group().strip(_NOT_LETTERS) and not _MEASURE.fullmatch(token.group()):
            pieces += [text[position:start], token.group().translate(_LEET)]
            position = token.end()
    return "".join(pieces) + text[position:] if pieces else text


def _runs(repeats: list[tuple[int, int]]) -> dict[int, int]:
    runs: dict[int, int] = {}
    removed = 0
    for start, end in repeats:
        runs[start - removed] = end - start
        removed += end - start - 1
    return runs


@cache
def _doubled_letters() -> EndScanner:
    """Where an ASCII letter repeats the one before it. Most messages hold a few ("ll", "ee", "ss"): one
    Hyperscan pass finds them, where a regex with a back-reference tries every position (0.1 us each)."""
    return EndScanner([b"|".join(letter.encode() * 2 for letter in string.ascii_letters)])


def _dropped_repeats(dropped: list[int]) -> list[tuple[int, int]]:
    """The spans of repeated letters, as _REPEAT finds them, from where collapsing dropped letters."""
    repeats: list[tuple[int, int]] = []
    for position in dropped:
        if repeats and repeats[-1][1] == position:
            repeats[-1] = (repeats[-1][0], position + 1)
        else:
            repeats.append((position - 1, position + 1))
    return repeats


def _repeated(drops: list[int], length: int) -> bytes:
    """Normalized.repeated from _Source.drops: collapsed character c lost one more letter for each drop at c + 1."""
    repeated = bytearray(length)
    for drop in drops:
        if repeated[drop - 1] < 2:
            repeated[drop - 1] += 1
    return bytes(repeated)


def _spaced(text: str) -> bool:
    """Whether letters split by separators (_SPACED) are in the text."""
    if not text.isascii():
        return _SPACED_HINT.search(text) is not None and _SPACED.search(text) is not None
    if not _spaced_hint().which(text):
        return False
    return _SPACED_BYTES.search(text.encode("ascii").translate(_AS_SPACES)) is not None


@cache
def _spaced_hint() -> MultiScanner:
    """_SPACED_HINT for ASCII text in Hyperscan, a letter's run as the choice of every letter's own run: `re`
    spends some 700 instructions on its back-references at every separator, Hyperscan a few a character."""
    run = b"(?:%s)" % b"|".join(b"%s+" % letter.encode() for letter in string.ascii_letters + string.digits)
    return MultiScanner([rb"[ .\-_*,/]" + run + rb"[ .\-_*,/]{1,2}" + run + rb"(?:[^A-Za-z0-9]|$)"])


def _collapse(text: str, starts: Sequence[int], ends: Sequence[int], folded: str | None = None) -> Normalized:
    """Collapse repeated letters to one; where they were is worked out only if asked for (see _Source).

    `folded`: the text before symbols stood in for its characters beyond ASCII, if they did (Normalized.text)."""
    if text.isascii():
        doubled = _doubled_letters().ends(text.encode("ascii"))
        if not doubled:
            return Normalized(text, _Source(starts, ends), folded)
        dropped = [end - 1 for end in doubled]  # a pair ending at `end` drops the letter at end - 1
        pieces: list[str] = []
        position = 0
        for drop in dropped:
            pieces.append(text[position:drop])
            position = drop + 1
        pieces.append(text[position:])
        return Normalized("".join(pieces), _Source(starts, ends, dropped=dropped), folded)
    repeats = list(map(re.Match.span, _REPEAT.finditer(text)))  # letters beyond ASCII (see _stand_in)
    pieces = []
    position = 0
    for start, end in repeats:
        pieces.append(text[position:start + 1])
        position = end
    pieces.append(text[position:])
    return Normalized("".join(pieces), _Source(starts, ends, repeats))


def _stand_in(folded: str, symbols: frozenset[str]) -> str:
    """The folded text with SYMBOL for each of `symbols`; ASCII once the last one is replaced."""
    for symbol in symbols:
        folded = folded.replace(symbol, SYMBOL)
    return folded


def _with_symbols(plain: str, folded: str) -> str:
    """Normalized.text: each SYMBOL in `plain` as the character it stands for, in order. No step of the
    normaliser drops, adds or moves one (they are no letter, separator or leet character)."""
    pieces = plain.split(SYMBOL)
    joined = [pieces[0]]
    for symbol, piece in zip(_BEYOND_ASCII.findall(folded), pieces[1:]):
        joined += (symbol, piece)
    return "".join(joined)


def normalize(text: str) -> Normalized:
    """Fold text for matching: NFKC-like folding, look-alikes, spacing, leetspeak, repeats."""
    if not text.isascii():
        # Curly quotes fold to ASCII ones (_QUOTES) and keep the index map as it is: done first, they leave
        # 60 % of the non-ASCII chat in the bench pure ASCII, which folds on the fast path.
        for curly, straight in _CURLY_QUOTES.items():
            text = text.replace(curly, straight)
    folded, starts, ends, beyond = _fold(text)
    symbols = bool(beyond) and not any(char.isalnum() for char in beyond)
    plain = _stand_in(folded, beyond) if symbols else folded
    if _has_leet(plain):
        plain = _unleet(plain)
    if _spaced(plain):
        # Joining may put a digit beside letters ("s*a 0"), so leetspeak is mapped again after it.
        plain, starts, ends = _drop_separators(plain, starts, ends)
        if _has_leet(plain):
            plain = _unleet(plain)
    return _collapse(plain, starts, ends, folded if symbols else None)
