"""Moderation events: the review queue, moderator actions, private support, reports and help requests.

Handlers only parse; every service checks the actor's role itself (never trusting the client).
"""
from __future__ import annotations

from typing import Any

from ..errors import DomainError, ErrorCode
from ..moderation.actions import ContextRequest, do_approve_message, do_remove_message, do_warn, get_context
from ..moderation.people import do_ban, do_kick, do_mute, do_set_role
from ..moderation.queue import MODERATORS_TOPIC, QueueRequest, check_moderator, do_claim, do_release, do_resolve, \
    list_queue
from ..moderation.reports import do_help_request, do_report
from ..moderation.routing import moderator_topic
from ..moderation.support import do_open_support, do_send_support, get_support_history
from ..rooms.moderators import list_my_rooms
from ..rooms.slow_mode import do_set_slow_mode
from .events import Call, event
from .payloads import Payload

ID_LENGTH = 32
VERSION_MAX = 2**31 - 1


def _item(p: Payload) -> tuple[str, int]:
    version = p.optional_int("version", low=1, high=VERSION_MAX)
    if version is None:
        raise DomainError(ErrorCode.INVALID_PAYLOAD, "'version' is required: send the item's current version.",
                          field="version")
    return p.string("item_id", max_length=ID_LENGTH), version


@event("mod:subscribe")
async def mod_subscribe(call: Call) -> dict[str, Any]:
    check_moderator(call.actor)
    await call.svc.broadcaster.subscribe(call.sid, MODERATORS_TOPIC)
    await call.svc.broadcaster.subscribe(call.sid, moderator_topic(call.actor.user_id))
    call.svc.moderation.subscribe(call.sid, call.actor.user_id)
    queue = await list_queue(call.svc, actor=call.actor, request=QueueRequest())
    moderation = call.svc.moderation
    return {**queue, "moderators_online": moderation.moderators_online() if moderation.sees_everyone() else None,
            "my_rooms": await list_my_rooms(call.svc, call.actor.user_id)}


@event("mod:queue", "status", "room", "severity", "limit", "cursor", "mine")
async def mod_queue(call: Call) -> dict[str, Any]:
    p = call.payload
    request = QueueRequest(status=p.string("status", max_length=16, required=False) or "open",
                           room=p.string("room", max_length=48, required=False) or None,
                           severity=p.string("severity", max_length=16, required=False) or None,
                           limit=p.optional_int("limit", low=1, high=1000) or 50,
                           cursor=p.string("cursor", max_length=400, required=False) or None,
                           mine=p.boolean("mine", default=False))
    return await list_queue(call.svc, actor=call.actor, request=request)


@event("mod:claim", "item_id", "version")
async def mod_claim(call: Call) -> dict[str, Any]:
    item_id, version = _item(call.payload)
    return await do_claim(call.svc, actor=call.actor, item_id=item_id, version=version)


@event("mod:release", "item_id", "version")
async def mod_release(call: Call) -> dict[str, Any]:
    item_id, version = _item(call.payload)
    return await do_release(call.svc, actor=call.actor, item_id=item_id, version=version)


@event("mod:resolve", "item_id", "version", "outcome", "note")
async def mod_resolve(call: Call) -> dict[str, Any]:
    item_id, version = _item(call.payload)
    p = call.payload
    return await do_resolve(call.svc, actor=call.actor, item_id=item_id, version=version,
                            outcome=p.string("outcome", max_length=24), note=p.string("note", max_length=4000,
                                                                                      required=False))


@event("mod:context", "message_id", "before", "after")
async def mod_context(call: Call) -> dict[str, Any]:
    p = call.payload
    before, after = p.optional_int("before", low=0, high=1000), p.optional_int("after", low=0, high=1000)
    request = ContextRequest(message_id=p.string("message_id", max_length=ID_LENGTH),
                             before=10 if before is None else before, after=10 if after is None else after)
    return await get_context(call.svc, actor=call.actor, request=request)


@event("mod:remove", "item_id", "version", "message_id")
async def mod_remove(call: Call) -> dict[str, Any]:
    item_id, version = _item(call.payload)
    message_id = call.payload.string("message_id", max_length=ID_LENGTH, required=False) or None
    return await do_remove_message(call.svc, actor=call.actor, item_id=item_id, version=version,
                                   message_id=message_id)


@event("mod:approve", "item_id", "version")
async def mod_approve(call: Call) -> dict[str, Any]:
    item_id, version = _item(call.payload)
    return await do_approve_message(call.svc, actor=call.actor, item_id=item_id, version=version)


@event("mod:warn", "item_id", "version", "note")
async def mod_warn(call: Call) -> dict[str, Any]:
    item_id, version = _item(call.payload)
    return await do_warn(call.svc, actor=call.actor, item_id=item_id, version=version,
                         note=call.payload.string("note", max_length=4000))


@event("mod:mute", "item_id", "version", "minutes", "everywhere")
async def mod_mute(call: Call) -> dict[str, Any]:
    item_id, version = _item(call.payload)
    p = call.payload
    return await do_mute(call.svc, actor=call.actor, item_id=item_id, version=version,
                         minutes=p.optional_int("minutes", low=-VERSION_MAX, high=VERSION_MAX) or 0,
                         everywhere=p.boolean("everywhere", default=False))


@event("mod:kick", "item_id", "version")
async def mod_kick(call: Call) -> dict[str, Any]:
    item_id, version = _item(call.payload)
    return await do_kick(call.svc, actor=call.actor, item_id=item_id, version=version)


@event("mod:ban", "item_id", "version")
async def mod_ban(call: Call) -> dict[str, Any]:
    item_id, version = _item(call.payload)
    return await do_ban(call.svc, actor=call.actor, item_id=item_id, version=version)


@event("mod:set_role", "user_id", "role")
async def mod_set_role(call: Call) -> dict[str, Any]:
    p = call.payload
    return await do_set_role(call.svc, actor=call.actor, user_id=p.string("user_id", max_length=ID_LENGTH),
                             role=p.string("role", max_length=16))


@event("room:slow_mode", "room", "seconds", "minutes", "reason")
async def room_slow_mode(call: Call) -> dict[str, Any]:
    p = call.payload
    return await do_set_slow_mode(call.svc, actor=call.actor, slug=p.string("room", max_length=48),
                                  seconds=p.optional_int("seconds", low=0, high=VERSION_MAX),
                                  minutes=p.optional_int("minutes", low=0, high=VERSION_MAX),
                                  reason=p.string("reason", max_length=24, required=False) or None)


@event("support:open", "user_id")
async def support_open(call: Call) -> dict[str, Any]:
    return await do_open_support(call.svc, actor=call.actor,
                                 user_id=call.payload.string("user_id", max_length=ID_LENGTH))


@event("support:send", "conversation_id", "text")
async def support_send(call: Call) -> dict[str, Any]:
    p = call.payload
    return await do_send_support(call.svc, actor=call.actor, conversation_id=p.string("conversation_id",
                                 max_length=ID_LENGTH), text=p.string("text", max_length=8000))


@event("support:history", "conversation_id")
async def support_history(call: Call) -> dict[str, Any]:
    return await get_support_history(call.svc, actor=call.actor, conversation_id=call.payload.string(
        "conversation_id", max_length=ID_LENGTH))


@event("message:report", "message_id", "reason", limit="report")
async def message_report(call: Call) -> dict[str, Any]:
    p = call.payload
    return await do_report(call.svc, actor=call.actor, sid=call.sid, message_id=p.string("message_id",
                           max_length=ID_LENGTH), reason=p.string("reason", max_length=40))


@event("help:request", "room")
async def help_request(call: Call) -> dict[str, Any]:
    return await do_help_request(call.svc, actor=call.actor,
                                 room_slug=call.payload.string("room", max_length=48, required=False))
