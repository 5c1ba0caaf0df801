"""Contact details and identifying data: phone numbers, e-mail, URLs, handles, street addresses.

Runs on the original text (case-insensitive) so redactions cover exactly what was typed. Phone
numbers are confirmed by the phonenumbers library, but only on digit runs a cheap regex found
first, because its matcher is slow. Published helpline numbers and sites are never redacted.
One Hyperscan pass says which detectors may find something (_Gate); the others do not run.
"""
from __future__ import annotations

import re
from functools import cache, lru_cache

import ahocorasick
import phonenumbers

from .addresses import address_twins, find_addresses
from .multiscan import MultiScanner, StartScanner, matches_at
from .resources import published_numbers, published_sites
from .twins import CASE_TWINS_OF_ASCII, regex_twin, reversed_twin
from .verdict import Flag, FlagKind, Severity, Span
from .wordshape import word_shape

# A digit run that may be a phone number, with an optional extension ("x4587"); "1,234" is a count, not a phone.
_PHONE_CANDIDATE = re.compile(
    r"(?<![\w/:.])(?<!\d,)\+?\(?\d(?:[\d \t().\-]|\u00a0){5,22}\d(?:[ \t]?(?:x|ext\.?)[ \t]?\d{1,5})?(?![\w/:])"
)
_PARSE_BUDGET = 8
_FALLBACK_REGIONS = (
    "US", "GB", "AU", "CA", "IE", "NZ", "IN", "DE", "FR", "ES", "IT", "NL", "BR", "MX", "ZA", "PH", "NG",
)
_DATE_LIKE = re.compile(r"\d{1,4}([.\-])\d{1,2}\1\d{1,4}|(?:19|20)\d\d\s*[-–]\s*(?:19|20)\d\d")
_TLD = (
    r"(?:com|net|org|edu|gov|io|co|me|uk|us|ca|au|de|fr|es|it|nl|be|ch|se|no|dk|fi|pl|cz|br|in|ru|jp|"
    r"info|biz|app|dev|ly|gg|tv|xyz|online|site)"
)
_EMAIL = re.compile(r"(?<![\w.+\-])[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)*\.[a-z]{2,}", re.I)
_EMAIL_SPELLED = re.compile(
    r"(?<![\w.+\-])[\w.+\-]+\s*[(\[{]?\s*(?:at|@)\s*[)\]}]?\s*[\w\-]+\s*"
    r"(?:[(\[{]?\s*(?:dot|\.)\s*[)\]}]?\s*[\w\-]+\s*)*"
    r"[(\[{]?\s*(?:dot|\.)\s*[)\]}]?\s*" + _TLD + r"\b",
    re.I,
)
_URL = re.compile(
    r"\b(?:https?://|www\.)[^\s<>\"']+"
    r"|(?<![\w\-.@])(?:[\w\-]+\.)+(?:" + _TLD + r"(?:\.[a-z]{2})?)(?:/[^\s<>\"']*)?(?![\w@])",
    re.I,
)
_IP = re.compile(r"\b(?:\d{1,3}\.){3}\d{1,3}\b|\b(?:[0-9a-f]{1,4}:){7}[0-9a-f]{1,4}\b", re.I)
_PLATFORM = (
    r"(?:snap(?:chat)?|insta(?:gram)?|ig|kik|discord|telegram|whats\s?app|tik\s?tok|twitter|fb|facebook|"
    r"messenger|signal|wickr|skype|wechat|reddit|tumblr|youtube|twitch|threads|bsky|bluesky)"
)
_OFF_PLATFORM = re.compile(
    r"\b(?:add|follow|dm|pm|message|msg|text|hit|hmu|find|reach|contact|talk to|chat with|call)\s+(?:me|us)\s+"
    r"(?:up\s+)?(?:on|at|via|in|over)\s+" + _PLATFORM + r"\b(?:\s*[:\-]?\s*@?[\w.]{2,30}(?=\s|$|[,.!?]))?"
    r"|\bmy\s+" + _PLATFORM + r"\s*(?:is|=|:|handle is|name is|user(?:name)? is|id is)\s*@?[\w.\-#]{2,32}"
    r"|\b" + _PLATFORM + r"\s*[:=]\s*@?[\w.\-#]{2,32}",
    re.I,
)
_PLATFORM_HINT = re.compile(
    r"snap|insta|\big\b|kik|discord|telegram|whats|tok\b|twitter|\bfb\b|face|messenger|signal|wickr|skype|wechat", re.I
)
# The same hint on a word shape (wordshape.py): \big\b is " ig ", tok\b is "tok ".
_PLATFORM_WORDS = (
    "snap", "insta", " ig ", "kik", "discord", "telegram", "whats", "tok ", "twitter", " fb ", "face", "messenger",
    "signal", "wickr", "skype", "wechat",
)
_DIGIT = re.compile(r"\d")
_SPELLED_HINT = re.compile(r"\bdot\b", re.I)
_HANDLE = re.compile(r"(?<![\w@])@[a-z0-9_.]{3,30}\b", re.I)
_HANDLE_CUE = re.compile(r"\b(?:add|follow|dm|pm|message|text|find|my|handle|user(?:name)?)\b", re.I)
# Matches wherever _handles keeps a handle (a cue ends at most 25 characters before it): the twin to gate on.
_CUED_HANDLE = _HANDLE_CUE.pattern + r"[\s\S]{0,25}" + _HANDLE.pattern


@cache
def _allowed_numbers() -> frozenset[str]:
    return published_numbers()


def _digits(text: str) -> str:
    return "".join(c for c in text if c.isdigit())


@lru_cache(maxsize=4096)
def _is_phone(candidate: str, region: str) -> bool:
    """Whether phonenumbers accepts the candidate in the room's region or a common one. Up to 17 parses
    (about a millisecond) for a digit run that is no number, so answers are kept: the same numbers recur."""
    digits = _digits(candidate)
    if len(digits) < 7 or digits in _allowed_numbers() or _DATE_LIKE.fullmatch(candidate.strip()):
        return False
    regions = (region, *(r for r in _FALLBACK_REGIONS if r != region))
    for guess in regions[:1] if candidate.startswith("+") else regions:
        try:
            number = phonenumbers.parse(candidate, guess)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_possible_number(number) and (phonenumbers.is_valid_number(number) or len(digits) >= 9):
            return True
    return False


def _phones(text: str, region: str) -> list[Span]:
    """Confirm candidates with phonenumbers; past a budget, long digit runs count as phones (bounded cost)."""
    spans = []
    for checked, match in enumerate(_PHONE_CANDIDATE.finditer(text)):
        if _is_phone(match.group(), region) if checked < _PARSE_BUDGET else 9 <= len(_digits(match.group())) <= 15:
            spans.append(Span(*match.span()))
    return spans


def _not_published(match: re.Match[str]) -> bool:
    host = match.group().lower().split("://")[-1].removeprefix("www.").split("/")[0]
    return host not in published_sites()


def _urls(text: str) -> list[re.Match[str]]:
    """_URL.finditer, tried only where a URL may start (from a Hyperscan pass): a text that holds one (a tweet's
    link) costs `re` some 800 instructions a character otherwise, trying two alternatives at every position."""
    if _case_twins_in(text):
        return list(_URL.finditer(text))
    return matches_at(_URL, text, _gate().url_starts.starts(text).get(0, []))


def _case_twins_in(text: str) -> bool:
    """Whether the text holds a letter that re.I equates with an ASCII one, which twins do not (twins.py)."""
    return not text.isascii() and any(letter in text for letter in CASE_TWINS_OF_ASCII)


def _handles(text: str) -> list[Span]:
    """Bare @handles only count next to an invitation ("add me @x").

    @name alone may address someone in the room.
    """
    return [
        Span(*m.span())
        for m in _HANDLE.finditer(text)
        if _HANDLE_CUE.search(text, max(0, m.start() - 25), m.start())
    ]


def _platform_hint(text: str, shape: str | None) -> bool:
    if shape is None:
        return _PLATFORM_HINT.search(text) is not None
    return next(_platform_words().iter(shape), None) is not None


@cache
def _platform_words() -> ahocorasick.Automaton:
    automaton = ahocorasick.Automaton()
    for word in _PLATFORM_WORDS:
        automaton.add_word(word, word)
    automaton.make_automaton()
    return automaton


def _spelled_hint(text: str, shape: str | None) -> bool:
    return " dot " in shape if shape is not None else _SPELLED_HINT.search(text) is not None


_SHAPED = frozenset(("spelled", "platform", "anchor", "postcode", "cue"))  # the detectors that read the word shape
_COUNTED = frozenset(("anchor", "postcode", "cue", "ip", "phone"))  # those that only run on text with a digit


class _Gate:
    """Which detector regexes may match a text: one Hyperscan pass over their twins (twins.py).

    A regex whose twin does not match finds nothing, so skipping it changes no result; most messages
    hold no contact details and skip every detector. Text with a letter that re.I equates with an ASCII
    one (the Kelvin sign ...) runs them all. Regexes go by name: hashing a compiled pattern hashes its
    whole code, every time.
    """

    def __init__(self, twins: dict[str, bytes]) -> None:
        self._names = list(twins)
        self._scanner = MultiScanner(list(twins.values()))
        self.url_starts = StartScanner([reversed_twin(_URL)])  # for _urls

    def possible(self, text: str) -> set[str]:
        if _case_twins_in(text):
            return set(self._names)
        return {self._names[index] for index in self._scanner.which(text)}


@cache
def _gate() -> _Gate:
    return _Gate({
        "email": regex_twin(_EMAIL), "handle": regex_twin(_CUED_HANDLE, re.I), "spelled": regex_twin(_EMAIL_SPELLED),
        "url": regex_twin(_URL), "platform": regex_twin(_OFF_PLATFORM), "ip": regex_twin(_IP),
        "phone": regex_twin(_PHONE_CANDIDATE), **address_twins(),
    })


def find_contacts(text: str, region: str) -> list[tuple[str, Span]]:
    """Every contact detail found, as (rule, span) in original coordinates.

    Each detector runs only when its regex may match (_Gate) and a cheap check agrees: substring tests
    on the word shape (wordshape.py); a phone needs seven digits, an IP address three dots or seven colons.
    """
    possible = _gate().possible(text)
    if not possible:
        return []
    found: list[tuple[str, Span]] = []
    if "email" in possible:
        found += [("contact.email", Span(*m.span())) for m in _EMAIL.finditer(text)]
    if "handle" in possible:
        found += [("contact.handle", span) for span in _handles(text)]
    shape = word_shape(text) if possible & _SHAPED else None  # None when no detector reads it
    if "spelled" in possible and _spelled_hint(text, shape):
        found += [("contact.email", Span(*m.span())) for m in _EMAIL_SPELLED.finditer(text)]
    if "url" in possible:
        found += [("contact.url", Span(*m.span())) for m in _urls(text) if _not_published(m)]
    if "platform" in possible and _platform_hint(text, shape):
        found += [("contact.off_platform", Span(*m.span())) for m in _OFF_PLATFORM.finditer(text)]
    if possible & _COUNTED and _DIGIT.search(text):
        found += [("contact.address", span) for span in find_addresses(text, shape, possible)]
        if "ip" in possible and (text.count(".") >= 3 or text.count(":") >= 7):
            found += [("contact.ip", Span(*m.span())) for m in _IP.finditer(text)]
        if "phone" in possible and len(_DIGIT.findall(text)) >= 7:
            found += [("contact.phone", span) for span in _phones(text, region)]
    return found


@cache
def region_of(locale: str) -> str:
    """'en-GB' -> 'GB'; a bare language falls back to the US numbering plan."""
    parts = locale.replace("_", "-").split("-")
    return parts[1].upper() if len(parts) > 1 and len(parts[1]) == 2 else "US"


def check_contacts(text: str, locale: str) -> tuple[Flag, ...]:
    """One CONTACT flag with every span; the pipeline redacts or holds per room policy."""
    found = find_contacts(text, region_of(locale))
    if not found:
        return ()
    found.sort(key=lambda pair: pair[1].start)
    return (Flag(FlagKind.CONTACT, Severity.MEDIUM, found[0][0], tuple(span for _, span in found)),)
