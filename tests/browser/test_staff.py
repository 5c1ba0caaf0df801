"""Moderators and facilitators in a real browser, against the real review queue and live sessions."""
from __future__ import annotations

import re

from playwright.async_api import Page, WebSocketRoute, expect

from tests.admin.api import call, staff_token
from tests.browser.conftest import Pages, screenshot
from tests.harness import Client
from tests.moderation.factories import member, staff
from tests.moderation.factories import say as send
from tests.rooms.sessionkit import iso_in

XSS = "<img src=x onerror=alert(1)>"


class DeafLine:
    """Proxies a page's WebSocket, and can stop passing on one server push (so the page acts on stale state)."""

    def __init__(self, event: str) -> None:
        self.marker = f'"{event}"'
        self.deaf = False

    def route(self, ws: WebSocketRoute) -> None:
        server = ws.connect_to_server()
        server.on_message(lambda frame: None if self.deaf and self.marker in str(frame) else ws.send(frame))


async def say(page: Page, text: str) -> None:
    await page.get_by_label("Your message").fill(text)
    await page.get_by_role("button", name="Send").click()


async def test_staff_sign_in_opens_their_views(pages: Pages) -> None:
    mod = await pages.staff("moderator", "mira")
    await expect(mod.get_by_role("heading", name="Review queue")).to_be_visible()
    await expect(mod.get_by_role("button", name="Sound on")).to_have_attribute("aria-pressed", "true")
    await mod.get_by_role("button", name="Sound on").click()
    await expect(mod.get_by_role("button", name="Sound off")).to_have_attribute("aria-pressed", "false")
    await expect(mod.get_by_text("Nothing is waiting")).to_be_visible()
    fac = await pages.staff("facilitator", "fern")
    await expect(fac.get_by_role("heading", name="Your sessions")).to_be_visible()
    await expect(fac.get_by_text("No sessions are scheduled for you.")).to_be_visible()
    bad = await pages.open("/#/staff")
    await bad.get_by_label("Username").fill("mira")
    await bad.get_by_label("Password").fill("wrong password here")
    await bad.get_by_role("button", name="Sign in").click()
    await expect(bad.get_by_role("alert")).to_contain_text("don't match")
    pages.assert_clean()


async def test_signing_out_revokes_the_token_and_closes_the_staff_views(pages: Pages) -> None:
    mod = await pages.staff("moderator", "mira")
    await expect(mod.get_by_text("Nothing is waiting")).to_be_visible()
    token = await mod.evaluate("JSON.parse(sessionStorage.getItem('peerchat.session')).token")
    await mod.get_by_role("button", name="Sign out").click()
    await expect(mod.get_by_text("You're signed out, in every tab and on every device you used.")).to_be_visible()
    await expect(mod.get_by_label("Username")).to_be_visible()
    await expect(mod.get_by_role("button", name="Sign out")).to_be_hidden()
    assert await mod.evaluate("sessionStorage.getItem('peerchat.session')") is None
    status, body = await pages.server.post("/api/logout", None, headers={"Authorization": f"Bearer {token}"})
    assert status == 401 and body["error"]["code"] == "unauthorized"
    await mod.goto(pages.server.url + "/#/moderate")
    await expect(mod.get_by_role("heading", name="Review queue")).to_be_hidden()
    pages.assert_clean()


async def test_a_crisis_message_reaches_the_moderator_live_who_removes_another_message(pages: Pages) -> None:
    mod = await pages.staff("moderator", "mira")
    await expect(mod.get_by_text("Nothing is waiting")).to_be_visible()
    ada = await pages.peer("Ada")
    bo = await pages.peer("Bo")
    await say(bo, "buy cheap followers at my shop today")
    await expect(ada.locator(".timeline .message-text", has_text="cheap followers")).to_be_visible()
    await say(ada, "I want to kill myself tonight, I have the pills ready")
    panel = ada.locator(".crisis-panel")
    await expect(panel).to_be_visible()
    lifeline = panel.get_by_role("link", name="https://988lifeline.org")
    await expect(lifeline).to_have_attribute("href", re.compile("^https://"))

    # Seen, heard (the assertive live region) and first in the queue, in words and colour.
    await expect(mod.locator(".urgent-alert")).to_contain_text("crisis")
    await expect(mod.locator("#announce-urgent")).to_contain_text("crisis")
    first = mod.locator(".queue-item").first
    await expect(first).to_contain_text("About Ada")
    await expect(first.locator(".severity")).to_have_text("Imminent")
    assert "sev-imminent" in (await first.get_attribute("class") or "")

    await first.get_by_role("button", name="Claim").click()
    await expect(first.locator(".claim")).to_have_text("You claimed this")
    await first.get_by_role("button", name="Show context").click()
    await expect(first.locator(".context .focus")).to_contain_text("kill myself")
    await expect(first.locator(".context")).to_contain_text("cheap followers")
    await screenshot(mod, "moderator-queue")

    # Another message seen in the context: removed for good, gone from both peers' pages.
    await first.get_by_role("button", name="Remove message from Bo").click()
    for page in (ada, bo):
        await expect(page.locator(".timeline .message-text", has_text="cheap followers")).to_have_count(0)
    await expect(bo.locator(".private-notices")).to_contain_text("A moderator removed your message")
    await expect(first.locator(".context")).to_contain_text("(removed by a moderator)")

    await first.get_by_label("Outcome").select_option("actioned")
    await first.get_by_label("Note for the team (optional)").fill("Reached out; resources shown.")
    await first.get_by_role("button", name="Resolve").click()
    await expect(mod.locator(".queue-item")).to_have_count(0)
    pages.assert_clean()


async def test_a_reported_message_reaches_the_queue_and_the_moderator_warns_and_mutes(pages: Pages) -> None:
    mira = await pages.staff("moderator", "mira")
    line = DeafLine("flag:updated")
    nora = await pages.staff("moderator", "nora", ws_route=line.route)
    ada = await pages.peer("Ada")
    bo = await pages.peer("Bo")
    await say(bo, "check out my new playlist everyone")
    await ada.get_by_role("button", name="Report message from Bo").click()
    await ada.get_by_label("It is spam or advertising").check()
    await ada.get_by_role("button", name="Send report").click()
    await expect(ada.get_by_text("Thank you. A moderator will look at it soon.")).to_be_visible()
    await ada.keyboard.press("Escape")

    for page in (mira, nora):
        item = page.locator(".queue-item", has_text="About Bo")
        await expect(item).to_contain_text("Report · anxiety")
        await expect(item).to_contain_text("Signals: spam")
    # Nora misses the news that Mira claimed it: her stale claim is refused and shows who has it.
    line.deaf = True
    item = mira.locator(".queue-item", has_text="About Bo")
    await item.get_by_role("button", name="Claim").click()
    await expect(item.locator(".claim")).to_have_text("You claimed this")
    await nora.locator(".queue-item").get_by_role("button", name="Claim").click()
    await expect(nora.locator(".queue-item [role=alert]")).to_contain_text("Someone else changed this item first")
    await expect(nora.locator(".queue-item .claim")).to_have_text("Claimed by mira")
    await expect(nora.locator(".queue-item").get_by_role("button", name="Claim")).to_have_count(0)
    line.deaf = False

    await item.get_by_label("Warning to Bo").fill("Please keep adverts out of this room.")
    await item.get_by_role("button", name="Send warning").click()
    await expect(bo.locator(".private-notices")).to_contain_text("A moderator writes: Please keep adverts out")
    await item.get_by_label("Mute for").select_option("10")
    await item.get_by_role("button", name="Mute Bo").click()
    await expect(bo.locator(".private-notices [data-code=muted]")).to_contain_text("your time")
    await say(bo, "can I still talk?")
    await expect(bo.locator(".pending.failed")).to_contain_text("Not sent")
    await item.get_by_label("Outcome").select_option("no_action")
    await item.get_by_role("button", name="Resolve").click()
    for page in (mira, nora):
        await expect(page.locator(".queue-item")).to_have_count(0)
    pages.assert_clean()


async def _reported(pages: Pages, author: str, text: str) -> None:
    client, _ = await member(pages.server, pseudonym=author)
    message = await send(client, text)
    reporter, _ = await member(pages.server)
    assert (await reporter.call("message:report", {"message_id": message["id"], "reason": "spam"}))["ok"]


async def _resolve_over_socket(moderator: Client, about: str, outcome: str) -> None:
    listed = await moderator.call("mod:queue", {})
    item = next(i for i in listed["items"] if i["subject"]["pseudonym"] == about)
    claimed = await moderator.call("mod:claim", {"item_id": item["id"], "version": item["version"]})
    reply = await moderator.call("mod:resolve", {"item_id": item["id"], "version": claimed["item"]["version"],
                                                 "outcome": outcome})
    assert reply["ok"], reply


async def test_a_resolution_note_is_read_in_the_resolved_view(pages: Pages) -> None:
    mod = await pages.staff("moderator", "mira")
    await expect(mod.get_by_text("Nothing is waiting")).to_be_visible()
    await _reported(pages, "Bo", "check out my new playlist everyone")
    item = mod.locator(".queue-item", has_text="About Bo")
    await item.get_by_role("button", name="Claim").click()
    await expect(item.locator(".claim")).to_have_text("You claimed this")
    await expect(item).not_to_contain_text("null")
    await item.get_by_label("Outcome").select_option("actioned")
    note = f"Spoke to Bo, who agreed to stop {XSS}"
    await item.get_by_label("Note for the team (optional)").fill(note)
    await item.get_by_role("button", name="Resolve").click()
    await expect(mod.get_by_role("tabpanel", name="Open").locator(".queue-item")).to_have_count(0)

    # By keyboard: the arrow key moves from the Open tab to Resolved, which lists it read-only.
    open_tab, resolved_tab = mod.get_by_role("tab", name="Open"), mod.get_by_role("tab", name="Resolved")
    await expect(open_tab).to_have_attribute("aria-selected", "true")
    await open_tab.focus()
    await mod.keyboard.press("ArrowRight")
    await expect(resolved_tab).to_be_focused()
    await expect(resolved_tab).to_have_attribute("aria-selected", "true")
    panel = mod.get_by_role("tabpanel", name="Resolved")
    await expect(mod.get_by_role("tabpanel", name="Open")).to_be_hidden()
    card = panel.get_by_role("listitem").filter(has_text="About Bo")
    await expect(card.get_by_role("heading")).to_have_text("Report · anxiety")
    await expect(card).to_contain_text("Signals: spam")
    await expect(card.locator(".resolution dt")).to_have_text(["Outcome", "Resolved by", "Resolved",
                                                               "Note for the team"])
    await expect(card.locator(".resolution dd")).to_have_text(["Actioned", "mira (moderator)", re.compile(r"\d"),
                                                               note])
    await expect(card.get_by_role("button")).to_have_count(0)

    # Resolved by someone else while the view is open: it joins the list, saying no note was written.
    await _reported(pages, "Cy", "follow my channel for more")
    await expect(mod.locator("#panel-queue-open .queue-item")).to_have_count(1)  # the Open tab, hidden
    await _resolve_over_socket(await staff(pages.server, name="nora"), "Cy", "dismissed")
    other = panel.get_by_role("listitem").filter(has_text="About Cy")
    await expect(other.locator(".resolution dd")).to_have_text(["Dismissed (not a problem)", "nora (moderator)",
                                                                re.compile(r"\d"), "none written"])
    await expect(panel.locator(".queue-item")).to_have_count(2)
    await expect(panel).not_to_contain_text("null")
    assert await mod.locator("main img").count() == 0
    pages.assert_clean()


async def test_help_request_and_a_private_support_conversation_round_trip(pages: Pages) -> None:
    mod = await pages.staff("moderator", "mira")
    await expect(mod.get_by_text("Nothing is waiting")).to_be_visible()
    ada = await pages.peer("Ada")
    await ada.get_by_role("button", name="I need help now").click()
    panel = ada.locator(".crisis-panel")
    await expect(panel).to_contain_text("The moderators have been alerted")
    await expect(panel.locator(".resource")).not_to_have_count(0)
    for href in await panel.locator("a").evaluate_all("links => links.map(a => a.getAttribute('href'))"):
        assert href.startswith(("https://", "http://", "tel:")), href

    item = mod.locator(".queue-item", has_text="About Ada")
    await expect(item).to_contain_text("Help request")
    await expect(mod.locator(".urgent-alert")).to_contain_text("Help request")
    await item.get_by_role("button", name="Claim").click()
    await item.get_by_role("button", name="Message Ada privately").click()
    mine = mod.locator(".support-panel")
    await expect(mine).to_contain_text("with Ada")
    theirs = ada.locator(".support-panel")
    await expect(theirs).to_contain_text("mira")
    await mine.get_by_label("Private reply").fill(f"Hi Ada, I'm here. Are you safe right now? {XSS}")
    await mine.get_by_role("button", name="Send privately").click()
    await expect(theirs.locator(".message-text")).to_have_text(f"Hi Ada, I'm here. Are you safe right now? {XSS}")
    await theirs.get_by_label("Private reply").fill("I'm safe, just overwhelmed tonight.")
    await theirs.get_by_role("button", name="Send privately").click()
    await expect(mine.locator(".message-text").last).to_have_text("I'm safe, just overwhelmed tonight.")
    await expect(mine.locator(".message .sender").last).to_have_text("Ada")
    await expect(theirs.locator(".message")).to_have_count(2)
    for page in (mod, ada):
        assert await page.locator("main img").count() == 0
    pages.assert_clean()


async def test_a_facilitator_runs_a_short_session_with_a_raised_hand(pages: Pages) -> None:
    server = pages.server
    fac = await pages.staff("facilitator", "fern")
    await expect(fac.get_by_role("heading", name="Your sessions")).to_be_visible()
    token = await fac.evaluate("JSON.parse(sessionStorage.getItem('peerchat.session')).token")
    title = "Thursday grief circle"
    status, body = await server.post("/api/sessions", {
        "room": "grief", "title": title, "start": iso_in(server, 60), "duration_minutes": 30, "capacity": 10},
        headers={"Authorization": f"Bearer {token}"})
    assert status == 201, body
    later, _ = await server.post("/api/sessions", {  # a title that is markup shows as text, never as markup
        "room": "grief", "title": XSS, "start": iso_in(server, 3 * 3600), "duration_minutes": 30, "capacity": 10},
        headers={"Authorization": f"Bearer {token}"})
    assert later == 201
    await fac.reload()
    await expect(fac.locator(".session-list .card").nth(1).get_by_role("heading", level=2)).to_have_text(XSS)
    card = fac.locator(".session-list .card").first
    await expect(card.get_by_role("heading", level=2)).to_have_text(title)
    await expect(card.locator(".feedback")).to_contain_text("Results appear once at least 3")
    await card.get_by_role("link", name="Open lobby and controls").click()
    await expect(fac.get_by_role("heading", name="Facilitator controls")).to_be_visible()

    peer = await pages.peer("Ada", room="grief")
    others = []
    for name in ("Cy", "Di"):  # two more attendees over plain sockets, so the feedback reaches three
        client = await server.peer(name)
        assert (await client.call("room:join", {"room": "grief", "accept_agreement": True}))["ok"]
        others.append(client)
    await fac.get_by_role("button", name="Start session").click()
    sess = peer.locator(".session-panel")
    await expect(sess).to_contain_text("Session in progress")
    await expect(sess.get_by_role("heading", level=2)).to_have_text(title)
    session_id = body["sessions"][0]["id"]
    for client in others:
        assert (await client.call("session:join", {"session": session_id}))["ok"]
    await peer.get_by_role("button", name="Join this session").click()
    await expect(sess).to_contain_text("You are in this session")

    await fac.get_by_role("button", name="Start rounds").click()
    await expect(sess).to_contain_text("rounds: only the person with the turn writes")
    await peer.get_by_role("button", name="Raise hand").click()
    await expect(peer.get_by_role("button", name="Lower hand")).to_be_visible()
    await fac.get_by_role("button", name="Give the turn to Ada").click()
    await expect(peer.locator(".turn")).to_have_text("It's your turn to speak.")
    await say(peer, "My turn: this week was hard but I'm here.")
    await expect(fac.locator(".timeline .message-text", has_text="My turn")).to_be_visible()
    await fac.get_by_label("Slow mode").select_option("30")
    await expect(sess).to_contain_text("slow mode: one message every 30 seconds")
    await fac.get_by_label("Pinned note").fill("Check-in: one word for how you feel")
    await fac.get_by_role("button", name="Pin", exact=True).click()
    await expect(sess.locator(".pinned")).to_have_text("Pinned by fern: Check-in: one word for how you feel")
    await expect(fac.get_by_role("button", name="Mute Ada in this session")).to_be_visible()
    await fac.get_by_role("button", name="Start break").click()
    await expect(sess.locator(".break-timer")).to_contain_text("On a break: back in")
    await screenshot(fac, "facilitator-console")

    await fac.get_by_role("button", name="End session").click()
    await expect(sess).to_be_hidden()
    form = peer.locator(".feedback-form")
    await form.get_by_label("4").check()
    await form.locator("fieldset", has_text="Did you feel heard?").get_by_label("Yes").check()
    await form.locator("fieldset", has_text="Did you feel safe?").get_by_label("Yes").check()
    await form.get_by_label("Anything you'd like the facilitators to know?").fill("Kind and calm, thank you.")
    await form.get_by_role("button", name="Send feedback").click()
    await expect(peer.get_by_text("Thank you. Your feedback was sent anonymously.")).to_be_visible()
    for rating, client in zip((5, 3), others):
        await client.wait_for("session:feedback_request")
        reply = await client.call("feedback:submit", {"session": session_id, "rating": rating, "heard": True,
                                                      "safe": True})
        assert reply["ok"], reply
    await fac.get_by_role("button", name="Refresh feedback results").click()
    results = fac.locator(".feedback .aggregate").first
    await expect(results).to_contain_text("This session: 3 responses")
    await expect(results).to_contain_text("Average rating 4 of 5")
    await expect(results.locator(".comments")).to_have_text("Kind and calm, thank you.")
    assert await fac.locator("main img").count() == 0
    pages.assert_clean()


async def test_a_facilitators_reason_for_a_removal_shows_on_the_moderators_item(pages: Pages) -> None:
    server = pages.server
    mod = await pages.staff("moderator", "mira")
    fac = await pages.staff("facilitator", "fern")
    await expect(fac.get_by_role("heading", name="Your sessions")).to_be_visible()
    token = await fac.evaluate("JSON.parse(sessionStorage.getItem('peerchat.session')).token")
    status, body = await server.post("/api/sessions", {
        "room": "grief", "title": "Sunday circle", "start": iso_in(server, 60), "duration_minutes": 30,
        "capacity": 10}, headers={"Authorization": f"Bearer {token}"})
    assert status == 201, body
    await fac.reload()
    await fac.locator(".session-list .card").first.get_by_role("link", name="Open lobby and controls").click()
    peer = await pages.peer("Ada", room="grief")
    await fac.get_by_role("button", name="Start session").click()
    await peer.get_by_role("button", name="Join this session").click()
    await expect(peer.locator(".session-panel")).to_contain_text("You are in this session")

    reason = f"Kept posting graphic details after two reminders {XSS}"
    await fac.get_by_role("button", name="Remove Ada from the session").click()
    await fac.get_by_label("Why Ada is removed (shared with the moderators)").fill(reason)
    await fac.get_by_role("button", name="Remove", exact=True).click()
    item = mod.locator(".queue-item", has_text="About Ada")
    await expect(item).to_contain_text("Signals: removed from session")
    await expect(item.locator(".staff-notes li")).to_contain_text("Facilitator fern")
    await expect(item.locator(".staff-notes q")).to_have_text(reason)
    await expect(peer.locator(".session-panel")).not_to_contain_text("You are in this session")
    for page in (mod, peer):
        assert await page.locator("main img").count() == 0
    assert "graphic details" not in await peer.locator("body").inner_text()
    pages.assert_clean()


async def test_a_held_message_shows_what_approval_posts_and_a_declined_one_is_explained(pages: Pages) -> None:
    from server.rooms.admin_audit import OPERATOR
    from server.rooms.policy_changes import do_update_room_rules

    await do_update_room_rules(pages.server.services, actor=OPERATOR, slug="anxiety", changes={"contact": "hold"})
    mod = await pages.staff("moderator", "mira")
    await expect(mod.get_by_text("Nothing is waiting")).to_be_visible()
    ada = await pages.peer("Ada")
    bo = await pages.peer("Bo")
    await say(ada, "my number is +44 7700 900123")
    await expect(ada.locator(".pending-status")).to_contain_text("Waiting for a moderator")

    # The moderator sees what they typed (what Approve posts) beside the filter's edit, and confirms.
    item = mod.locator(".queue-item").first
    await item.get_by_role("button", name="Claim").click()
    await item.get_by_role("button", name="Show context").click()
    await expect(item.locator(".held-original")).to_have_text("my number is +44 7700 900123")
    await expect(item.locator(".held-edited")).to_contain_text("[contact details removed]")
    await item.get_by_role("button", name="Approve and post what they typed…").click()
    await item.get_by_role("button", name="Confirm: post exactly what they typed, unedited").click()
    await expect(bo.locator(".timeline .message-text", has_text="+44 7700 900123")).to_be_visible()
    await item.get_by_role("button", name="Resolve").click()
    await expect(mod.locator(".queue-item")).to_have_count(0)

    # Resolved without approval: not posted, and the author is told.
    await say(ada, "or mail me at jo@example.org")
    await item.get_by_role("button", name="Claim").click()
    await item.get_by_role("button", name="Show context").click()
    await expect(item).to_contain_text("Resolving without approving means this message is not posted")
    await item.get_by_label("Outcome").select_option("no_action")
    await item.get_by_role("button", name="Resolve").click()
    await expect(ada.locator(".private-notices")).to_contain_text("won't be posted")
    await expect(bo.locator(".timeline .message-text", has_text="jo@example.org")).to_have_count(0)
    pages.assert_clean()


async def test_a_crisis_in_a_room_that_keeps_no_text_shows_its_words_in_the_alert(pages: Pages) -> None:
    token = await staff_token(pages.server, "root")
    assert (await call(pages.server, "PATCH", "/api/rooms/carers/policy", {"retention_days": 0}, token))[0] == 200
    mod = await pages.staff("moderator", "mira")
    await expect(mod.get_by_text("Nothing is waiting")).to_be_visible()
    ada = await pages.peer("Ada", room="carers")
    await say(ada, "I want to kill myself tonight")
    first = mod.locator(".queue-item").first
    await expect(first.locator(".live-text")).to_contain_text("I want to kill myself tonight")
    await expect(first.locator(".live-text")).to_contain_text("This room keeps no text")
    await first.get_by_role("button", name="Claim").click()  # a flag:updated without the words keeps them
    await expect(first.locator(".claim")).to_have_text("You claimed this")
    await expect(first.locator(".live-text")).to_contain_text("I want to kill myself tonight")
    pages.assert_clean()
