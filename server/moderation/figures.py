"""Team figures: time to claim and to resolve per severity, queue length and the oldest open item.

Read by admins over HTTP (GET /api/moderation/report) and by operators with `peerchat mod-report`.
"""
from __future__ import annotations

from statistics import median
from typing import Any, Sequence

from ..clock import Clock
from ..storage.database import Database
from ..storage.review import OPEN, ReviewStore
from ..storage.review_models import ReviewItem

TIER_NAMES = {5: "imminent", 4: "crisis", 3: "abuse", 2: "report", 1: "minor"}


def _summary(durations: list[float]) -> dict[str, Any]:
    if not durations:
        return {"count": 0, "median_seconds": None, "p90_seconds": None}
    ordered = sorted(durations)
    p90 = ordered[min(len(ordered) - 1, int(round(0.9 * (len(ordered) - 1))))]
    return {"count": len(ordered), "median_seconds": round(median(ordered), 1), "p90_seconds": round(p90, 1)}


def team_figures(items: Sequence[ReviewItem], now: float, since: float) -> dict[str, Any]:
    """Pure: figures from the items, so they can be checked without a server."""
    recent = [i for i in items if i.created_at >= since]
    open_items = [i for i in items if i.status in OPEN]
    per_severity = {}
    for tier, name in TIER_NAMES.items():
        mine = [i for i in recent if i.tier == tier]
        per_severity[name] = {
            "raised": len(mine),
            "time_to_claim": _summary([i.first_claimed_at - i.created_at for i in mine if i.first_claimed_at]),
            "time_to_resolve": _summary([i.resolved_at - i.created_at for i in mine if i.resolved_at]),
            "open": sum(1 for i in open_items if i.tier == tier),
        }
    oldest = min((i.created_at for i in open_items), default=None)
    return {"since_seconds": round(now - since), "queue_length": len(open_items),
            "oldest_open_age_seconds": round(now - oldest, 1) if oldest is not None else None,
            "severities": per_severity}


async def get_team_figures(db: Database, clock: Clock, *, days: int = 7) -> dict[str, Any]:
    now = clock.now()
    since = now - days * 86400
    async with db.read() as session:
        items = await ReviewStore(session).since(since)
    return team_figures(items, now, since)


def format_figures(figures: dict[str, Any]) -> str:
    """The figures as a small plain-text table for the terminal."""
    def fmt(value: float | None) -> str:
        return "-" if value is None else f"{value:.0f}s"
    lines = [f"queue length: {figures['queue_length']}   oldest open item: "
             f"{fmt(figures['oldest_open_age_seconds'])}   (items raised in the last "
             f"{figures['since_seconds'] // 86400} days)",
             f"{'severity':<10}{'raised':>8}{'open':>6}{'claim p50':>11}{'claim p90':>11}"
             f"{'resolve p50':>13}{'resolve p90':>13}"]
    for name, row in figures["severities"].items():
        claim, resolve = row["time_to_claim"], row["time_to_resolve"]
        lines.append(f"{name:<10}{row['raised']:>8}{row['open']:>6}{fmt(claim['median_seconds']):>11}"
                     f"{fmt(claim['p90_seconds']):>11}{fmt(resolve['median_seconds']):>13}"
                     f"{fmt(resolve['p90_seconds']):>13}")
    return "\n".join(lines)
