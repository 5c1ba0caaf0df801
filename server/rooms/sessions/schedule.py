"""Validating what a facilitator schedules, and expanding a recurrence into occurrences (pure, no I/O).

Series keep the same wall-clock time in the facilitator's time zone, so across a daylight-saving
change the UTC start moves by an hour and the group still meets at "7 pm". Monthly groups meet as groups
say they do: on the same weekday of the same week of the month ("the third Thursday"), or on the last
one when the first meeting fell in a month's fifth week.
"""
from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import Any, Callable
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ...errors import DomainError, ErrorCode

MAX_DURATION_MINUTES = 8 * 60
MAX_OCCURRENCES = 52
MAX_CAPACITY = 500
FREQUENCIES = ("weekly", "biweekly", "monthly")


def _invalid(field: str, message: str) -> DomainError:
    return DomainError(ErrorCode.INVALID, message, field=field)


@dataclass(frozen=True, slots=True)
class Recurrence:
    frequency: str
    count: int | None
    until: date | None
    skip: frozenset[date]

    def to_json(self) -> dict[str, Any]:
        return {"frequency": self.frequency, "count": self.count,
                "until": self.until.isoformat() if self.until else None,
                "skip": sorted(d.isoformat() for d in self.skip)}

    def slot(self, first: datetime, number: int) -> datetime:
        """The local wall-clock start of meeting `number` (0 is the first)."""
        if self.frequency == "monthly":
            return _same_week_of_month(first, number)
        return first + timedelta(weeks=number * (2 if self.frequency == "biweekly" else 1))


def _same_week_of_month(first: datetime, months: int) -> datetime:
    week = (first.day - 1) // 7  # 0 for the first Thursday of a month ... 4 for a fifth one
    year, month = divmod(first.month - 1 + months, 12)
    year, month = first.year + year, month + 1
    offset = (first.weekday() - calendar.weekday(year, month, 1)) % 7
    days = calendar.monthrange(year, month)[1]
    day = 1 + offset + 7 * (week if week < 4 else (days - 1 - offset) // 7)
    return first.replace(year=year, month=month, day=day)


def _text(field: str, low: int, high: int) -> Callable[[Any], str]:
    def check(value: Any) -> str:
        if not isinstance(value, str) or not low <= len(value.strip()) <= high:
            raise _invalid(field, f"'{field}' must be text of {low} to {high} characters.")
        return value.strip()
    return check


def _whole(field: str, low: int, high: int, why: str = "") -> Callable[[Any], int]:
    def check(value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise _invalid(field, f"'{field}' must be a whole number from {low} to {high}{why}.")
        return value
    return check


def _flag(field: str) -> Callable[[Any], bool]:
    def check(value: Any) -> bool:
        if not isinstance(value, bool):
            raise _invalid(field, f"'{field}' must be true or false.")
        return value
    return check


def check_start(value: Any) -> datetime:
    """ISO-8601 with an offset ("2026-03-20T19:00:00+01:00" or "...Z"); naive times are ambiguous."""
    try:
        start = datetime.fromisoformat(value) if isinstance(value, str) and len(value) <= 40 else None
    except ValueError:
        start = None
    if start is None:
        raise _invalid("start", "'start' must be an ISO-8601 date and time, such as 2026-03-20T19:00:00+01:00.")
    if start.tzinfo is None:
        raise _invalid("start", "'start' needs a UTC offset (such as +01:00 or Z) so the time is unambiguous.")
    return start.astimezone(timezone.utc)


def check_time_zone(value: Any) -> str:
    try:
        if not isinstance(value, str) or not 1 <= len(value) <= 64:
            raise ValueError(value)
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise _invalid("time_zone", "Unknown time zone: use an IANA name such as Europe/London.") from None
    return value


def check_facilitators(value: Any) -> list[str]:
    if not isinstance(value, list) or len(value) > 5 or not all(isinstance(v, str) and 0 < len(v) <= 64
                                                                for v in value):
        raise _invalid("facilitators", "'facilitators' must be a list of up to 5 staff usernames.")
    return sorted({v.strip().lower() for v in value})


def _date(value: Any) -> date:
    if isinstance(value, str) and len(value) == 10:
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise _invalid("recurrence", "Recurrence dates must look like 2026-03-20.")


def check_recurrence(value: Any) -> Recurrence | None:
    if value is None:
        return None
    if not isinstance(value, dict) or not set(value) <= {"frequency", "count", "until", "skip"}:
        raise _invalid("recurrence", "'recurrence' is an object with frequency, count or until, and skip.")
    frequency = value.get("frequency")
    if frequency not in FREQUENCIES:
        raise _invalid("recurrence", "Recurrence frequency must be 'weekly', 'biweekly' (every two weeks) or "
                       "'monthly' (the same weekday of the same week of each month).")
    count, until = value.get("count"), value.get("until")
    if (count is None) == (until is None):
        raise _invalid("recurrence", "Give either 'count' (how many meetings) or 'until' (the last date).")
    if count is not None:
        _whole("recurrence", 1, MAX_OCCURRENCES, " (count of meetings)")(count)
    skip = value.get("skip") or []
    if not isinstance(skip, list) or len(skip) > MAX_OCCURRENCES:
        raise _invalid("recurrence", "'skip' must be a list of dates.")
    return Recurrence(frequency, count, _date(until) if until is not None else None,
                      frozenset(_date(d) for d in skip))


FIELDS: dict[str, Callable[[Any], Any]] = {
    "room": _text("room", 1, 48),
    "title": _text("title", 3, 120),
    "description": _text("description", 0, 2000),
    "facilitators": check_facilitators,
    "start": check_start,
    "duration_minutes": _whole("duration_minutes", 5, MAX_DURATION_MINUTES, " (at most 8 hours)"),
    "capacity": _whole("capacity", 1, MAX_CAPACITY),
    "time_zone": check_time_zone,
    "recurrence": check_recurrence,
    "confidential": _flag("confidential"),
    "listeners_allowed": _flag("listeners_allowed"),
    "lobby_minutes": _whole("lobby_minutes", 0, 60),
}
REQUIRED = ("room", "title", "start", "duration_minutes", "capacity")
DEFAULTS: dict[str, Any] = {"description": "", "facilitators": [], "time_zone": "UTC", "recurrence": None,
                            "confidential": False, "listeners_allowed": True, "lobby_minutes": 10}
EDITABLE = frozenset(FIELDS) - {"room", "recurrence", "time_zone"}


def check_schedule_fields(body: dict[str, Any], *, creating: bool) -> dict[str, Any]:
    """Validate every field given; when creating, require the essentials and fill in defaults."""
    allowed = FIELDS.keys() if creating else EDITABLE
    unknown = sorted(k for k in body if k not in allowed)
    if unknown:
        raise _invalid(str(unknown[0])[:40], f"'{str(unknown[0])[:40]}' can't be set here.")
    if creating:
        missing = [k for k in REQUIRED if k not in body]
        if missing:
            raise _invalid(missing[0], f"'{missing[0]}' is required.")
    fields = {name: FIELDS[name](value) for name, value in body.items()}
    return {**DEFAULTS, **fields} if creating else fields


def occurrences(start: datetime, zone_name: str, rule: Recurrence | None) -> list[datetime]:
    """UTC starts of every meeting: the same local wall-clock time each week, two or month, minus skipped dates."""
    if rule is None:
        return [start]
    zone = ZoneInfo(zone_name)
    local = start.astimezone(zone).replace(tzinfo=None)
    slots: list[datetime] = []
    while len(slots) < MAX_OCCURRENCES + 1:
        slot = rule.slot(local, len(slots))
        if (rule.count is not None and len(slots) >= rule.count) or (rule.until and slot.date() > rule.until):
            break
        slots.append(slot)
    if len(slots) > MAX_OCCURRENCES:
        raise _invalid("recurrence", f"A series can have at most {MAX_OCCURRENCES} meetings.")
    dates = {s.date() for s in slots}
    stray = sorted(d for d in rule.skip if d not in dates)
    if stray:
        raise _invalid("recurrence", f"{stray[0].isoformat()} is not one of this series' meeting dates.")
    kept = [s for s in slots if s.date() not in rule.skip]
    if not kept:
        raise _invalid("recurrence", "Every meeting of this series is skipped.")
    return [s.replace(tzinfo=zone).astimezone(timezone.utc) for s in kept]
