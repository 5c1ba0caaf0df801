"""The admin page in a real browser: rooms, staff, watched words with the try-it box, crisis resources, the
changes log, the moderation log, keyboard-only tabs and a 360 px screen. Every server path it uses is tested
in tests/admin/ and tests/moderation/."""
from __future__ import annotations

import re
from datetime import date, timedelta

from playwright.async_api import Locator, Page, expect

from tests.admin.api import call
from tests.browser.conftest import PEER_PASSWORD, Pages, screenshot
from tests.moderation.factories import member, say, staff

XSS = "<img src=x onerror=alert(1)>"


async def admin_page(pages: Pages) -> Page:
    page = await pages.staff("admin", "root")
    await expect(page.get_by_role("heading", name="Administration")).to_be_visible()
    return page


async def tab_until(page: Page, check: str, limit: int = 30) -> None:
    """Press Tab (keyboard only) until the focused element passes a JavaScript check."""
    for _ in range(limit):
        await page.keyboard.press("Tab")
        if await page.evaluate(f"(el => {check})(document.activeElement)"):
            return
    raise AssertionError(f"Tab never reached an element where {check}")


async def open_tab(page: Page, name: str) -> Locator:
    await page.get_by_role("tab", name=name).click()
    panel = page.get_by_role("tabpanel", name=name)
    await expect(panel).to_be_visible()
    return panel


async def test_an_admin_creates_a_room_that_a_peer_finds_then_edits_and_archives_it(pages: Pages) -> None:
    admin = await admin_page(pages)
    panel = admin.get_by_role("tabpanel", name="Rooms")
    await expect(panel.get_by_role("heading", name="Anxiety")).to_be_visible()
    await panel.get_by_text("Add a room").click()
    form = panel.get_by_role("form", name="Add a room")
    await form.get_by_label("Name").fill("Shift workers")
    await form.get_by_label("Web address (slug)").fill("Shift Workers!")
    await form.get_by_label("Description").fill(f"Sleepless nights, together. {XSS}")
    await form.get_by_label("Group agreement").fill("Be kind. What is said here stays here.")
    await form.get_by_role("button", name="Create room").click()
    # The server's sentence shows beside the form that caused it, and the field is marked.
    await expect(form.get_by_role("alert")).to_contain_text("A slug is 1-48 lowercase letters")
    await expect(form.get_by_label("Web address (slug)")).to_have_attribute("aria-invalid", "true")
    await form.get_by_label("Web address (slug)").fill("shift-workers")
    await form.get_by_label("Capacity (people)").fill("12")
    await form.get_by_label("Listening only is allowed").select_option("false")
    await form.get_by_role("button", name="Create room").click()
    await expect(panel.get_by_role("status")).to_contain_text("Room Shift workers created")
    card = panel.get_by_role("listitem", name="Shift workers", exact=True)
    await expect(card).to_contain_text("0 online of 12")
    await expect(card).to_contain_text(XSS)

    peer = await pages.open("/#/rooms")
    room = peer.get_by_role("listitem", name="Shift workers", exact=True)
    await expect(room).to_contain_text("Everyone takes part")
    await expect(room).to_contain_text(XSS)

    await card.get_by_role("button", name="Edit Shift workers").click()
    edit = card.get_by_role("form", name="Edit Shift workers")
    await edit.get_by_label("Name").fill("Shift workers and carers")
    await edit.get_by_label("Keep messages for (days)").fill("7")
    await edit.get_by_label("Description").fill("Sleepless nights, together.")
    await edit.get_by_role("button", name="Save changes").click()
    card = panel.get_by_role("listitem", name="Shift workers and carers")
    await expect(card).to_contain_text("Kept 7 days")
    await expect(card).not_to_contain_text(XSS)
    await screenshot(admin, "admin")
    await expect(panel.get_by_role("status")).to_be_focused()  # not lost with the re-rendered form
    await card.get_by_role("button", name="Archive Shift workers and carers").click()
    await card.get_by_role("button", name="Yes, archive").click()
    await expect(card).to_contain_text("Archived")
    await peer.reload()
    await expect(peer.get_by_role("heading", name="Anxiety")).to_be_visible()
    await expect(peer.get_by_role("heading", name="Shift workers and carers")).to_have_count(0)
    assert await admin.locator("img").count() == 0 and await peer.locator("img").count() == 0
    pages.assert_clean()


async def test_an_admin_makes_a_room_for_older_adults(pages: Pages) -> None:
    admin = await admin_page(pages)
    panel = admin.get_by_role("tabpanel", name="Rooms")
    await panel.get_by_text("Add a room").click()
    form = panel.get_by_role("form", name="Add a room")
    band = form.get_by_label("Age band")
    await band.select_option(label="Teens (under 18)")
    await expect(form.get_by_label("Keep messages for (days)")).to_have_value("7")
    await band.select_option(label="Older adults (60 or over)")  # back to an adult room's rules
    await expect(form.get_by_label("Keep messages for (days)")).to_have_value("30")
    await expect(form.get_by_label("Strong language")).to_have_value("mask")
    await form.get_by_label("Name").fill("Later life")
    await form.get_by_label("Web address (slug)").fill("later-life")
    await form.get_by_label("Group agreement").fill("Be kind.")
    await form.get_by_role("button", name="Create room").click()
    card = panel.get_by_role("listitem", name="Later life", exact=True)
    await expect(card).to_contain_text("Older adults (60 or over)")
    status, session = await pages.server.post("/api/session", {"pseudonym": "Maud", "age_band": "older"})
    assert status == 201
    older = await pages.server.connect(session["token"])
    assert "later-life" in [r["slug"] for r in (await older.call("rooms:list"))["rooms"]]
    peer = await pages.open("/#/rooms")  # not signed in: adults' rooms only
    await expect(peer.get_by_role("heading", name="Anxiety")).to_be_visible()
    await expect(peer.get_by_role("heading", name="Later life")).to_have_count(0)
    pages.assert_clean()


async def test_a_watched_word_is_live_in_the_try_it_box(pages: Pages) -> None:
    admin = await admin_page(pages)
    panel = await open_tab(admin, "Watched words")
    await panel.get_by_text("Add a rule or exception").click()
    add = panel.get_by_role("form", name="Add a rule")
    await expect(add.get_by_label("Mute for (minutes)")).to_be_hidden()
    await add.get_by_label("Word, phrase or pattern").fill("bozo")
    await add.get_by_label("Action").select_option("mask")
    await add.get_by_role("button", name="Add rule").click()
    rules = panel.get_by_role("list", name="Watched-word rules")
    await expect(rules).to_contain_text("bozo")
    await add.get_by_label("Word, phrase or pattern").fill("bozo")
    await add.get_by_role("button", name="Add rule").click()
    await expect(add.get_by_role("alert")).to_have_text("That rule already exists; change its action instead.")

    check = panel.get_by_role("form", name="Try a message")
    await check.get_by_label("Message to try").fill("you b0z0, honestly")
    await check.get_by_label("In room").select_option("anxiety")
    await check.get_by_role("button", name="Check").click()
    verdict = panel.locator(".verdict")
    await expect(verdict).to_contain_text("Posted, changed")
    await expect(verdict.locator(".verdict-text")).to_have_text("you ****, honestly")

    # An allow-list exception, then the rule turned into a block for one room.
    await add.get_by_label("Word, phrase or pattern").fill("bozoland")
    await add.get_by_label("Action").select_option("allow")
    await add.get_by_role("button", name="Add rule").click()
    await expect(panel.get_by_role("list", name="Exceptions (allow-list)")).to_contain_text("bozoland")
    await check.get_by_label("Message to try").fill("off to bozoland")
    await check.get_by_role("button", name="Check").click()
    await expect(verdict).to_contain_text("Posted as written.")

    await rules.get_by_role("button", name="Edit rule bozo").click()
    edit = rules.get_by_role("form", name="Edit rule bozo")
    await edit.get_by_label("Action").select_option("block")
    await edit.get_by_label("Where").select_option("anxiety")
    await edit.get_by_role("button", name="Save rule").click()
    await expect(rules).to_contain_text("In Anxiety")
    await check.get_by_label("Message to try").fill("what a bozo")
    await check.get_by_role("button", name="Check").click()
    await expect(verdict).to_contain_text("Not posted")
    await expect(verdict.get_by_role("list", name="What matched")).to_contain_text("watched (medium): word bozo")

    await rules.get_by_role("button", name="Remove rule bozo").click()
    await rules.get_by_role("button", name="Yes, remove").click()
    await expect(rules).to_contain_text("No watched words yet.")
    pages.assert_clean()


async def test_an_admin_adds_a_moderator_who_can_sign_in_then_manages_them(pages: Pages) -> None:
    admin = await admin_page(pages)
    panel = await open_tab(admin, "Staff")
    await panel.get_by_text("Add a staff member").click()
    add = panel.get_by_role("form", name="Add a staff member")
    await add.get_by_label("Username").fill("mira")
    await add.get_by_label("Role").select_option("moderator")
    await add.get_by_label("First password").fill("short")
    await add.get_by_role("button", name="Add staff member").click()
    await expect(add.get_by_role("alert")).to_have_text("Passwords need at least 10 characters.")
    await expect(add.get_by_label("First password")).to_be_focused()
    await add.get_by_label("First password").fill(PEER_PASSWORD)
    await add.get_by_role("button", name="Add staff member").click()
    await expect(panel.get_by_role("status").first).to_have_text("mira added as Moderator.")

    mod = await pages.open("/#/staff")
    await mod.get_by_label("Username").fill("mira")
    await mod.get_by_label("Password").fill(PEER_PASSWORD)
    await mod.get_by_role("button", name="Sign in").click()
    await expect(mod.get_by_role("heading", name="Review queue")).to_be_visible()

    card = panel.get_by_role("listitem", name="mira")
    await card.get_by_label("Role of mira", exact=True).select_option("facilitator")
    await card.get_by_role("button", name="Change role").click()
    await expect(panel.get_by_role("status").first).to_have_text("mira is now Facilitator.")
    await expect(card.locator(".meta")).to_contain_text("Facilitator")
    await card.get_by_role("button", name="Set a new password for mira").click()
    await card.get_by_label("New password for mira", exact=True).fill("another long password 456")
    await card.get_by_role("button", name="Set password").click()
    await expect(panel.get_by_role("status").first).to_contain_text("New password set for mira")
    await card.get_by_role("button", name="Deactivate mira").click()
    await expect(card).to_contain_text("Deactivated")
    await card.get_by_role("button", name="Reactivate mira").click()
    await expect(card.get_by_role("button", name="Deactivate mira")).to_be_visible()

    # The last admin can't deactivate themselves: the sentence shows on their own card.
    own = panel.get_by_role("listitem", name="root")
    await own.get_by_role("button", name="Deactivate root").click()
    await expect(own.locator(".item-actions + [role=alert]")).to_have_text(
        "root is the last active administrator. Make someone else an administrator first.")
    pages.assert_clean()


async def test_crisis_resources_and_the_filterable_changes_log(pages: Pages) -> None:
    admin = await admin_page(pages)
    panel = await open_tab(admin, "Crisis resources")
    await panel.get_by_text("Add a crisis resource").click()
    add = panel.get_by_role("form", name="Add a crisis resource")
    await add.get_by_label("Region").fill("GB")
    await add.get_by_label("Name", exact=True).fill("Riverside Crisis Line")
    await add.get_by_role("button", name="Add resource").click()
    await expect(add.get_by_role("alert")).to_contain_text("Give a phone number")
    await add.get_by_label("Phone number").fill("0800 555 0100")
    await add.get_by_label("Hours").fill("6pm-2am")
    await add.get_by_role("button", name="Add resource").click()
    entries = panel.get_by_role("list", name="Your crisis resource entries")
    await expect(entries).to_contain_text("Riverside Crisis Line")
    offered = panel.get_by_role("list", name="What peers are offered")
    await expect(offered.get_by_role("listitem").first).to_contain_text("Riverside Crisis Line")
    await offered.get_by_role("button", name="Hide Samaritans for GB").click()
    await expect(offered).not_to_contain_text("Samaritans")
    await entries.get_by_role("button", name="Hide Riverside Crisis Line (GB)").click()
    await expect(offered).not_to_contain_text("Riverside")
    await entries.get_by_role("button", name="Remove Riverside Crisis Line (GB)").click()
    await entries.get_by_role("button", name="Yes, remove").click()
    await expect(entries).not_to_contain_text("Riverside")

    changes = await open_tab(admin, "Changes")
    log = changes.get_by_role("list", name="Admin changes, newest first")
    await expect(log).to_contain_text("resource.remove")
    await expect(log).to_contain_text("by root")
    await changes.get_by_label("Kind of change").select_option("staff")
    await expect(log.get_by_role("listitem")).to_have_count(1)  # the test's own admin account
    await changes.get_by_label("Kind of change").select_option("")
    await changes.get_by_label("Who or what (contains)").fill("samaritans")
    await expect(log.get_by_role("listitem")).to_have_count(1)
    await expect(log).to_contain_text("Samaritans")
    await log.get_by_text("What changed").click()
    await expect(log).to_contain_text("hidden")
    pages.assert_clean()


async def test_tabs_work_by_keyboard_alone_and_fit_360px(pages: Pages) -> None:
    admin = await admin_page(pages)
    await tab_until(admin, "el.getAttribute('role') === 'tab'")
    rooms = admin.get_by_role("tab", name="Rooms")
    await expect(rooms).to_be_focused()
    for name in ("Staff", "Watched words", "Crisis resources", "Changes", "Moderation log", "Team figures"):
        await admin.keyboard.press("ArrowRight")
        await expect(admin.get_by_role("tab", name=name)).to_be_focused()
        await expect(admin.get_by_role("tab", name=name)).to_have_attribute("aria-selected", "true")
        panel = admin.get_by_role("tabpanel", name=name)
        await expect(panel.get_by_role("heading", name=name, exact=True)).to_be_visible()
    await admin.keyboard.press("ArrowRight")
    await expect(rooms).to_be_focused()
    await admin.keyboard.press("End")
    await expect(admin.get_by_role("tab", name="Team figures")).to_be_focused()
    await admin.keyboard.press("Home")
    await admin.keyboard.press("ArrowRight")
    await expect(admin).to_have_url(re.compile(r"#/admin/staff$"))  # the hash follows the selection
    # Tab leaves the tab list for the panel, then into its controls; Enter opens and submits the add form.
    await admin.keyboard.press("Tab")
    await expect(admin.get_by_role("tabpanel", name="Staff")).to_be_focused()
    await tab_until(admin, "el.tagName === 'SUMMARY'")
    await admin.keyboard.press("Enter")
    await admin.keyboard.press("Tab")
    await expect(admin.get_by_label("Username")).to_be_focused()
    await admin.keyboard.type("kai")
    await admin.keyboard.press("Tab")
    await admin.keyboard.press("Tab")
    await admin.keyboard.type("a long enough password")
    await admin.keyboard.press("Enter")
    await expect(admin.get_by_role("heading", name="kai")).to_be_visible()

    narrow = await pages.open("/#/admin/words", width=360, height=740)
    await narrow.get_by_label("Username").fill("root")
    await narrow.get_by_label("Password").fill(PEER_PASSWORD)
    await narrow.get_by_role("button", name="Sign in").click()
    for name in ("Rooms", "Staff", "Watched words", "Crisis resources", "Changes", "Moderation log", "Team figures"):
        await open_tab(narrow, name)
        assert await narrow.evaluate("document.documentElement.scrollWidth") <= 360, name
    pages.assert_clean()


async def test_peers_and_other_staff_are_refused_by_the_admin_api_and_page(pages: Pages) -> None:
    server = pages.server
    peer = await server.peer_token("Ada")
    for method, path in (("GET", "/api/staff"), ("POST", "/api/rooms"), ("POST", "/api/watched-words/check")):
        status, body = await call(server, method, path, {}, token=peer)
        assert status == 403 and body["error"]["code"] == "forbidden", (path, body)
    status, body = await call(server, "GET", "/api/admin/changes")
    assert status == 401
    mod = await pages.staff("moderator", "mira")
    await expect(mod.get_by_role("heading", name="Review queue")).to_be_visible()
    await mod.goto(server.url + "/#/admin")
    await expect(mod.get_by_role("heading", name="Staff sign-in")).to_be_visible()
    await expect(mod.get_by_text("Please sign in with a staff account")).to_be_visible()
    pages.assert_clean()


async def test_team_figures_show_how_fast_the_queue_is_worked(pages: Pages) -> None:
    asker = await pages.server.joined_peer()
    assert (await asker.call("help:request", {"room": "anxiety"}))["ok"]
    admin = await admin_page(pages)
    panel = await open_tab(admin, "Team figures")
    await expect(panel.get_by_role("heading", name="Team figures", exact=True)).to_be_visible()
    await expect(panel.get_by_role("status")).to_contain_text("1 open in the queue now")
    imminent = panel.get_by_role("row", name=re.compile("^Imminent crisis"))
    await expect(imminent.get_by_role("cell")).to_have_text(["1", "1", "none yet", "none yet", "none yet", "none yet"])
    await panel.get_by_label("Period", exact=True).select_option(label="Last day")
    await expect(imminent.get_by_role("cell").first).to_have_text("1")
    await expect(admin).to_have_url(re.compile(r"#/admin/figures$"))
    pages.assert_clean()


async def test_the_moderation_log_shows_what_a_moderator_did_filters_and_pages_back(pages: Pages) -> None:
    server = pages.server
    mira = await staff(server, name="mira")
    author, _author_id = await member(server, pseudonym="Ada")
    message = await say(author, "you never listen to anyone")
    reporter, _reporter_id = await member(server, pseudonym="Owl")
    assert (await reporter.call("message:report", {"message_id": message["id"], "reason": "harassment"}))["ok"]
    item = (await mira.wait_for("flag:new"))["item"]
    claimed = await mira.call("mod:claim", {"item_id": item["id"], "version": item["version"]})
    assert (await mira.call("mod:resolve", {"item_id": item["id"], "version": claimed["item"]["version"],
                                            "outcome": "actioned", "note": "spoke to them"}))["ok"]
    admin = await admin_page(pages)
    _status, login = await server.post("/api/login", {"username": "root", "password": PEER_PASSWORD})
    for _ in range(55):  # older history than one page: each read of the log is an entry of its own
        assert (await call(server, "GET", "/api/audit?limit=1", token=login["token"]))[0] == 200

    panel = await open_tab(admin, "Moderation log")
    await expect(admin).to_have_url(re.compile(r"#/admin/log$"))
    log = panel.get_by_role("list", name="Moderation log, newest first")
    entries = log.get_by_role("listitem")
    await expect(entries).to_have_count(50)
    older = panel.get_by_role("button", name="Load older entries")
    await expect(older).to_be_visible()
    await older.focus()
    await admin.keyboard.press("Enter")
    await expect(entries).to_have_count(58)  # 55 reads, the report, the claim and the resolution
    await expect(older).to_be_hidden()
    status = panel.get_by_role("status").filter(has_text="Showing")
    await expect(status).to_be_focused()  # the used button went away: focus stays in the tab
    await expect(status).to_have_text("Showing 58 of 58 loaded entries, newest first.")

    await panel.get_by_label("What").select_option("resolve")
    await panel.get_by_role("button", name="Show").click()
    await expect(entries).to_have_count(1)
    resolved = entries.first
    for words in ("Resolved a review item", "resolve", "mira, moderator", "a message by Ada in Anxiety",
                  "Outcome: actioned.", "A note was written: read it on the item under Resolved in the review queue"):
        await expect(resolved).to_contain_text(words)
    await expect(resolved).not_to_contain_text("spoke to them")  # staff's free text stays out of the log
    await expect(resolved).not_to_contain_text("never listen")

    await panel.get_by_label("What").select_option("")
    await panel.get_by_label("Who").fill("Owl")
    await panel.get_by_label("Who").press("Enter")
    await expect(entries).to_have_count(1)
    await expect(entries.first).to_contain_text("Reported by a peer")
    await expect(entries.first).to_contain_text("Owl, peer")
    await expect(entries.first).to_contain_text("Reason: harassment.")
    await entries.first.get_by_role("button", name="Only this message: a message by Ada in Anxiety").click()
    await expect(panel.get_by_label("Message or person id")).to_have_value(message["id"])
    await expect(entries).to_have_count(1)  # still Owl's only
    await panel.get_by_label("Who").fill("")
    await panel.get_by_role("button", name="Show").click()
    await expect(entries).to_have_count(3)  # reported, claimed, resolved
    await expect(log).not_to_contain_text("Read this log")

    await panel.get_by_role("button", name="Clear filters").click()
    await panel.get_by_label("Room").select_option(label="Carers")
    await panel.get_by_role("button", name="Show").click()
    await expect(panel.get_by_text("No moderation actions match these filters.")).to_be_visible()
    await expect(entries).to_have_count(0)
    await panel.get_by_label("Room").select_option("anxiety")
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    await panel.get_by_label("From (date)").fill(tomorrow)
    await panel.get_by_role("button", name="Show").click()
    await expect(entries).to_have_count(0)
    await panel.get_by_label("From (date)").fill(date.today().isoformat())
    await panel.get_by_label("To (date, included)").fill(date.today().isoformat())
    await panel.get_by_role("button", name="Show").click()
    await expect(entries).to_have_count(3)

    await admin.route("**/api/audit?*", lambda route: route.fulfill(
        status=503, content_type="application/json",
        body='{"error": {"code": "unavailable", "message": "Storage is unavailable. Please try again."}}'))
    await panel.get_by_role("button", name="Show").click()
    await expect(panel.get_by_role("alert")).to_have_text("Storage is unavailable. Please try again.")
    await admin.unroute("**/api/audit?*")
    await panel.get_by_role("button", name="Try again").click()
    await expect(entries).to_have_count(3)
    await expect(panel.get_by_role("alert")).to_have_text("")
    await screenshot(admin, "admin-moderation-log")
    pages.assert_clean()
