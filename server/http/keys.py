"""Typed application keys shared by app.py and the handlers."""
from __future__ import annotations

from aiohttp import web

from ..realtime.drain import Drain
from ..services import Services
from ..settings import Settings
from ..shared.link import RedisLink

SETTINGS = web.AppKey("settings", Settings)
SERVICES = web.AppKey("services", Services)
DRAIN = web.AppKey("drain", Drain)
REDIS_LINK = web.AppKey("redis_link", RedisLink)
