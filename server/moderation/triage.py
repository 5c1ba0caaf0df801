"""Pure triage rules: which kind and severity a signal raises, and how the queue ranks items.

Order is crisis-first, as crisis lines practise it: imminent crisis > crisis > abuse and harassment >
other peer reports > profanity and rule breaks; then score; then age. No I/O here.
"""
from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from .verdict import Decision, FlagKind, Severity, Verdict


class ItemKind(StrEnum):
    CRISIS = "crisis"
    HELP = "help"
    ABUSE = "abuse"
    REPORT = "report"
    PROFANITY = "profanity"
    CONTACT = "contact"
    FLOOD = "flood"
    WATCHED = "watched"
    HELD = "held"


class ReportReason(StrEnum):
    CRISIS = "crisis"
    HARASSMENT = "harassment"
    SPAM = "spam"
    PERSONAL_INFORMATION = "personal information"
    OTHER = "other"


@dataclass(frozen=True, slots=True)
class Triage:
    kind: ItemKind
    severity: Severity

    @property
    def tier(self) -> int:
        """Queue rank: 5 imminent crisis, 4 crisis, 3 abuse, 2 reports, 1 profanity and rule breaks."""
        if self.kind in (ItemKind.CRISIS, ItemKind.HELP):
            return 5 if self.severity is Severity.IMMINENT else 4
        return _TIER[self.kind]

    @property
    def is_crisis(self) -> bool:
        return self.tier >= 4

    def stronger(self, other: Triage) -> Triage:
        """The more urgent of two signals on one item: an item only ever moves up the queue."""
        return max(self, other, key=lambda t: (t.tier, t.severity.rank))


_TIER = {ItemKind.ABUSE: 3, ItemKind.REPORT: 2, ItemKind.PROFANITY: 1, ItemKind.CONTACT: 1,
         ItemKind.FLOOD: 1, ItemKind.WATCHED: 1, ItemKind.HELD: 1}

_FLAG_KIND = {FlagKind.CRISIS: ItemKind.CRISIS, FlagKind.ABUSE: ItemKind.ABUSE,
              FlagKind.PROFANITY: ItemKind.PROFANITY, FlagKind.CONTACT: ItemKind.CONTACT,
              FlagKind.FLOOD: ItemKind.FLOOD, FlagKind.WATCHED: ItemKind.WATCHED}

_REPORT = {
    ReportReason.CRISIS: Triage(ItemKind.CRISIS, Severity.HIGH),
    ReportReason.HARASSMENT: Triage(ItemKind.ABUSE, Severity.MEDIUM),
    ReportReason.SPAM: Triage(ItemKind.REPORT, Severity.LOW),
    ReportReason.PERSONAL_INFORMATION: Triage(ItemKind.REPORT, Severity.MEDIUM),
    ReportReason.OTHER: Triage(ItemKind.REPORT, Severity.LOW),
}

# A person pressing "Get help" may be in danger now: treated as imminent, so it tops the queue and
# escalates if nobody claims it (a false alarm is better than a missed crisis).
HELP_REQUEST = Triage(ItemKind.HELP, Severity.IMMINENT)
REMOVED_FROM_SESSION = Triage(ItemKind.REPORT, Severity.MEDIUM)


def review_item_for(verdict: Verdict) -> Triage | None:
    """The review item a pipeline verdict raises (its most urgent flag), or None when none is needed."""
    found = [Triage(_FLAG_KIND[f.kind], f.severity) for f in verdict.flags]
    if verdict.decision is Decision.HOLD:
        found.append(Triage(ItemKind.HELD, Severity.LOW))
    if not found:
        return None
    strongest = found[0]
    for triage in found[1:]:
        strongest = strongest.stronger(triage)
    return strongest


def triage_for_report(reason: ReportReason) -> Triage:
    return _REPORT[reason]


def severity_filter(name: str) -> int:
    """The tier a queue `severity` filter names; the same words the README's moderator guide uses."""
    return _FILTERS[name]


_FILTERS = {"imminent": 5, "crisis": 4, "abuse": 3, "report": 2, "minor": 1}
SEVERITY_FILTERS = tuple(_FILTERS)
