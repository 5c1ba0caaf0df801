"""Scheduling on the facilitator's page in a real browser: a one-off session and a weekly series across a
change of the clocks, errors shown beside their fields with nothing typed lost, changing one meeting, and
cancelling one meeting and the rest of a series. The server paths are tested in tests/rooms/."""
from __future__ import annotations

import calendar
from datetime import date, datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

from playwright.async_api import Locator, Page, expect

from server.identity.roles import Role
from tests.admin.api import call, staff_token
from tests.browser.conftest import Pages
from tests.harness import RunningServer

LONDON = ZoneInfo("Europe/London")


def last_sunday(year: int, month: int) -> date:
    last = date(year, month, calendar.monthrange(year, month)[1])
    return last - timedelta(days=(last.weekday() - 6) % 7)


def next_year(server: RunningServer) -> int:
    return datetime.fromtimestamp(server.clock.now(), tz=timezone.utc).year + 1


def utc(day: date, clock: str, zone: ZoneInfo) -> str:
    """The API's spelling of the instant a clock in `zone` shows `clock` on `day`."""
    local = datetime.combine(day, datetime.strptime(clock, "%H:%M").time(), tzinfo=zone)
    return local.astimezone(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


async def token_of(page: Page) -> str:
    return str(await page.evaluate("JSON.parse(sessionStorage.getItem('peerchat.session')).token"))


async def listed(server: RunningServer, token: str) -> list[dict[str, Any]]:
    status, body = await call(server, "GET", "/api/sessions", None, token)
    assert status == 200, body
    return list(body["sessions"])


async def schedule_form(page: Page) -> Locator:
    await expect(page.get_by_role("heading", name="Your sessions")).to_be_visible()
    await page.get_by_text("Schedule a session").click()
    form = page.get_by_role("form", name="Schedule a session")
    await expect(form.get_by_label("Room", exact=True)).to_be_visible()
    return form


async def fill_when(form: Locator, day: date, clock: str, zone: str | None = None) -> None:
    await form.get_by_label("Date", exact=True).fill(day.isoformat())
    await form.get_by_label("Start time").fill(clock)
    if zone is not None:
        await form.get_by_label("Time zone").fill(zone)


async def test_a_facilitator_schedules_a_session_and_a_weekly_series_across_the_clocks_changing(pages: Pages) -> None:
    server = pages.server
    await staff_token(server, "sam", role=Role.FACILITATOR)
    fern = await pages.staff("facilitator", "fern", timezone_id="Europe/London")
    form = await schedule_form(fern)
    await expect(form.get_by_label("Time zone")).to_have_value("Europe/London")  # the browser's own
    summer = date(next_year(server), 7, 9)
    await form.get_by_label("Room", exact=True).select_option(label="Grief & loss")
    await form.get_by_label("Title", exact=True).fill("Evening circle")
    await form.get_by_label("Description", exact=True).fill("Check-in, a topic, a closing round.")
    await fill_when(form, summer, "19:00")
    await expect(form.locator(".when-preview")).to_contain_text("Europe/London time (UTC+01:00)")
    await form.get_by_label("Length (minutes)").fill("90")
    await form.get_by_label("Places (capacity)").fill("8")
    await form.get_by_label("Lobby opens (minutes before)").fill("15")
    await form.get_by_label("Listeners allowed").uncheck()
    await form.get_by_label("Confidential").check()
    await expect(form).to_contain_text("The transcript is deleted when the session ends")
    await form.get_by_label("Co-facilitators (usernames)").fill("sam")
    await form.get_by_role("button", name="Schedule", exact=True).click()
    await expect(fern.get_by_role("status").filter(has_text="Scheduled Evening circle for")).to_be_visible()
    card = fern.get_by_role("listitem", name="Evening circle")
    await expect(card).to_contain_text("0 of 8 places")
    await expect(card).to_contain_text("confidential")
    await expect(form.get_by_label("Title", exact=True)).to_have_value("")  # ready for the next one
    token = await token_of(fern)
    [one] = await listed(server, token)
    assert one["start"] == utc(summer, "19:00", LONDON) == f"{summer.isoformat()}T18:00:00.000Z"
    assert (one["room"], one["time_zone"], one["duration_minutes"], one["capacity"], one["lobby_minutes"]) == (
        "grief", "Europe/London", 90, 8, 15)
    assert one["confidential"] is True and one["listeners_allowed"] is False and one["recurrence"] is None
    assert sorted(f["pseudonym"] for f in one["facilitators"]) == ["fern", "sam"]

    # Ten days before British Summer Time starts, weekly at 7 pm: the third meeting is an hour earlier in UTC.
    first = last_sunday(next_year(server), 3) - timedelta(days=10)
    await form.get_by_label("Title", exact=True).fill("Thursday circle")
    await fill_when(form, first, "19:00")
    await expect(form.locator(".when-preview")).to_contain_text("(UTC+00:00)")
    await form.get_by_role("radio", name="Every week", exact=True).check()
    await form.get_by_label("Number of meetings", exact=True).fill("3")
    await form.get_by_role("button", name="Schedule", exact=True).click()
    await expect(fern.get_by_role("status").filter(has_text="Scheduled 3 meetings of Thursday circle")).to_be_visible()
    await expect(fern.get_by_role("listitem", name="Thursday circle")).to_have_count(3)
    await expect(fern.locator(".session-list > li")).to_have_count(4)
    series = [s for s in await listed(server, token) if s["title"] == "Thursday circle"]
    assert [s["start"] for s in series] == [utc(first + timedelta(weeks=n), "19:00", LONDON) for n in range(3)]
    assert [s["start"][11:13] for s in series] == ["19", "19", "18"]
    assert len({s["series"] for s in series}) == 1 and series[0]["recurrence"]["frequency"] == "weekly"
    pages.assert_clean()


async def test_the_start_takes_the_offset_of_its_own_day_in_the_chosen_zone(pages: Pages) -> None:
    year = next_year(pages.server)
    fern = await pages.staff("facilitator", "fern", timezone_id="America/New_York")
    form = await schedule_form(fern)
    await expect(form.get_by_label("Time zone")).to_have_value("America/New_York")
    preview = form.locator(".when-preview")
    for day, clock, zone, offset in [
        (date(year, 7, 9), "09:15", "America/New_York", "UTC-04:00"),
        (date(year, 1, 9), "09:15", "America/New_York", "UTC-05:00"),
        (date(year, 1, 9), "09:15", "Australia/Sydney", "UTC+11:00"),  # summer in the south
        (date(year, 7, 9), "09:15", "Australia/Sydney", "UTC+10:00"),
        (date(year, 7, 9), "09:15", "Asia/Kolkata", "UTC+05:30"),
        (last_sunday(year, 10), "01:30", "europe/london", "UTC+01:00"),  # shown twice that night: the first
    ]:
        await fill_when(form, day, clock, zone)
        await expect(preview).to_contain_text(f"({offset})")
    await fill_when(form, last_sunday(year, 3), "01:30", "Europe/London")
    await expect(preview).to_contain_text("The clocks go forward at that time in Europe/London")
    pages.assert_clean()


async def test_errors_show_beside_their_fields_and_the_form_keeps_what_was_typed(pages: Pages) -> None:
    server = pages.server
    fern = await pages.staff("facilitator", "fern", timezone_id="Europe/London")
    form = await schedule_form(fern)
    today = datetime.fromtimestamp(server.clock.now(), tz=LONDON).date()
    await form.get_by_label("Title", exact=True).fill("Morning check-in")
    await form.get_by_label("Description", exact=True).fill("A gentle start.")
    await form.get_by_label("Places (capacity)").fill("6")
    date_input = form.get_by_label("Date", exact=True)

    async def field_error(control: Locator, text: str) -> None:
        """The sentence is under the field, tied to it, the field is marked and has the focus."""
        error = form.locator(".field-error", has_text=text)
        await expect(error).to_be_visible()
        error_id = await error.get_attribute("id")
        assert error_id in ((await control.get_attribute("aria-describedby")) or "").split()
        await expect(control).to_have_attribute("aria-invalid", "true")
        await expect(control).to_be_focused()

    await form.get_by_role("button", name="Schedule", exact=True).click()
    await field_error(date_input, "Choose the date and the start time.")
    await fill_when(form, today - timedelta(days=1), "19:00")
    await form.get_by_role("button", name="Schedule", exact=True).click()
    await field_error(date_input, "The start is in the past")  # the server's sentence, under When

    await fill_when(form, today + timedelta(days=2), "10:00")
    await form.get_by_label("Places (capacity)").fill("0")
    await form.get_by_role("button", name="Schedule", exact=True).click()
    await field_error(form.get_by_label("Places (capacity)"), "'capacity' must be a whole number from 1 to 500")
    await expect(form.locator(".field-error", has_text="The start is in the past")).to_have_count(0)
    await expect(date_input).not_to_have_attribute("aria-invalid", "true")

    await form.get_by_label("Places (capacity)").fill("6")
    await form.get_by_label("Co-facilitators (usernames)").fill("nobody")
    await form.get_by_role("button", name="Schedule", exact=True).click()
    await field_error(form.get_by_label("Co-facilitators (usernames)"), "There is no active facilitator called nobody")

    await form.get_by_label("Co-facilitators (usernames)").fill("")
    await form.get_by_label("Time zone").fill("Mars/Olympus")
    await form.get_by_role("button", name="Schedule", exact=True).click()
    await field_error(form.get_by_label("Time zone"), "Unknown time zone")

    await form.get_by_label("Time zone").fill("Europe/London")
    await form.get_by_role("radio", name="Every two weeks").check()
    await form.get_by_label("Number of meetings", exact=True).fill("60")
    await form.get_by_role("button", name="Schedule", exact=True).click()
    await field_error(form.get_by_label("Number of meetings", exact=True), "'recurrence' must be a whole number")

    # Nothing typed was lost on the way, and nothing was scheduled until it was right.
    assert await listed(server, await token_of(fern)) == []
    await expect(form.get_by_label("Title", exact=True)).to_have_value("Morning check-in")
    await expect(form.get_by_label("Description", exact=True)).to_have_value("A gentle start.")
    await expect(date_input).to_have_value((today + timedelta(days=2)).isoformat())
    await form.get_by_role("radio", name="Does not repeat").check()
    await form.get_by_role("button", name="Schedule", exact=True).click()
    await expect(fern.get_by_role("listitem", name="Morning check-in")).to_contain_text("0 of 6 places")
    await expect(form.locator(".field-error:not(:empty)")).to_have_count(0)
    pages.assert_clean()


async def test_a_facilitator_changes_one_meeting_and_cancels_one_and_the_rest_of_a_series(pages: Pages) -> None:
    server = pages.server
    admin = await staff_token(server, "root")
    await staff_token(server, "olga", role=Role.FACILITATOR)
    fern = await pages.staff("facilitator", "fern", timezone_id="UTC")
    await expect(fern.get_by_text("No sessions are scheduled for you.")).to_be_visible()
    token = await token_of(fern)
    day = datetime.fromtimestamp(server.clock.now(), tz=timezone.utc).date() + timedelta(days=2)
    status, made = await call(server, "POST", "/api/sessions", {
        "room": "anxiety", "title": "Morning check-in", "start": f"{day}T10:00:00+00:00", "duration_minutes": 45,
        "capacity": 10}, token)
    assert status == 201, made
    one = made["sessions"][0]
    status, made = await call(server, "POST", "/api/sessions", {
        "room": "grief", "title": "Weekly circle", "start": f"{day}T18:00:00+00:00", "duration_minutes": 60,
        "capacity": 10, "recurrence": {"frequency": "weekly", "count": 3}}, token)
    assert status == 201, made
    series = made["sessions"]
    # The last meeting of the series is handed to olga: fern can't cancel it.
    status, handed = await call(server, "PATCH", f"/api/sessions/{series[2]['id']}", {"facilitators": ["olga"]}, admin)
    assert status == 200, handed
    await fern.reload()
    await expect(fern.locator(".session-list > li")).to_have_count(3)

    card = fern.get_by_role("listitem", name="Morning check-in")
    await card.get_by_role("button", name="Edit Morning check-in").click()
    edit = card.get_by_role("form", name="Edit Morning check-in")
    await expect(edit.get_by_label("Start time")).to_have_value("10:00")
    await expect(edit.get_by_label("Time zone")).to_have_value("UTC")
    await edit.get_by_label("Title", exact=True).fill("Morning check-in, later")
    await edit.get_by_label("Start time").fill("11:30")
    await edit.get_by_label("Places (capacity)").fill("0")
    await edit.get_by_role("button", name="Save changes").click()
    error = edit.locator(".field-error", has_text="'capacity' must be a whole number")
    await expect(error).to_be_visible()
    await expect(edit.get_by_label("Places (capacity)")).to_be_focused()
    await expect(edit.get_by_label("Title", exact=True)).to_have_value("Morning check-in, later")
    await edit.get_by_label("Places (capacity)").fill("6")
    await edit.get_by_role("button", name="Save changes").click()
    await expect(fern.get_by_role("status").filter(has_text="Saved Morning check-in, later")).to_be_focused()
    card = fern.get_by_role("listitem", name="Morning check-in, later")
    await expect(card).to_contain_text("0 of 6 places")
    saved = (await call(server, "GET", f"/api/sessions/{one['id']}", None, token))[1]["session"]
    assert (saved["title"], saved["start"], saved["capacity"]) == (
        "Morning check-in, later", f"{day}T11:30:00.000Z", 6)
    assert saved["duration_minutes"] == 45, "what wasn't changed stays as it was"

    await card.get_by_role("button", name="Cancel Morning check-in, later").click()
    await expect(card.get_by_role("group")).to_contain_text("Peers see it as cancelled.")
    await expect(card.get_by_role("button", name="Keep it")).to_be_focused()  # the safe answer first
    await fern.keyboard.press("Escape")
    await expect(card.get_by_role("button", name="Cancel Morning check-in, later")).to_be_focused()
    await card.get_by_role("button", name="Cancel Morning check-in, later").click()
    await card.get_by_role("button", name="Yes, cancel").click()
    await expect(fern.get_by_role("status").filter(has_text="Cancelled 1 meeting of Morning check-in, later."))\
        .to_be_visible()
    await expect(fern.get_by_role("listitem", name="Morning check-in, later")).to_have_count(0)
    assert (await call(server, "GET", f"/api/sessions/{one['id']}", None, token))[1]["session"]["state"] == "cancelled"

    circle = fern.get_by_role("listitem", name="Weekly circle")
    await expect(circle).to_have_count(2)
    await expect(circle.first).to_contain_text("weekly series")
    await circle.first.get_by_role("button", name="and later meetings").click()
    await expect(circle.first.get_by_role("group")).to_contain_text("every later meeting of its series that you lead")
    await circle.first.get_by_role("button", name="Yes, cancel").click()
    said = fern.get_by_role("status").filter(has_text="Cancelled 2 meetings of Weekly circle.")
    await expect(said).to_contain_text("1 later meeting of the series is led by other facilitators without you, "
                                       "so it was left as it is: ask them or an admin to cancel it.")
    await expect(said).to_be_focused()
    await expect(circle).to_have_count(0)
    await expect(fern.get_by_text("No sessions are scheduled for you.")).to_be_visible()
    states = [(await call(server, "GET", f"/api/sessions/{s['id']}", None, admin))[1]["session"]["state"]
              for s in series]
    assert states == ["cancelled", "cancelled", "scheduled"]
    pages.assert_clean()
