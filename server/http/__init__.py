"""Thin aiohttp handlers: JSON API, health, static web client."""
