"""A peer's connection drops and comes back: the page says so, and fills the gap with nothing lost or doubled."""
from __future__ import annotations

import time

from playwright.async_api import WebSocketRoute, expect

from tests.browser.conftest import Pages


class CuttableLine:
    """Proxies the page's WebSocket to the real server, and can cut it and refuse new ones for a while."""

    def __init__(self) -> None:
        self.blocked = False
        self.open: list[tuple[WebSocketRoute, WebSocketRoute]] = []

    async def route(self, ws: WebSocketRoute) -> None:
        if self.blocked:
            await ws.close()
            return
        self.open.append((ws, ws.connect_to_server()))

    async def cut(self) -> None:
        self.blocked = True
        for page_side, server_side in self.open:
            await server_side.close()
            await page_side.close()
        self.open.clear()


async def test_a_dropped_connection_comes_back_with_nothing_lost_or_doubled(pages: Pages) -> None:
    line = CuttableLine()
    ada = await pages.peer("Ada")
    bo = await pages.peer("Bo", ws_route=line.route)
    for i in range(3):
        await ada.get_by_label("Your message").fill(f"before {i}")
        await ada.get_by_role("button", name="Send").click()
    await expect(bo.locator(".timeline .message")).to_have_count(3)

    await line.cut()
    await expect(bo.get_by_text("Reconnecting…")).to_be_visible()
    await expect(ada.locator(".member-name", has_text="Bo")).to_be_hidden()
    for i in range(4):
        await ada.get_by_label("Your message").fill(f"while away {i}")
        await ada.get_by_role("button", name="Send").click()
    await expect(ada.locator(".timeline .message")).to_have_count(7)
    await bo.get_by_label("Your message").fill("typed while offline")
    await bo.get_by_role("button", name="Send").click()
    await expect(bo.locator(".pending-status")).to_have_text("Waiting to send…")

    line.blocked = False
    await bo.get_by_role("button", name="Try now").click()
    await expect(bo.get_by_text("Reconnecting…")).to_be_hidden()
    expected = [f"before {i}" for i in range(3)] + [f"while away {i}" for i in range(4)] + ["typed while offline"]
    for page in (ada, bo):
        await expect(page.locator(".timeline .message-text")).to_have_text(expected)
        seqs = await page.locator(".timeline .message").evaluate_all("els => els.map(e => Number(e.dataset.seq))")
        assert seqs == list(range(1, 9))
    await expect(bo.locator(".pending-list .message")).to_have_count(0)
    pages.assert_clean()


async def test_a_restarting_server_is_rejoined_when_it_said_not_sooner(pages: Pages) -> None:
    """server:draining's reconnect_in spreads a restart's reconnects: the page waits that long, and says so."""
    line = CuttableLine()
    opened: list[float] = []

    async def route(ws: WebSocketRoute) -> None:
        opened.append(time.monotonic())
        await line.route(ws)

    bo = await pages.peer("Bo", ws_route=route)
    assert len(opened) == 1
    page_side, _server_side = line.open[0]
    page_side.send('42["server:draining",{"reconnect_in":2.5}]')
    page_side.send("41")  # the namespace is closed by the server, as Drain.run does after the notice
    closed = time.monotonic()
    await expect(bo.get_by_text("peerchat is restarting. Reconnecting in 3 s…")).to_be_visible()
    await expect(bo.get_by_text("peerchat is restarting")).to_be_hidden(timeout=10_000)
    assert len(opened) == 2 and opened[1] - closed >= 2.3, opened
    await bo.get_by_label("Your message").fill("back again")
    await bo.get_by_role("button", name="Send").click()
    await expect(bo.locator(".timeline .message-text")).to_have_text(["back again"])
    pages.assert_clean()
