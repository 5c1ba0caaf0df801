"""Rooms' own moderators in a real browser: an admin assigns a moderator to a room on the admin page; the
moderator's queue learns it live, marks that room's items "Your room" and filters to My rooms. Routing
itself is tested on both databases in tests/moderation/test_room_routing.py."""
from __future__ import annotations

from playwright.async_api import expect

from tests.browser.conftest import Pages
from tests.browser.test_admin_page import admin_page
from tests.moderation.factories import member, say


async def _reported(pages: Pages, room: str, text: str) -> None:
    author, _ = await member(pages.server, room=room)
    message = await say(author, text, room=room)
    reporter, _ = await member(pages.server, room=room)
    reply = await reporter.call("message:report", {"message_id": message["id"], "reason": "spam"})
    assert reply["ok"], reply


async def test_an_admin_assigns_a_moderator_whose_queue_shows_their_room_first(pages: Pages) -> None:
    mira = await pages.staff("moderator", "mira")
    await expect(mira.get_by_role("heading", name="Review queue")).to_be_visible()
    await expect(mira.locator(".my-rooms")).to_contain_text("No rooms are assigned to you")
    admin = await admin_page(pages)
    panel = admin.get_by_role("tabpanel", name="Rooms")
    card = panel.get_by_role("listitem", name="Grief & loss", exact=True)
    await expect(card).to_contain_text("Moderators: everyone's (none assigned)")
    await card.get_by_role("button", name="Moderators of Grief & loss").click()
    form = card.get_by_role("form", name="Moderators of Grief & loss")
    await form.get_by_label("mira (moderator)").check()
    await form.get_by_role("button", name="Save moderators").click()
    await expect(panel.get_by_role("status")).to_contain_text("Grief & loss is looked after by mira.")
    card = panel.get_by_role("listitem", name="Grief & loss", exact=True)
    await expect(card).to_contain_text("Moderators: mira")

    # Live on the moderator's page: their rooms, and a report from one of them marked as theirs.
    await expect(mira.locator(".my-rooms")).to_contain_text("Your rooms: grief")
    await _reported(pages, "grief", "selling cheap watches here")
    grief_item = mira.locator(".queue-item", has_text="Report · grief")
    await expect(grief_item.locator(".badge.your-room")).to_have_text("Your room")
    await expect(grief_item).to_contain_text("Only this room's moderators have been alerted so far")
    await expect(mira.locator("#announce-polite")).to_contain_text("New Report item in your room grief")
    await _reported(pages, "anxiety", "buy followers now")
    anxiety_item = mira.locator(".queue-item", has_text="Report · anxiety")
    await expect(anxiety_item).to_be_visible()
    await expect(anxiety_item.locator(".badge.your-room")).to_have_count(0)

    await mira.get_by_label("Rooms").select_option("mine")
    await expect(mira.locator(".queue-item")).to_have_count(1)
    await expect(mira.locator(".queue-item")).to_contain_text("Report · grief")
    await mira.get_by_label("Rooms").select_option("")
    await expect(mira.locator(".queue-item")).to_have_count(2)

    # Unassigned again: the page says so at once and the mark goes.
    await card.get_by_role("button", name="Moderators of Grief & loss").click()
    form = card.get_by_role("form", name="Moderators of Grief & loss")
    await form.get_by_label("mira (moderator)").uncheck()
    await form.get_by_role("button", name="Save moderators").click()
    await expect(panel.get_by_role("status")).to_contain_text("has no moderators of its own now")
    await expect(mira.locator(".my-rooms")).to_contain_text("No rooms are assigned to you")
    await expect(mira.locator(".queue-item .badge.your-room")).to_have_count(0)
    pages.assert_clean()
