"""A room changing under a peer's feet: a new group agreement to accept without losing what they wrote,
and a held message whose review ends, which the page then says."""
from __future__ import annotations

from playwright.async_api import Page, expect

from server.identity.roles import Role
from tests.admin.api import call, staff_token
from tests.browser.conftest import Pages
from tests.rooms.sessionkit import iso_in


async def _say(page: Page, text: str) -> None:
    await page.get_by_label("Your message").fill(text)
    await page.get_by_role("button", name="Send").click()


async def test_a_new_agreement_is_accepted_in_the_room_and_the_message_still_goes(pages: Pages) -> None:
    token = await staff_token(pages.server)
    ada = await pages.peer("Ada")
    bo = await pages.peer("Bo")
    status, _ = await call(pages.server, "PUT", "/api/rooms/anxiety/agreement", {"agreement": "New: be gentle."},
                           token)
    assert status == 200
    prompt = ada.get_by_role("region", name="This room's group agreement has changed")
    await expect(prompt).to_contain_text("New: be gentle.")
    await _say(ada, "written before accepting")
    await expect(ada.locator(".pending-list .message")).to_contain_text("Not sent")
    await prompt.get_by_role("button", name="I accept the new agreement").click()
    await expect(prompt).to_be_hidden()
    await expect(bo.locator(".timeline .message-text")).to_have_text(["written before accepting"])
    await expect(ada.locator(".timeline .message-text")).to_have_text(["written before accepting"])
    await expect(ada.locator(".pending-list .message")).to_have_count(0)
    pages.assert_clean()


async def test_a_held_message_that_is_not_approved_says_so_on_the_page(pages: Pages) -> None:
    ada = await pages.peer("Ada")
    mod = await pages.server.connect(await staff_token(pages.server, "mira", role=Role.MODERATOR))
    assert (await mod.call("mod:subscribe", {}))["ok"]
    for _ in range(3):  # the third copy in five minutes is held for a moderator
        await _say(ada, "same words again")
    held = ada.locator(".pending-list .message.held")
    await expect(held).to_contain_text("Waiting for a moderator")
    flag = await mod.wait_for("flag:new", lambda e: e["item"]["kind"] == "flood")
    item = flag["item"]
    claimed = await mod.call("mod:claim", {"item_id": item["id"], "version": item["version"]})
    resolved = await mod.call("mod:resolve", {"item_id": item["id"], "version": claimed["item"]["version"],
                                              "outcome": "no_action"})
    assert resolved["ok"] and resolved["declined"]["room"] == "anxiety", resolved
    await expect(ada.locator(".pending-list .message.declined")).to_contain_text("Not posted after review")
    await expect(ada.locator(".private-notices")).to_contain_text("won't be posted")
    pages.assert_clean()


async def test_a_coming_session_says_who_leads_it_and_takes_an_rsvp(pages: Pages) -> None:
    server = pages.server
    fran = await staff_token(server, "fran", role=Role.FACILITATOR)
    status, body = await call(server, "POST", "/api/sessions", {
        "room": "anxiety", "title": "Evening circle", "description": "Check-in, a topic, a closing round.",
        "start": iso_in(server, 7200), "duration_minutes": 60, "capacity": 10}, fran)
    assert status == 201, body
    session_id = body["sessions"][0]["id"]
    directory = await pages.open("/#/rooms")
    card = directory.get_by_role("listitem", name="Anxiety", exact=True)
    await expect(card).to_contain_text("Next session: Evening circle")
    await expect(card).to_contain_text("led by fran")
    ada = await pages.peer("Ada")
    panel = ada.locator(".session-panel")
    await expect(panel.get_by_role("heading", level=2)).to_have_text("Evening circle")
    await expect(panel).to_contain_text("Led by fran")
    await expect(panel).to_contain_text("Check-in, a topic, a closing round.")
    await panel.get_by_role("button", name="I plan to come").click()
    await expect(panel.get_by_role("button", name="You plan to come (change)")).to_have_attribute(
        "aria-pressed", "true")
    assert (await call(server, "GET", f"/api/sessions/{session_id}", None, fran))[1]["session"]["rsvps"] == 1
    # The button shows what the server knows, not what this page remembers: a reload keeps it.
    await ada.reload()
    await expect(panel.get_by_role("heading", level=2)).to_have_text("Evening circle")
    await expect(panel.get_by_role("button", name="You plan to come (change)")).to_have_attribute(
        "aria-pressed", "true")
    await panel.get_by_role("button", name="You plan to come (change)").click()
    await expect(panel.get_by_role("button", name="I plan to come")).to_have_attribute("aria-pressed", "false")
    assert (await call(server, "GET", f"/api/sessions/{session_id}", None, fran))[1]["session"]["rsvps"] == 0
    await ada.reload()
    await expect(panel.get_by_role("heading", level=2)).to_have_text("Evening circle")
    await expect(panel.get_by_role("button", name="I plan to come")).to_have_attribute("aria-pressed", "false")
    pages.assert_clean()
