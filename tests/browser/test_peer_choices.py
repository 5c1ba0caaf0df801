"""Peers' own choices in a real browser: crisis lines for where they are, rooms for their age group, and
taking back what they wrote (one message, or the whole account)."""
from __future__ import annotations

import re

import pytest
import socketio
from playwright.async_api import Page, expect

from tests.admin.api import call, staff_token
from tests.browser.conftest import Pages

TEEN_ROOM = {"slug": "teen-talk", "name": "Teen talk", "description": "For people under 18.",
             "agreement": "Be kind. No contact details.", "capacity": 20, "listeners_allowed": True,
             "age_band": "teens"}
DELETE_MINE = re.compile("^Delete this message you sent")
AGE_ANSWERS = ("Under 18", "18 to 59", "60 or over")
OLDER_ROOM = {**TEEN_ROOM, "slug": "later-life", "name": "Later life", "description": "For people 60 or over.",
              "age_band": "older"}


async def join(page: Page, name: str, *, under_18: bool = False, heading: str = "Anxiety") -> Page:
    await page.get_by_label("Choose a name for today").fill(name)
    await page.get_by_role("radio", name="Under 18" if under_18 else "18 to 59").check()
    await page.get_by_label("I have read the group agreement").check()
    await page.get_by_role("button", name="Join the room").click()
    await page.get_by_role("heading", name=heading).wait_for()
    await page.locator(".room-head .meta").filter(has_text="You are").wait_for()
    return page


async def peer(pages: Pages, name: str, *, room: str = "anxiety", locale: str | None = None) -> Page:
    return await join(await pages.open(f"/#/join/{room}", locale=locale), name)


async def say(page: Page, text: str) -> None:
    await page.get_by_label("Your message").fill(text)
    await page.get_by_role("button", name="Send").click()


async def test_a_uk_browser_gets_uk_crisis_lines(pages: Pages) -> None:
    assert await (await pages.open("/", locale="en-GB")).evaluate("navigator.language") == "en-GB"
    ada = await peer(pages, "Ada", locale="en-GB")
    await say(ada, "I want to end my life")
    panel = ada.locator(".private-notices .crisis-panel")
    await expect(panel).to_contain_text("Samaritans")
    await expect(panel).to_contain_text("116 123")
    await expect(panel).not_to_contain_text("988")
    # "I need help now" answers with the same region's lines.
    await ada.get_by_role("button", name="I need help now").click()
    await expect(ada.locator(".private-notices .crisis-panel").last).to_contain_text("Samaritans")
    # A US browser still gets 988.
    bo = await peer(pages, "Bo", locale="en-US")
    await say(bo, "I want to end my life")
    await expect(bo.locator(".private-notices .crisis-panel")).to_contain_text("988")
    pages.assert_clean()


async def test_the_age_question_must_be_answered(pages: Pages) -> None:
    page = await pages.open("/#/join/anxiety", width=360)
    await page.get_by_label("Choose a name for today").fill("Cal")
    await page.get_by_label("I have read the group agreement").check()
    for option in AGE_ANSWERS:
        assert not await page.get_by_role("radio", name=option).is_checked()
    await page.get_by_role("button", name="Join the room").click()
    await expect(page.get_by_role("alert")).to_contain_text("tell us your age group")
    await expect(page.get_by_role("radio", name="Under 18")).to_be_focused()
    assert await page.evaluate("sessionStorage.getItem('peerchat.session')") is None
    assert await page.evaluate("document.documentElement.scrollWidth") <= 360
    pages.assert_clean()


async def test_a_teen_sees_only_teen_rooms(pages: Pages) -> None:
    token = await staff_token(pages.server)
    status, body = await call(pages.server, "POST", "/api/rooms", TEEN_ROOM, token)
    assert status == 201 and body["room"]["age_band"] == "teens", body

    # Not signed in: the public directory is adults', and says where under-18s go.
    page = await pages.open("/#/rooms")
    await expect(page.get_by_role("heading", name="Anxiety")).to_be_visible()
    await expect(page.get_by_role("heading", name="Teen talk")).to_have_count(0)

    # Opening an adult room and answering "under 18" leads to the teen rooms, not into the room.
    await page.goto(pages.server.url + "/#/join/anxiety")
    await page.get_by_label("Choose a name for today").fill("Tia")
    await page.get_by_role("radio", name="Under 18").check()
    await page.get_by_label("I have read the group agreement").check()
    await page.get_by_role("button", name="Join the room").click()
    await expect(page.get_by_role("heading", name="Rooms", exact=True)).to_be_visible()
    await expect(page.get_by_text("Anxiety is a room for adults")).to_be_visible()
    await expect(page.get_by_role("heading", name="Teen talk")).to_be_visible()
    await expect(page.locator(".room-card")).to_have_count(1)
    session = await page.evaluate("JSON.parse(sessionStorage.getItem('peerchat.session'))")
    assert session["user"]["age_band"] == "teens"

    # An adult room by its address: not found, and the server refuses it too.
    await page.goto(pages.server.url + "/#/join/anxiety")
    await expect(page.get_by_role("heading", name="Room not found")).to_be_visible()
    client = await pages.server.connect(session["token"])
    assert (await client.call("room:join", {"room": "anxiety", "accept_agreement": True}))["error"]["code"] == \
        "not_found"

    # The teen room works.
    await page.goto(pages.server.url + "/#/rooms")
    await page.get_by_role("link", name="Join Teen talk").click()
    await page.get_by_label("I have read the group agreement").check()
    await page.get_by_role("button", name="Join the room").click()
    await expect(page.get_by_role("heading", name="Teen talk")).to_be_visible()
    await expect(page.locator(".room-head .meta")).to_contain_text("You are taking part as Tia")

    # The other way in: "Choose a name to see them" from the directory.
    other = await pages.open("/#/rooms", width=360)
    await other.get_by_role("link", name="Choose a name to see them").click()
    await other.get_by_label("Choose a name for today").fill("Max")
    await other.get_by_role("radio", name="Under 18").check()
    await other.get_by_role("button", name="Show me the rooms").click()
    await expect(other.get_by_role("heading", name="Teen talk")).to_be_visible()
    await expect(other.get_by_role("heading", name="Anxiety")).to_have_count(0)
    assert await other.evaluate("document.documentElement.scrollWidth") <= 360
    pages.assert_clean()


async def _start(pages: Pages, answer: str, name: str) -> Page:
    page = await pages.open("/#/start")
    await page.get_by_label("Choose a name for today").fill(name)
    await page.get_by_role("radio", name=answer).check()
    await page.get_by_role("button", name="Show me the rooms").click()
    await expect(page.get_by_role("heading", name="Rooms", exact=True)).to_be_visible()
    return page


async def _band(page: Page) -> str:
    return str(await page.evaluate("JSON.parse(sessionStorage.getItem('peerchat.session')).user.age_band"))


async def _join_from_form(page: Page, name: str) -> None:
    await page.get_by_label("I have read the group agreement").check()
    await page.get_by_role("button", name="Join the room").click()
    await expect(page.get_by_role("heading", name=name)).to_be_visible()
    await expect(page.locator(".room-head .meta")).to_contain_text("You are taking part as")


async def test_one_age_question_with_three_answers_leads_to_each_groups_rooms(pages: Pages) -> None:
    token = await staff_token(pages.server)
    for room in (TEEN_ROOM, OLDER_ROOM):
        assert (await call(pages.server, "POST", "/api/rooms", room, token))[0] == 201

    # One question, three answers, none chosen in advance, on a small screen.
    page = await pages.open("/#/start", width=360)
    question = page.get_by_role("group", name="How old are you?")
    await expect(question.get_by_role("radio")).to_have_count(3)
    for answer in AGE_ANSWERS:
        assert not await question.get_by_role("radio", name=answer).is_checked()
    await expect(question).to_contain_text("People 60 or over have some rooms of their own")
    assert await page.evaluate("document.documentElement.scrollWidth") <= 360

    # 60 or over: the adult rooms and the rooms kept for them, and they join both.
    await page.get_by_label("Choose a name for today").fill("Maud")
    await question.get_by_role("radio", name="60 or over").check()
    await page.get_by_role("button", name="Show me the rooms").click()
    await expect(page.get_by_text("Welcome. These are the rooms for adults, and the rooms kept")).to_be_visible()
    for shown in ("Later life", "Anxiety"):
        await expect(page.get_by_role("heading", name=shown)).to_be_visible()
    await expect(page.get_by_role("heading", name="Teen talk")).to_have_count(0)
    await expect(page.locator(".room-card", has_text="Later life")).to_contain_text("For people 60 or over")
    assert await _band(page) == "older"
    await page.get_by_role("link", name="Join Later life").click()
    await _join_from_form(page, "Later life")
    await page.goto(pages.server.url + "/#/join/anxiety")
    await _join_from_form(page, "Anxiety")

    # 18 to 59: the adult rooms only; the older adults' room by its address is not found.
    adult = await _start(pages, "18 to 59", "Abe")
    await expect(adult.get_by_role("heading", name="Anxiety")).to_be_visible()
    for hidden in ("Later life", "Teen talk"):
        await expect(adult.get_by_role("heading", name=hidden)).to_have_count(0)
    assert await _band(adult) == "adults"
    await adult.goto(pages.server.url + "/#/join/later-life")
    await expect(adult.get_by_role("heading", name="Room not found")).to_be_visible()

    # Under 18: the teen rooms only.
    teen = await _start(pages, "Under 18", "Tia")
    await expect(teen.get_by_role("heading", name="Teen talk")).to_be_visible()
    for hidden in ("Later life", "Anxiety"):
        await expect(teen.get_by_role("heading", name=hidden)).to_have_count(0)
    assert await _band(teen) == "teens"

    # Not signed in, at an older adults' room's address: where to go; "60 or over" on an adult room's form
    # goes straight in (no detour to the rooms list).
    visitor = await pages.open("/#/join/later-life")
    await expect(visitor.get_by_role("heading", name="Room not found")).to_be_visible()
    await visitor.get_by_role("link", name="choose a name and your age group").click()
    await expect(visitor.get_by_role("heading", name="Choose a name")).to_be_visible()
    await visitor.goto(pages.server.url + "/#/join/anxiety")
    await visitor.get_by_label("Choose a name for today").fill("Olive")
    await visitor.get_by_role("radio", name="60 or over").check()
    await _join_from_form(visitor, "Anxiety")
    assert await _band(visitor) == "older"
    pages.assert_clean()


async def test_a_peer_deletes_one_of_their_messages(pages: Pages) -> None:
    ada = await peer(pages, "Ada")
    bo = await peer(pages, "Bo")
    await say(ada, "I said too much just now")
    await say(ada, "Thanks for listening")
    for page in (ada, bo):
        await expect(page.locator(".timeline .message-text", has_text="Thanks for listening")).to_be_visible()
    # Only the author has Delete; Bo has Report.
    await expect(bo.get_by_role("button", name=DELETE_MINE)).to_have_count(0)

    first = ada.locator(".timeline .message", has_text="I said too much just now")
    # By keyboard: Delete, then the question; "No, keep it" (focused first) changes nothing.
    await first.get_by_role("button", name=DELETE_MINE).focus()
    await ada.keyboard.press("Enter")
    await expect(first.get_by_text("Delete this message for everyone?")).to_be_visible()
    await expect(first.get_by_role("button", name="No, keep it")).to_be_focused()
    await ada.keyboard.press("Escape")
    await expect(first.get_by_role("button", name=DELETE_MINE)).to_be_focused()
    await ada.keyboard.press("Enter")
    await ada.keyboard.press("Shift+Tab")
    await expect(first.get_by_role("button", name="Yes, delete it")).to_be_focused()
    await ada.keyboard.press("Enter")

    await expect(ada.locator(".timeline .message.deleted")).to_have_text(re.compile("You deleted this message"))
    await expect(bo.locator(".timeline .message.deleted")).to_have_text(re.compile("Message deleted"))
    for page in (ada, bo):
        await expect(page.locator(".timeline", has_text="I said too much just now")).to_have_count(0)
        await expect(page.locator(".timeline .message-text", has_text="Thanks for listening")).to_be_visible()
    # A newcomer's history shows the placeholder, never the text.
    cy = await peer(pages, "Cy")
    await expect(cy.locator(".timeline .message.deleted")).to_have_text(re.compile("Message deleted"))
    await expect(cy.locator(".timeline", has_text="I said too much just now")).to_have_count(0)
    pages.assert_clean()


async def test_a_peer_deletes_their_account_and_everything_they_wrote(pages: Pages) -> None:
    ada = await peer(pages, "Ada")
    bo = await peer(pages, "Bo")
    await say(ada, "my first message")
    await say(ada, "my second message")
    await say(bo, "hello Ada")
    for text in ("my first message", "my second message"):
        await expect(bo.locator(".timeline .message-text", has_text=text)).to_be_visible()
    token = (await ada.evaluate("JSON.parse(sessionStorage.getItem('peerchat.session'))"))["token"]

    await ada.get_by_role("link", name="Rooms", exact=True).click()
    account = ada.get_by_role("region", name="Your name and messages")
    await expect(account).to_contain_text("You're here as Ada")
    await account.get_by_role("button", name="Delete my account and messages").click()
    await expect(account.get_by_role("button", name="No, keep them")).to_be_focused()
    await account.get_by_role("button", name="No, keep them").click()
    await account.get_by_role("button", name="Delete my account and messages").click()
    await account.get_by_role("button", name="Yes, delete everything").click()

    gone = ada.locator("main").get_by_text("Your account and all your messages have been deleted")
    await expect(gone).to_be_visible()
    await expect(ada.get_by_role("heading", name="You don't have to go through it alone")).to_be_visible()
    await expect(ada.get_by_role("button", name="Sign out")).to_be_hidden()
    assert await ada.evaluate("sessionStorage.getItem('peerchat.session')") is None

    for text in ("my first message", "my second message"):
        await expect(bo.locator(".timeline", has_text=text)).to_have_count(0)
    await expect(bo.locator(".timeline .message.deleted")).to_have_count(2)
    await expect(bo.locator(".timeline .message-text", has_text="hello Ada")).to_be_visible()
    await expect(bo.locator(".member-name", has_text="Ada")).to_have_count(0)

    # The old session is over: it cannot connect to send, nor use the HTTP API.
    with pytest.raises(socketio.exceptions.ConnectionError):
        await pages.server.connect(token)
    status, _ = await call(pages.server, "POST", "/api/logout", None, token)
    assert status == 401
    pages.assert_clean()
