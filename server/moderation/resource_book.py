"""Crisis resources as a peer sees them: the built-in defaults, overridden and extended per region by
the ones an administrator entered. Pure; the server builds a new book whenever the admin list changes."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .resources import CrisisResource, ResourceKind, resources_for

INTERNATIONAL = "INTL"
_ALIASES = {"UK": "GB"}
_CACHE_LIMIT = 512


def region_of(locale: str) -> str:
    """'en-GB' -> 'GB', 'GB' -> 'GB', 'intl' -> 'INTL' (the same reading as resources_for)."""
    region = locale.replace("_", "-").upper().split("-")[-1]
    return _ALIASES.get(region, region)


@dataclass(frozen=True, slots=True)
class CustomResource:
    """An admin's entry for a region: added to the defaults, or replacing (or, hidden, removing) the
    default of the same name."""

    region: str
    resource: CrisisResource
    hidden: bool = False


def _merge(defaults: Iterable[CrisisResource], custom: list[CustomResource]) -> list[CrisisResource]:
    replaced = {c.resource.name.casefold() for c in custom}
    return [c.resource for c in custom if not c.hidden] + [d for d in defaults if d.name.casefold() not in replaced]


class ResourceBook:
    def __init__(self, custom: Iterable[CustomResource] = ()) -> None:
        self._custom: dict[str, list[CustomResource]] = {}
        for entry in custom:
            self._custom.setdefault(entry.region, []).append(entry)
        self._cache: dict[str, tuple[CrisisResource, ...]] = {}

    def for_locale(self, locale: str) -> tuple[CrisisResource, ...]:
        """The region's resources then the international directory; with none, the international ones."""
        found = self._cache.get(locale)
        if found is None:
            found = self._build(locale)
            if len(self._cache) < _CACHE_LIMIT:
                self._cache[locale] = found
        return found

    def _build(self, locale: str) -> tuple[CrisisResource, ...]:
        region = region_of(locale)
        builtin_international = resources_for(INTERNATIONAL)
        international = _merge(builtin_international, self._custom.get(INTERNATIONAL, []))
        if region == INTERNATIONAL:
            return tuple(international)
        builtin_local = [r for r in resources_for(locale) if r not in builtin_international]
        local = _merge(builtin_local, self._custom.get(region, []))
        if not local:
            return tuple(international)
        return (*local, *(r for r in international if r.kind is ResourceKind.DIRECTORY))


DEFAULT_BOOK = ResourceBook()
