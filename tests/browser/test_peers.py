"""Peers in a real browser: talking, listening, content warnings, typing, muting, help, and safety of text."""
from __future__ import annotations

from playwright.async_api import expect

from tests.browser.conftest import Pages, screenshot

XSS = "<img src=x onerror=alert(1)>"


async def test_two_peers_join_a_room_and_talk(pages: Pages) -> None:
    ada = await pages.peer("Ada")
    bo = await pages.peer("Bo")
    await expect(ada.locator(".member-name", has_text="Bo")).to_be_visible()

    await ada.get_by_label("Your message").fill("Hi, first time here")
    await expect(bo.locator(".typing")).to_have_text("Ada is typing…")
    await ada.get_by_role("button", name="Send").click()
    await expect(bo.locator(".timeline .message-text", has_text="Hi, first time here")).to_be_visible()
    await expect(bo.locator(".typing")).to_have_text("")

    await bo.get_by_label("Your message").fill("Welcome, Ada. Glad you came.")
    await bo.get_by_label("Your message").press("Enter")
    await expect(ada.locator(".timeline .message-text", has_text="Welcome, Ada")).to_be_visible()

    # A content warning: the sender sees the text, others see it collapsed until they open it.
    await ada.get_by_label("Your message").fill("Today was a hard anniversary")
    await ada.get_by_label("Add a content warning").check()
    await ada.get_by_role("button", name="Send").click()
    hidden = bo.locator(".timeline .message-text", has_text="Today was a hard anniversary")
    await expect(bo.get_by_role("button", name="Content warning: show message")).to_be_visible()
    await expect(hidden).to_be_hidden()
    await bo.get_by_role("button", name="Content warning: show message").click()
    await expect(hidden).to_be_visible()
    await expect(ada.locator(".timeline .message-text", has_text="Today was a hard anniversary")).to_be_visible()
    await screenshot(bo, "peer-room")

    # Muting is local: Bo stops seeing Ada's messages; Ada notices nothing.
    await bo.get_by_role("button", name="Mute Ada on this device").first.click()
    await expect(bo.locator(".timeline .message-text", has_text="Hi, first time here")).to_be_hidden()
    await expect(ada.locator(".timeline .message-text", has_text="Hi, first time here")).to_be_visible()
    for page in (ada, bo):
        assert await page.locator(".timeline .message").count() == 3
    pages.assert_clean()


async def test_a_listener_reads_but_cannot_post(pages: Pages) -> None:
    ada = await pages.peer("Ada")
    lee = await pages.peer("Lee", mode="listener")
    await expect(lee.get_by_text("You're listening. Nobody expects you to write.")).to_be_visible()
    await expect(lee.get_by_label("Your message")).to_be_hidden()
    await ada.get_by_label("Your message").fill("Anyone around tonight?")
    await ada.get_by_role("button", name="Send").click()
    await expect(lee.locator(".timeline .message-text", has_text="Anyone around tonight?")).to_be_visible()
    # Even a hand-made emit is refused by the server.
    reply = await lee.evaluate("""() => new Promise((resolve) => {
        const text = document.querySelector('#composer-text');
        resolve(text === null || text.offsetParent === null);
    })""")
    assert reply is True
    await expect(ada.locator(".member", has_text="Lee")).to_contain_text("listening")
    pages.assert_clean()


async def test_user_text_is_shown_as_text_and_never_runs(pages: Pages) -> None:
    ada = await pages.peer("Ada")
    bo = await pages.peer("Bo")
    await ada.get_by_label("Your message").fill(XSS)
    await ada.get_by_role("button", name="Send").click()
    for page in (ada, bo):
        await expect(page.locator(".timeline .message-text", has_text=XSS)).to_have_text(XSS)
        assert await page.locator(".timeline img").count() == 0
    # The pseudonym: the server refuses the characters, and the page says so as plain text.
    eve = await pages.open("/#/join/anxiety")
    await eve.get_by_label("Choose a name for today").fill(XSS)
    await eve.get_by_label("I have read the group agreement").check()
    await eve.get_by_role("button", name="Join the room").click()
    await expect(eve.get_by_role("alert")).not_to_be_empty()
    assert await eve.locator("main img").count() == 0
    await eve.wait_for_timeout(300)
    pages.assert_clean()


async def test_help_is_one_click_from_every_page_and_works_by_keyboard(pages: Pages) -> None:
    page = await pages.open("/")
    await expect(page.get_by_role("heading", name="What it is not")).to_be_visible()
    await expect(page.get_by_text("not a substitute for professional help")).to_be_visible()
    await screenshot(page, "landing")
    for path in ("/#/rooms", "/#/join/grief", "/#/staff"):
        await page.goto(pages.server.url + path)
        await page.get_by_role("button", name="Crisis help").click()
        await expect(page.get_by_role("dialog", name="If you need help right now")).to_be_visible()
        await page.keyboard.press("Escape")
        await expect(page.get_by_role("dialog")).to_be_hidden()
    # Keyboard only: the skip link comes first, then the crisis button is reachable.
    await page.goto(pages.server.url + "/#/rooms")
    await page.reload()
    await page.keyboard.press("Tab")
    await expect(page.get_by_role("link", name="Skip to content")).to_be_focused()
    for _ in range(4):
        await page.keyboard.press("Tab")
    await expect(page.get_by_role("button", name="Crisis help")).to_be_focused()
    await page.keyboard.press("Enter")
    await expect(page.get_by_role("dialog", name="If you need help right now")).to_be_visible()
    pages.assert_clean()


async def test_directory_and_room_fit_a_360px_screen(pages: Pages) -> None:
    page = await pages.open("/#/rooms", width=360, height=740)
    await expect(page.get_by_role("heading", name="Recovery (addiction)")).to_be_visible()
    await expect(page.locator(".room-card").first).to_contain_text("people online")
    assert await page.evaluate("document.documentElement.scrollWidth") <= 360
    small = await pages.peer("Sam", width=360, height=740)
    await small.get_by_label("Your message").fill("hello from a phone")
    await small.get_by_role("button", name="Send").click()
    await expect(small.locator(".timeline .message-text", has_text="hello from a phone")).to_be_visible()
    assert await small.evaluate("document.documentElement.scrollWidth") <= 360
    pages.assert_clean()


async def test_i_need_help_now_answers_kindly(pages: Pages) -> None:
    ada = await pages.peer("Ada")
    await ada.get_by_role("button", name="I need help now").click()
    # Nobody moderates in this test: the page says so rather than promising a reply.
    await expect(ada.locator(".crisis-panel")).to_contain_text("no moderator is online right now")
    await expect(ada.locator(".crisis-panel")).to_contain_text("call your local emergency number")
