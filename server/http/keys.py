"""Typed application keys shared by app.py and the handlers."""
from __future__ import annotations

from aiohttp import web

from ..services import Services
from ..settings import Settings

SETTINGS = web.AppKey("settings", Settings)
SERVICES = web.AppKey("services", Services)
