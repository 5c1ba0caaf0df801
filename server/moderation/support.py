"""Reaching out privately: a stored 1:1 conversation between a moderator and one person.

Only a moderator opens one; both sides write in it; each message is pushed to both people's own topics.
A conversation someone is not part of answers not_found, exactly like one that doesn't exist.
"""
from __future__ import annotations

import uuid
from typing import Any

from ..broadcast import user_topic
from ..clock import iso
from ..errors import DomainError, ErrorCode
from ..identity.principal import Principal
from ..identity.roles import can_moderate
from ..rooms.messages import check_message_text
from ..rooms.shapes import user_shape
from ..services import Services
from ..storage.models import User
from ..storage.review_models import SupportConversation, SupportMessage
from ..storage.support import SupportStore
from ..storage.users import UserStore
from .audit import record
from .queue import check_moderator

HISTORY = 100


def _message_shape(message: SupportMessage) -> dict[str, Any]:
    return {"id": message.id, "conversation_id": message.conversation_id, "sender_id": message.sender_id,
            "text": message.text, "created_at": iso(message.created_at)}


def _conversation_shape(conversation: SupportConversation, moderator: User, user: User) -> dict[str, Any]:
    return {"id": conversation.id, "moderator": user_shape(moderator), "user": user_shape(user),
            "created_at": iso(conversation.created_at)}


async def do_open_support(svc: Services, *, actor: Principal, user_id: str) -> dict[str, Any]:
    """Open (or reopen) the moderator's conversation with this person; they get `support:opened`."""
    check_moderator(actor)
    if user_id == actor.user_id:
        raise DomainError(ErrorCode.INVALID, "You can't open a support conversation with yourself.",
                          field="user_id")
    now = svc.clock.now()
    async with svc.db.transaction() as tx:
        users = UserStore(tx.session)
        person, moderator = await users.get(user_id), await users.get(actor.user_id)
        if person is None or person.deactivated_at is not None:
            raise DomainError(ErrorCode.NOT_FOUND, "That person doesn't exist (or their account is closed).",
                              field="user_id")
        assert moderator is not None
        store = SupportStore(tx.session)
        conversation = await store.between(actor.user_id, user_id)
        if conversation is None:
            conversation = SupportConversation(id=uuid.uuid4().hex, moderator_id=actor.user_id, user_id=user_id,
                                               created_at=now)
            store.add(conversation)
        record(tx.session, actor=actor, action="support.open", target_type="user", target_id=user_id, now=now)
        await tx.session.flush()
        messages = await store.messages(conversation.id, HISTORY)
        shape = _conversation_shape(conversation, moderator, person)
        tx.after_commit(lambda: svc.broadcaster.publish(user_topic(user_id), "support:opened",
                                                        {"conversation": shape}))
    return {"conversation": shape, "messages": [_message_shape(m) for m in messages]}


async def _conversation_of(store: SupportStore, actor: Principal, conversation_id: str) -> SupportConversation:
    """The peer's side is theirs for good; the staff side only while they still moderate (a demoted moderator
    no longer reads what a peer told the team)."""
    conversation = await store.get(conversation_id)
    as_peer = conversation is not None and actor.user_id == conversation.user_id
    as_staff = conversation is not None and actor.user_id == conversation.moderator_id and can_moderate(actor.role)
    if conversation is None or not (as_peer or as_staff):
        raise DomainError(ErrorCode.NOT_FOUND, "That conversation doesn't exist.", field="conversation_id")
    return conversation


async def do_send_support(svc: Services, *, actor: Principal, conversation_id: str, text: str) -> dict[str, Any]:
    body = check_message_text(text, svc.settings.max_message_chars)
    async with svc.db.transaction() as tx:
        store = SupportStore(tx.session)
        conversation = await _conversation_of(store, actor, conversation_id)
        message = SupportMessage(id=uuid.uuid4().hex, conversation_id=conversation.id, sender_id=actor.user_id,
                                 text=body, created_at=svc.clock.now())
        store.add(message)
        shape = _message_shape(message)

        async def push() -> None:
            for user_id in (conversation.moderator_id, conversation.user_id):
                await svc.broadcaster.publish(user_topic(user_id), "support:message", shape)
        tx.after_commit(push)
    return {"message": shape}


async def get_support_history(svc: Services, *, actor: Principal, conversation_id: str) -> dict[str, Any]:
    async with svc.db.read() as session:
        store = SupportStore(session)
        conversation = await _conversation_of(store, actor, conversation_id)
        messages = await store.messages(conversation.id, HISTORY)
    return {"conversation_id": conversation.id, "messages": [_message_shape(m) for m in messages]}
