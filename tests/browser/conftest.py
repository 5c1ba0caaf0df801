"""Browser tests: Playwright drives Debian's Chromium against the real server serving the built web client.

They skip with a reason when Chromium or the web build is missing; under CI=true they fail instead.
They run on SQLite only: what they check is the client, and every server path they use is already
tested on both databases.
"""
from __future__ import annotations

import os
import re
import shutil
from pathlib import Path
from typing import Any, AsyncIterator, Awaitable, Callable

import pytest
from playwright.async_api import Browser, BrowserContext, Page, WebSocketRoute, async_playwright

from server.settings import DEFAULT_WEB_DIR
from tests.harness import RunningServer, start_server

IN_CI = os.environ.get("CI", "").lower() == "true"
CHROMIUM = Path(os.environ.get("PEERCHAT_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
PEER_PASSWORD = "a long staff password 123"


def _missing(reason: str) -> None:
    if IN_CI:
        pytest.fail(f"{reason}; under CI=true the browser tests must run")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def chromium_path() -> Path:
    if not CHROMIUM.is_file():
        _missing(f"{CHROMIUM} is missing (install it with `apt-get install chromium`, or run `make test` as root)")
    if not (DEFAULT_WEB_DIR / "index.html").is_file():
        _missing(f"the web client is not built in {DEFAULT_WEB_DIR} (run `make web`)")
    return CHROMIUM


@pytest.fixture
async def browser(chromium_path: Path) -> AsyncIterator[Browser]:
    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(executable_path=str(chromium_path), headless=True,
                                                    args=CHROMIUM_ARGS)
        yield launched
        await launched.close()


@pytest.fixture
def live_settings() -> dict[str, Any]:
    """Settings the page's server starts with besides the tests' own: a test file overrides this fixture."""
    return {}


@pytest.fixture
async def live(sqlite_template: Path, tmp_path: Path, live_settings: dict[str, Any]) -> AsyncIterator[RunningServer]:
    path = tmp_path / "browser.sqlite3"
    shutil.copy(sqlite_template, path)
    server = await start_server(f"sqlite+aiosqlite:///{path}", own_origin=True, **live_settings)
    yield server
    await server.stop()


class Pages:
    """Opens isolated browser contexts (one person each) and remembers what must never happen in them."""

    def __init__(self, browser: Browser, server: RunningServer) -> None:
        self.browser = browser
        self.server = server
        self.contexts: list[BrowserContext] = []
        self.dialogs: list[str] = []
        self.page_errors: list[str] = []
        self.csp_violations: list[str] = []

    async def open(self, path: str = "/", *, width: int = 1100, height: int = 800, locale: str | None = None,
                   timezone_id: str | None = None, ws_route: Callable[[WebSocketRoute], Any] | None = None) -> Page:
        """A page in a context of its own; `locale` sets the browser's language (navigator.language too) and
        `timezone_id` its time zone (an IANA name)."""
        extra = {**({"locale": locale} if locale else {}), **({"timezone_id": timezone_id} if timezone_id else {})}
        context = await self.browser.new_context(viewport={"width": width, "height": height},
                                                 reduced_motion="reduce", **extra)
        self.contexts.append(context)
        page = await context.new_page()
        page.on("dialog", lambda dialog: self.dialogs.append(dialog.message))
        page.on("pageerror", lambda error: self.page_errors.append(str(error)))
        page.on("console", lambda msg: self.csp_violations.append(msg.text)
                if "Content Security Policy" in msg.text else None)
        if ws_route is not None:
            await page.route_web_socket(re.compile(r"/socket\.io/"), ws_route)
        await page.goto(self.server.url + path)
        return page

    async def peer(self, name: str, room: str = "anxiety", mode: str = "participant", **options: Any) -> Page:
        page = await self.open(f"/#/join/{room}", **options)
        await page.get_by_label("Choose a name for today").fill(name)
        await page.get_by_role("radio", name="18 to 59").check()
        await page.get_by_label("I have read the group agreement").check()
        await page.get_by_role("radio", name="Listener" if mode == "listener" else "Participant").check()
        await page.get_by_role("button", name="Join the room").click()
        # The room's own title: a session's card in the room may name the room too ("Thursday grief circle").
        await page.locator("#room-title").filter(has_text=re.compile(re.escape(room), re.I)).wait_for()
        await page.locator(".room-head .meta").filter(has_text="You are").wait_for()
        return page

    async def staff(self, role: str, username: str, **options: Any) -> Page:
        from server.identity.accounts import do_create_staff
        from server.identity.roles import Role
        await do_create_staff(self.server.services.db, self.server.clock, role=Role(role), username=username,
                              password=PEER_PASSWORD)
        page = await self.open("/#/staff", **options)
        await page.get_by_label("Username").fill(username)
        await page.get_by_label("Password").fill(PEER_PASSWORD)
        await page.get_by_role("button", name="Sign in").click()
        return page

    def assert_clean(self) -> None:
        assert self.dialogs == [], f"a script ran: {self.dialogs}"
        assert self.page_errors == [], self.page_errors
        assert self.csp_violations == [], self.csp_violations

    async def close(self) -> None:
        for context in self.contexts:
            await context.close()


@pytest.fixture
async def pages(browser: Browser, live: RunningServer) -> AsyncIterator[Pages]:
    opened = Pages(browser, live)
    yield opened
    await opened.close()


async def screenshot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    await page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


Shot = Callable[[Page, str], Awaitable[None]]
