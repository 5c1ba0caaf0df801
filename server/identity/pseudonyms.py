"""Pseudonym rules: short, readable, not impersonating staff, and unique among people online."""
from __future__ import annotations

import re
import unicodedata

from ..errors import DomainError, ErrorCode

MIN_LENGTH = 2
MAX_LENGTH = 24
_ALLOWED = re.compile(r"^[\w][\w .'-]*[\w.]$|^\w$")
_RESERVED = ("admin", "moderator", "facilitator", "staff", "peerchat", "system", "supportteam")


def pseudonym_key(pseudonym: str) -> str:
    """The comparison form: look-alike spellings of one name collide."""
    folded = unicodedata.normalize("NFKC", pseudonym).casefold()
    return re.sub(r"[\s._'-]+", "", folded)[:32]


def check_pseudonym(raw: object) -> str:
    """Return the cleaned pseudonym or raise invalid with a sentence saying what to change."""
    if not isinstance(raw, str):
        raise DomainError(ErrorCode.INVALID, "Please choose a name to be known by.", field="pseudonym")
    name = " ".join(unicodedata.normalize("NFKC", raw).split())
    if not MIN_LENGTH <= len(name) <= MAX_LENGTH:
        raise DomainError(ErrorCode.INVALID, f"Names are {MIN_LENGTH} to {MAX_LENGTH} characters long.",
                          field="pseudonym")
    if not _ALLOWED.match(name):
        raise DomainError(ErrorCode.INVALID, "Names may use letters, digits, spaces, dots, dashes and "
                          "apostrophes.", field="pseudonym")
    key = pseudonym_key(name)
    if any(key.startswith(word) for word in _RESERVED):
        raise DomainError(ErrorCode.INVALID, "That name is kept for the staff. Please choose another.",
                          field="pseudonym")
    return name
