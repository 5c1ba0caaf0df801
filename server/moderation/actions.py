"""Moderator actions on messages: remove, approve a held one, warn its author; and the context view.

Each is a versioned action on a review item (queue.act_on_item): audited in the same transaction,
pushed to peers and moderators only after commit. The author is always told what happened.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..broadcast import room_topic
from ..errors import DomainError, ErrorCode
from ..identity.principal import Principal
from ..identity.roles import Role
from ..rooms.policy import HeldOriginals, RoomRules
from ..rooms.shapes import message_shape, user_shape
from ..services import Services
from ..storage.database import Transaction
from ..storage.messages import MessageStore
from ..storage.models import Message, Room, User
from ..storage.review_models import ReviewItem
from ..storage.rooms import RoomStore
from ..storage.users import UserStore
from ..rooms.sessions.pins import queue_unpinned
from .audit import record
from .queue import act_on_item, check_moderator, notify

HIDDEN_HELD = "Hidden: this room's rules let only admins read a held message."


async def _message_of(tx: Transaction, item: ReviewItem, message_id: str | None) -> tuple[Message, Room]:
    """The message an action is about: the item's own, or one named from its room's context."""
    target = message_id or (item.target_id if item.target_type == "message" else None)
    if target is None:
        raise DomainError(ErrorCode.INVALID, "This item is about a person: name the message_id to remove.",
                          field="message_id")
    message = await tx.session.get(Message, target)
    if message is None:
        raise DomainError(ErrorCode.NOT_FOUND, "That message doesn't exist.", field="message_id")
    if message.room_id != item.room_id:
        raise DomainError(ErrorCode.INVALID, "That message is in another room than this item.", field="message_id")
    room = await tx.session.get(Room, message.room_id)
    assert room is not None
    return message, room


async def do_remove_message(svc: Services, *, actor: Principal, item_id: str, version: int,
                            message_id: str | None) -> dict[str, Any]:
    """Take a message down: its text is deleted for good, peers get message:removed, its author a notice."""
    async def remove(tx: Transaction, item: ReviewItem) -> dict[str, Any]:
        message, room = await _message_of(tx, item, message_id)
        if message.status == "removed":
            raise DomainError(ErrorCode.INVALID, "That message has already been removed.", field="message_id")
        delivered = message.seq is not None
        message.status, message.text, message.original = "removed", None, None
        removed = {"room": room.slug, "id": message.id, "seq": message.seq}
        if delivered:
            tx.after_commit(lambda: svc.broadcaster.publish(room_topic(room.id), "message:removed", removed))
            await queue_unpinned(svc.broadcaster, tx, [(room.id, message.id)])
        tx.after_commit(lambda: notify(svc, message.sender_id, "message_removed", "A moderator removed your "
                                       f"message in {room.name} because it broke the group agreement.",
                                       room=room.slug, message_id=message.id))
        return {"removed": removed}
    return await act_on_item(svc, actor=actor, item_id=item_id, version=version, action="message.remove",
                             change=remove, message_id=message_id)


async def do_approve_message(svc: Services, *, actor: Principal, item_id: str, version: int) -> dict[str, Any]:
    """Release a held message: it takes the room's next sequence number and is delivered like any other.

    Approval posts what the person typed (not the edited text the queue also shows), so only someone
    the room's held_originals rule lets read it may approve: nobody should post words they have not
    read, and posting the edited text instead would still publish unread words (a flood hold's text is
    the original). A moderator in an admins-only room gets `forbidden` and can remove the message or
    resolve the item (the message is then not posted and its author is told). In a room that stores no
    messages the text goes out live only; the row keeps no text, like any live-only message."""
    async def approve(tx: Transaction, item: ReviewItem) -> dict[str, Any]:
        if item.target_type != "message":
            raise DomainError(ErrorCode.INVALID, "Only held messages can be approved.", field="item_id")
        message, room = await _message_of(tx, item, None)
        if message.status != "held":
            raise DomainError(ErrorCode.INVALID, "Only held messages can be approved.", field="item_id")
        if not can_read_held(actor.role, room):
            raise DomainError(ErrorCode.FORBIDDEN, "Only an admin can approve this message: this room's rules "
                              "let only admins read held messages, and nobody should post words they haven't "
                              "read. You can remove it, or resolve the item (it won't be posted, and its "
                              "author will be told).")
        message.seq = await RoomStore(tx.session).next_seq(room.id)
        # Approval says what was typed is fine to share: deliver it as written, and keep no second copy.
        typed = message.original or message.text
        stores = RoomRules.from_json(room.policy).stores_messages
        message.status, message.text, message.original = "visible", typed if stores else None, None
        sender = await tx.session.get(User, message.sender_id)
        assert sender is not None
        delivered = {**message_shape(message, user_shape(sender), room.slug), "text": typed}
        tx.after_commit(lambda: svc.broadcaster.publish(room_topic(room.id), "message:new", delivered))
        tx.after_commit(lambda: notify(svc, message.sender_id, "message_approved", "A moderator approved your "
                                       f"message in {room.name}; everyone can see it now.",
                                       room=room.slug, message_id=message.id))
        return {"approved": {"room": room.slug, "id": message.id, "seq": message.seq}}
    return await act_on_item(svc, actor=actor, item_id=item_id, version=version, action="message.approve",
                             change=approve)


async def do_warn(svc: Services, *, actor: Principal, item_id: str, version: int, note: str) -> dict[str, Any]:
    """A private warning to the person the item is about; the words go to them only, not the audit log."""
    text = note.strip()
    if not 1 <= len(text) <= 500:
        raise DomainError(ErrorCode.INVALID, "Write the warning (up to 500 characters).", field="note")

    async def warn(tx: Transaction, item: ReviewItem) -> None:
        await subject_below(tx, actor, item)
        subject_id = item.subject_id
        tx.after_commit(lambda: notify(svc, subject_id, "moderator_warning", text))
    return await act_on_item(svc, actor=actor, item_id=item_id, version=version, action="warn", change=warn)


async def subject_below(tx: Transaction, actor: Principal, item: ReviewItem) -> User:
    """The item's subject, if below the actor's role: staff warn, mute, kick or ban only people below them."""
    subject = await UserStore(tx.session).get(item.subject_id)
    if subject is None or Role(subject.role).level >= actor.role.level:
        raise DomainError(ErrorCode.FORBIDDEN, "You can only act on people below your own role.")
    return subject


@dataclass(frozen=True, slots=True)
class ContextRequest:
    message_id: str
    before: int = 10
    after: int = 10


def can_read_held(role: Role, room: Room) -> bool:
    """The room's rules say who may read what someone typed in a held message (or the copy a review
    keeps of a message its author erased)."""
    allowed = RoomRules.from_json(room.policy).held_originals
    return role is Role.ADMIN or (allowed is HeldOriginals.MODERATORS and role is Role.MODERATOR)


async def get_context(svc: Services, *, actor: Principal, request: ContextRequest) -> dict[str, Any]:
    """The message and its neighbours, for a moderator; every read (and any held text) is audited. A held
    message's text is shown only to those the room's held_originals rule lets read it; `original` (what
    was typed) sits beside `text` (what the room would see) so the moderator sees what approval posts."""
    check_moderator(actor)
    if not (0 <= request.before <= 50 and 0 <= request.after <= 50):
        raise DomainError(ErrorCode.INVALID, "before and after are 0 to 50.", field="before")
    now = svc.clock.now()
    async with svc.db.transaction() as tx:
        message = await tx.session.get(Message, request.message_id)
        if message is None:
            raise DomainError(ErrorCode.NOT_FOUND, "That message doesn't exist.", field="message_id")
        room = await tx.session.get(Room, message.room_id)
        sender = await tx.session.get(User, message.sender_id)
        assert room is not None and sender is not None
        earlier, later = await MessageStore(tx.session).around(room.id, message.created_at, seq=message.seq,
                                                               before=request.before, after=request.after)
        record(tx.session, actor=actor, action="context.read", target_type="message", target_id=message.id,
               now=now, room_id=room.id, before=len(earlier), after=len(later))
        shown = message_shape(message, user_shape(sender), room.slug)
        readable = can_read_held(actor.role, room)
        if message.status == "held" and not readable:
            # A held message's text may be all of what was typed (a flood hold), so it is hidden too.
            shown["text"], shown["hidden"] = None, HIDDEN_HELD
        if message.original and readable:
            shown["original"] = message.original
            record(tx.session, actor=actor, action="held.read" if message.status == "held" else "original.read",
                   target_type="message", target_id=message.id, now=now, room_id=room.id)
    return {"room": room.slug, "message": shown,
            "before": [message_shape(m, user_shape(u), room.slug) for m, u in earlier],
            "after": [message_shape(m, user_shape(u), room.slug) for m, u in later]}
