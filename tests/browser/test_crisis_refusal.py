"""A crisis message the server refused before reading it (here: past the sending limit and the crisis
allowance) still brings the peer the crisis lines, once however often it waits, and its moderator's card says
the words were never posted and shows the newest of them."""
from __future__ import annotations

from typing import Any

import pytest
from playwright.async_api import expect

from server.moderation.ratelimit import RateLimit
from server.settings import RateLimits
from tests.browser.conftest import Pages
from tests.browser.test_staff import say
from tests.rooms.test_refused_crisis import CRISIS
from tests.rooms.test_unseen_crisis import FOLLOW_UP, LIMITED, NOT_POSTED


@pytest.fixture
def live_settings() -> dict[str, Any]:
    # One message, and one crisis message over it; the server's clock only moves when the test moves it.
    return {"rate_limits": RateLimits.only(send_message=RateLimit(1.0, 1), crisis_send=RateLimit(1.0, 1))}


async def test_a_refused_crisis_message_shows_the_crisis_lines_once_and_alerts_a_moderator(pages: Pages) -> None:
    mod = await pages.staff("moderator", "mira")
    await expect(mod.get_by_text("Nothing is waiting")).to_be_visible()
    ada = await pages.peer("Ada")
    await say(ada, "hello everyone")
    await say(ada, CRISIS)  # past the sending limit, sent anyway from the crisis allowance
    await expect(ada.locator(".timeline .message-text")).to_have_text(["hello everyone", CRISIS])

    await say(ada, FOLLOW_UP)  # past both: refused, and read for crisis
    panel = ada.get_by_role("region", name="Support available now").filter(has_text=NOT_POSTED)
    await expect(panel).to_contain_text(LIMITED)
    await expect(panel).to_contain_text("moderators have been alerted")
    await expect(panel.locator(".resource").first).to_be_visible()
    await expect(ada.locator("#announce-urgent")).to_contain_text(NOT_POSTED)
    await expect(ada.locator(".pending-list .message")).to_contain_text(NOT_POSTED)

    card = mod.locator(".queue-item").filter(has_text="It was never posted and is not kept")
    await expect(card).to_contain_text(FOLLOW_UP)
    await expect(card).to_contain_text("Ada")

    await ada.wait_for_timeout(2500)  # it waits and is refused again (the server's clock stands still)
    await expect(panel).to_have_count(1)
    pages.server.clock.advance(5)
    timeline = ada.locator(".timeline .message-text")
    await expect(timeline).to_have_text(["hello everyone", CRISIS, FOLLOW_UP], timeout=10_000)
    await expect(ada.locator(".pending-list .message")).to_have_count(0)
    await expect(panel).to_have_count(1)
    pages.assert_clean()
