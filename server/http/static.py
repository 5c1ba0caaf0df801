"""Serves the built web client; without a build, a plain page that says how to make one."""
from __future__ import annotations

from pathlib import Path

from aiohttp import web

NO_BUILD = """<!doctype html><html lang="en"><meta charset="utf-8"><title>peerchat</title>
<p>The peerchat server is running. The web client has not been built: run <code>make run</code>.</p>
<p>If you are in danger now, call your local emergency number.</p></html>"""


def add_static_routes(app: web.Application, web_dir: Path) -> None:
    index = web_dir / "index.html"

    async def home(_request: web.Request) -> web.StreamResponse:
        if index.is_file():
            return web.FileResponse(index)
        return web.Response(text=NO_BUILD, content_type="text/html")

    app.router.add_get("/", home)
    if (web_dir / "assets").is_dir():
        app.router.add_static("/assets/", web_dir / "assets")
