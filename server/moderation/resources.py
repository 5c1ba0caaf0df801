"""Crisis resources offered privately to a sender whose message was flagged as crisis.

Pure data. Defaults cover the US, UK/Ireland, Australia and Canada, and everyone else gets an
international directory and their local emergency number. Check these yearly: services change.
"""
from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from functools import cache


class ResourceKind(StrEnum):
    HOTLINE = "hotline"
    TEXTLINE = "textline"
    DIRECTORY = "directory"
    EMERGENCY = "emergency"


@dataclass(frozen=True, slots=True)
class CrisisResource:
    name: str
    phone: str | None
    text: str | None
    url: str | None
    hours: str
    kind: ResourceKind


_DIRECTORY = CrisisResource(
    "Find A Helpline (free, confidential support in your country)", None, None,
    "https://findahelpline.com", "directory, always available", ResourceKind.DIRECTORY,
)
_EMERGENCY = CrisisResource(
    "Emergency services, if you are in danger right now", "112 / 911 / 999 / 000", None, None,
    "24/7", ResourceKind.EMERGENCY,
)

_BY_REGION: dict[str, tuple[CrisisResource, ...]] = {
    "US": (
        CrisisResource(
            "988 Suicide & Crisis Lifeline", "988", "988", "https://988lifeline.org", "24/7", ResourceKind.HOTLINE
        ),
        CrisisResource(
            "Crisis Text Line", None, "Text HOME to 741741", "https://www.crisistextline.org", "24/7",
            ResourceKind.TEXTLINE,
        ),
        CrisisResource("Emergency services", "911", None, None, "24/7", ResourceKind.EMERGENCY),
    ),
    "CA": (
        CrisisResource("9-8-8 Suicide Crisis Helpline", "988", "988", "https://988.ca", "24/7", ResourceKind.HOTLINE),
        CrisisResource("Emergency services", "911", None, None, "24/7", ResourceKind.EMERGENCY),
    ),
    "GB": (
        CrisisResource(
            "Samaritans", "116 123", None, "https://www.samaritans.org", "24/7", ResourceKind.HOTLINE
        ),
        CrisisResource(
            "Shout", None, "Text SHOUT to 85258", "https://giveusashout.org", "24/7", ResourceKind.TEXTLINE
        ),
        CrisisResource("Emergency services", "999", None, None, "24/7", ResourceKind.EMERGENCY),
    ),
    "IE": (
        CrisisResource(
            "Samaritans Ireland", "116 123", None, "https://www.samaritans.org/ireland", "24/7", ResourceKind.HOTLINE
        ),
        CrisisResource(
            "Text About It", None, "Text HELLO to 50808", "https://text50808.ie", "24/7", ResourceKind.TEXTLINE
        ),
        CrisisResource("Emergency services", "112 / 999", None, None, "24/7", ResourceKind.EMERGENCY),
    ),
    "AU": (
        CrisisResource(
            "Lifeline Australia", "13 11 14", "0477 13 11 14", "https://www.lifeline.org.au", "24/7",
            ResourceKind.HOTLINE,
        ),
        CrisisResource("Emergency services", "000", None, None, "24/7", ResourceKind.EMERGENCY),
    ),
}
_INTERNATIONAL = (_DIRECTORY, _EMERGENCY)
_ALIASES = {"UK": "GB"}


def resources_for(locale: str) -> tuple[CrisisResource, ...]:
    """Resources for a locale such as 'en-GB' or 'GB', always ending with the international directory."""
    parts = locale.replace("_", "-").upper().split("-")
    region = _ALIASES.get(parts[-1], parts[-1])
    local = _BY_REGION.get(region, ())
    return (*local, _DIRECTORY) if local else _INTERNATIONAL


def _all() -> tuple[CrisisResource, ...]:
    return (*(r for group in _BY_REGION.values() for r in group), *_INTERNATIONAL)


@cache
def published_numbers() -> frozenset[str]:
    """Digits of every helpline number we publish, so sharing one is never treated as contact details."""
    numbers = set()
    for resource in _all():
        for field in (resource.phone, resource.text):
            for part in (field or "").split("/"):
                digits = "".join(c for c in part if c.isdigit())
                if digits:
                    numbers.add(digits)
    return frozenset(numbers | {"18002738255", "8002738255", "08457909090", "116123"})


@cache
def published_sites() -> frozenset[str]:
    """Host names of the helplines we publish: links to them are shared freely."""
    hosts = {r.url.split("://")[-1].removeprefix("www.").split("/")[0] for r in _all() if r.url}
    return frozenset(hosts)
