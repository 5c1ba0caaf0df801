"""How rooms and messages look on the wire (docs/protocol.md); one place so every event agrees."""
from __future__ import annotations

from dataclasses import asdict
from typing import Any

from ..clock import iso
from ..moderation.notices import CRISIS
from ..moderation.resource_book import DEFAULT_BOOK, ResourceBook
from ..storage.message_writer import NewMessage
from ..storage.models import Message, Room, User
from .policy import RoomRules
from .slow_mode import slow_mode_shape


def room_shape(room: Room, *, online: int, now: float) -> dict[str, Any]:
    return {
        "slug": room.slug,
        "name": room.name,
        "description": room.description,
        "agreement": room.agreement,
        "agreement_version": room.agreement_version,
        "listeners_allowed": room.listeners_allowed,
        "capacity": room.capacity,
        "online": online,
        "policy": RoomRules.from_json(room.policy).to_json(),
        "age_band": room.age_band,
        "slow_mode": slow_mode_shape(room, now),
    }


def user_shape(user: User) -> dict[str, str]:
    return {"id": user.id, "pseudonym": user.pseudonym, "role": user.role}


def message_shape(message: Message | NewMessage, sender: dict[str, str], room_slug: str) -> dict[str, Any]:
    return {
        "id": message.id,
        "room": room_slug,
        "seq": message.seq,
        "sender": sender,
        "text": message.text,
        "status": message.status,
        "client_msg_id": message.client_msg_id,
        "content_warning": bool(message.content_warning),
        "created_at": iso(message.created_at),
    }


def notice_shape(code: str, message: str, locale: str, book: ResourceBook = DEFAULT_BOOK) -> dict[str, Any]:
    """A private notice to the sender about what happened to their message and why; a crisis notice
    carries the help available where the person is."""
    notice: dict[str, Any] = {"code": code, "message": message}
    if code == CRISIS.code:
        notice["resources"] = resources_shape(locale, book)
    return notice


def resources_shape(locale: str, book: ResourceBook = DEFAULT_BOOK) -> list[dict[str, Any]]:
    """The help for where the person is: the admins' entries for their region over the built-in ones."""
    return [asdict(resource) for resource in book.for_locale(locale)]
