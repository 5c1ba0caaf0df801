"""Slow mode in the browser: a moderator turns it on from the review page; peers see a notice and the
composer's countdown; a message sent too soon is kept, says why, and goes by itself once the wait is over."""
from __future__ import annotations

from playwright.async_api import Page, expect

from server.identity.roles import Role
from tests.admin.api import staff_token
from tests.browser.conftest import Pages
from tests.browser.test_admin_page import admin_page, open_tab


async def _say(page: Page, text: str) -> None:
    await page.get_by_label("Your message").fill(text)
    await page.get_by_role("button", name="Send").click()


async def test_a_moderator_slows_the_room_and_the_peer_sees_the_countdown(pages: Pages) -> None:
    ada = await pages.peer("Ada")
    bo = await pages.peer("Bo")
    mod = await pages.staff("moderator", "mira")
    form = mod.get_by_role("form", name="Slow mode")
    await expect(form.get_by_label("Room")).to_contain_text("Anxiety")
    await form.get_by_label("Room").select_option("anxiety")
    await expect(form).to_contain_text("Now in Anxiety: slow mode is off.")
    await form.get_by_label("One message every").select_option("5")
    await form.get_by_label("Why").select_option("pile_on")
    await form.get_by_role("button", name="Apply").click()
    await expect(form.get_by_role("status")).to_contain_text(
        "Slow mode is on in Anxiety: one message every 5 seconds")
    await expect(form).to_contain_text(
        "Now in Anxiety: slow mode is on, one message every 5 seconds, until turned off.")

    notices = ada.locator(".private-notices")
    await expect(notices).to_contain_text(
        "Slow mode is on (set by mira): everyone can send one message every 5 seconds")
    line = ada.locator("#slow-mode-line")
    await expect(line).to_have_text("Slow mode is on: one message every 5 seconds. You can send now.")
    await _say(ada, "first thoughts")
    await expect(bo.locator(".timeline .message-text")).to_have_text(["first thoughts"])
    await expect(line).to_contain_text("You can send again in")

    await _say(ada, "and one more")
    pending = ada.locator(".pending-list .message")
    await expect(pending).to_contain_text("Waiting for slow mode: it sends by itself in")
    await expect(ada.get_by_label("Your message")).to_have_value("")
    pages.server.clock.advance(6)  # the server's clock, which the test drives; the page waits in real time
    await expect(bo.locator(".timeline .message-text")).to_have_text(["first thoughts", "and one more"],
                                                                     timeout=15_000)
    await expect(pending).to_have_count(0)
    await expect(line).to_contain_text("You can send")

    await form.get_by_label("One message every").select_option("0")
    await form.get_by_label("Why").select_option("calmer")
    await form.get_by_role("button", name="Apply").click()
    await expect(notices).to_contain_text("Slow mode is off (turned off by mira): write as often as you like.")
    await expect(line).to_be_hidden()
    await _say(ada, "free again")
    await _say(ada, "and again")
    await expect(bo.locator(".timeline .message-text")).to_have_text(
        ["first thoughts", "and one more", "free again", "and again"])
    pages.assert_clean()


async def test_a_peer_who_joins_a_slow_room_is_told_at_once(pages: Pages) -> None:
    token = await staff_token(pages.server, "mo", role=Role.MODERATOR)
    mod = await pages.server.connect(token)
    assert (await mod.call("room:slow_mode", {"room": "anxiety", "seconds": 60, "reason": "heated"}))["ok"]
    ada = await pages.peer("Ada")
    await expect(ada.locator("#slow-mode-line")).to_have_text(
        "Slow mode is on: one message every 60 seconds. You can send now.")
    await expect(ada.locator(".private-notices")).to_contain_text("Slow mode is on")

    # The admin's moderation log says who changed it, where, to what and why.
    admin = await admin_page(pages)
    panel = await open_tab(admin, "Moderation log")
    await panel.get_by_label("What").select_option("room.slow_mode")
    await panel.get_by_role("button", name="Show").click()
    entry = panel.get_by_role("list", name="Moderation log, newest first").get_by_role("listitem")
    await expect(entry).to_have_count(1)
    for words in ("Changed a room's slow mode", "mo, moderator", "Anxiety", "On: one message every 60 s",
                  "reason: heated."):
        await expect(entry).to_contain_text(words)
    pages.assert_clean()
