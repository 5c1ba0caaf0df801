"""A peer's right to take back what they wrote: one message, or their whole account."""
from __future__ import annotations

import logging

from ..broadcast import room_topic, user_topic
from ..errors import DomainError, ErrorCode
from ..identity.principal import Principal
from ..moderation.live_config import STAFF
from ..services import Services
from ..storage.admin import ConfigVersionStore
from ..storage.messages import MessageStore
from ..storage.review import ReviewStore
from ..storage.rooms import RoomStore
from ..storage.users import UserStore
from .sessions.pins import queue_unpinned

log = logging.getLogger("peerchat.erasure")

NOT_FOUND = "That message doesn't exist or isn't yours to delete."


async def do_delete_message(svc: Services, *, actor: Principal, message_id: str) -> None:
    """The author deletes a message: its text is gone at once and others see "message deleted"."""
    async with svc.db.transaction() as tx:
        store = MessageStore(tx.session)
        message = await store.get(message_id)
        # Someone else's message and no message at all answer the same, so ids cannot be probed.
        if message is None or message.sender_id != actor.user_id or message.status == "deleted":
            raise DomainError(ErrorCode.NOT_FOUND, NOT_FOUND)
        await store.mark_deleted(message.id)
        if message.seq is not None:
            room_id, seq = message.room_id, message.seq
            slug = (await RoomStore(tx.session).slug_of(room_id)) or ""
            tx.after_commit(lambda: svc.broadcaster.publish(room_topic(room_id), "message:deleted",
                                                            {"room": slug, "id": message_id, "seq": seq}))
            await queue_unpinned(svc.broadcaster, tx, [(room_id, message_id)])
    log.info("message_deleted_by_author user=%s message=%s", actor.user_id, message_id)


async def do_delete_account(svc: Services, *, actor: Principal, asking_sid: str | None = None) -> int:
    """Delete the account and everything it wrote; its connections close (the asking one after its answer).
    What an open safety review still needs stays, detached to a placeholder account and hidden from the
    room. Returns how many delivered messages were removed."""
    async with svc.db.transaction() as tx:
        users, reviews = UserStore(tx.session), ReviewStore(tx.session)
        placeholder = await users.erased_placeholder(svc.clock.now())
        erased = await MessageStore(tx.session).erase_sender(actor.user_id, keep=reviews.message_targets(),
                                                             detach_to=placeholder)
        await reviews.reassign_subject(actor.user_id, placeholder)
        slugs = {room_id: await RoomStore(tx.session).slug_of(room_id) or "" for room_id, _, _ in erased}
        await users.delete(actor.user_id)
        await queue_unpinned(svc.broadcaster, tx, [(room_id, message_id) for room_id, message_id, _ in erased])
        await ConfigVersionStore(tx.session).bump(STAFF)  # other processes close their connections of it

        async def announce() -> None:
            for room_id, message_id, seq in erased:
                await svc.broadcaster.publish(room_topic(room_id), "message:deleted",
                                              {"room": slugs[room_id], "id": message_id, "seq": seq})
            await svc.broadcaster.close_topic(user_topic(actor.user_id), except_sid=asking_sid)
        tx.after_commit(announce)
    log.info("account_deleted user=%s messages=%d", actor.user_id, len(erased))
    return len(erased)
