"""The pure triage rules: which item a verdict raises and how the queue ranks kinds and severities."""
from __future__ import annotations

import pytest

from server.moderation.figures import team_figures
from server.moderation.triage import HELP_REQUEST, ItemKind, ReportReason, Triage, review_item_for, triage_for_report
from server.moderation.verdict import Decision, Flag, FlagKind, Severity, Verdict
from server.storage.review_models import ReviewItem


def _verdict(*flags: tuple[FlagKind, Severity], decision: Decision = Decision.ALLOW) -> Verdict:
    return Verdict(decision=decision, text="x", flags=tuple(Flag(k, s, "rule") for k, s in flags))


def test_a_clean_verdict_raises_no_item() -> None:
    assert review_item_for(_verdict()) is None
    assert review_item_for(_verdict(decision=Decision.ALLOW_MODIFIED)) is None


@pytest.mark.parametrize(("flags", "decision", "expected"), [
    ([(FlagKind.CRISIS, Severity.IMMINENT)], Decision.ALLOW, (ItemKind.CRISIS, Severity.IMMINENT, 5)),
    ([(FlagKind.CRISIS, Severity.MEDIUM)], Decision.ALLOW, (ItemKind.CRISIS, Severity.MEDIUM, 4)),
    ([(FlagKind.ABUSE, Severity.HIGH)], Decision.BLOCK, (ItemKind.ABUSE, Severity.HIGH, 3)),
    ([(FlagKind.PROFANITY, Severity.LOW)], Decision.ALLOW_MODIFIED, (ItemKind.PROFANITY, Severity.LOW, 1)),
    ([(FlagKind.CONTACT, Severity.MEDIUM)], Decision.ALLOW_MODIFIED, (ItemKind.CONTACT, Severity.MEDIUM, 1)),
    ([(FlagKind.FLOOD, Severity.LOW)], Decision.BLOCK, (ItemKind.FLOOD, Severity.LOW, 1)),
    ([], Decision.HOLD, (ItemKind.HELD, Severity.LOW, 1)),
    # the most urgent flag wins, whatever order the stages emitted them in
    ([(FlagKind.PROFANITY, Severity.HIGH), (FlagKind.CRISIS, Severity.LOW), (FlagKind.ABUSE, Severity.HIGH)],
     Decision.ALLOW_MODIFIED, (ItemKind.CRISIS, Severity.LOW, 4)),
    ([(FlagKind.CONTACT, Severity.HIGH)], Decision.HOLD, (ItemKind.CONTACT, Severity.HIGH, 1)),
])
def test_review_item_for_takes_the_most_urgent_flag(flags: list[tuple[FlagKind, Severity]], decision: Decision,
                                                    expected: tuple[ItemKind, Severity, int]) -> None:
    triage = review_item_for(_verdict(*flags, decision=decision))
    assert triage is not None
    assert (triage.kind, triage.severity, triage.tier) == expected


def test_queue_tiers_are_crisis_first() -> None:
    tiers = [HELP_REQUEST.tier, triage_for_report(ReportReason.CRISIS).tier,
             triage_for_report(ReportReason.HARASSMENT).tier, triage_for_report(ReportReason.SPAM).tier,
             Triage(ItemKind.PROFANITY, Severity.HIGH).tier]
    assert tiers == [5, 4, 3, 2, 1]
    assert {triage_for_report(r).tier for r in (ReportReason.OTHER, ReportReason.PERSONAL_INFORMATION)} == {2}


def test_an_item_only_moves_up() -> None:
    spam = triage_for_report(ReportReason.SPAM)
    crisis = triage_for_report(ReportReason.CRISIS)
    assert spam.stronger(crisis) == crisis and crisis.stronger(spam) == crisis


def _item(tier: int, created: float, claimed: float | None, resolved: float | None, status: str) -> ReviewItem:
    return ReviewItem(tier=tier, created_at=created, first_claimed_at=claimed, resolved_at=resolved, status=status)


def test_team_figures_from_items() -> None:
    items = [_item(5, 100, 110, 200, "resolved"), _item(5, 100, 130, None, "claimed"),
             _item(2, 50, None, None, "pending"), _item(1, 10, 20, 30, "resolved")]
    figures = team_figures(items, now=300, since=0)
    assert figures["queue_length"] == 2 and figures["oldest_open_age_seconds"] == 250
    imminent = figures["severities"]["imminent"]
    assert imminent["raised"] == 2 and imminent["open"] == 1
    assert imminent["time_to_claim"] == {"count": 2, "median_seconds": 20, "p90_seconds": 30}
    assert imminent["time_to_resolve"]["median_seconds"] == 100
    assert figures["severities"]["report"]["time_to_claim"]["count"] == 0
