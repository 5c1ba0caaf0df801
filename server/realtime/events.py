"""Client events: each handler parses its payload and calls one service. The gateway does the rest."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Awaitable, Callable

from ..identity.principal import Principal
from ..rooms.catalogue import list_rooms
from ..errors import DomainError, ErrorCode
from ..rooms.erasure import do_delete_account, do_delete_message
from ..rooms.history import HistoryRequest, get_history
from ..rooms.membership import JoinRequest, do_join_room, do_leave_room
from ..rooms.messages import SendRequest, do_send_message
from ..rooms.refused_sends import answer_refused_send
from ..rooms.typing import do_typing
from ..services import Services
from ..settings import RateLimits
from .payloads import Payload, raw_string

SEQ_MAX = 2**31 - 1


@dataclass(frozen=True, slots=True)
class Call:
    svc: Services
    actor: Principal
    sid: str
    payload: Payload


Handler = Callable[[Call], Awaitable[dict[str, Any] | None]]


@dataclass(frozen=True, slots=True)
class Refusal:
    """An event the gateway or its service refused: its raw arguments, why, and how to run it after all
    (`go_ahead`: parse and handle, without the rate limit)."""

    svc: Services
    actor: Principal
    sid: str
    args: tuple[Any, ...]
    error: DomainError
    go_ahead: Callable[[], Awaitable[dict[str, Any] | None]]


OnRefusal = Callable[[Refusal], Awaitable[dict[str, Any] | None]]


@dataclass(frozen=True, slots=True)
class EventSpec:
    handler: Handler
    fields: frozenset[str]
    limit: str | None = None
    ends_connection: bool = False
    # Has its say on every refusal before the ack: raises the refusal to give, or answers after all.
    on_refusal: OnRefusal | None = None

    def __post_init__(self) -> None:
        assert self.limit is None or self.limit in RateLimits.__dataclass_fields__


EVENTS: dict[str, EventSpec] = {}


def event(name: str, *fields: str, limit: str | None = None, ends_connection: bool = False,
          on_refusal: OnRefusal | None = None) -> Callable[[Handler], Handler]:
    """Register a handler; `ends_connection` closes the connection right after a successful ack."""
    def register(handler: Handler) -> Handler:
        EVENTS[name] = EventSpec(handler, frozenset(fields), limit, ends_connection, on_refusal)
        return handler
    return register


@event("rooms:list")
async def rooms_list(call: Call) -> dict[str, Any]:
    return {"rooms": await list_rooms(call.svc.db, call.svc.presence, call.actor, now=call.svc.clock.now())}


@event("room:join", "room", "accept_agreement", "as", limit="join_room")
async def room_join(call: Call) -> dict[str, Any]:
    p = call.payload
    request = JoinRequest(room=p.string("room", max_length=48), accept_agreement=p.boolean("accept_agreement",
                          default=False), mode=p.string("as", max_length=16, required=False) or "participant")
    return await do_join_room(call.svc, actor=call.actor, sid=call.sid, request=request)


@event("room:leave", "room")
async def room_leave(call: Call) -> None:
    await do_leave_room(call.svc, actor=call.actor, sid=call.sid, room_slug=call.payload.string("room", max_length=48))


async def message_send_refused(refusal: Refusal) -> dict[str, Any] | None:
    """A refused message is still read for crisis (rooms/refused_sends.py)."""
    return await answer_refused_send(refusal.svc, actor=refusal.actor, sid=refusal.sid,
                                     text=raw_string(refusal.args, "text"),
                                     room_slug=raw_string(refusal.args, "room"), refusal=refusal.error,
                                     go_ahead=refusal.go_ahead)


@event("message:send", "room", "text", "client_msg_id", "content_warning", limit="send_message",
       on_refusal=message_send_refused)
async def message_send(call: Call) -> dict[str, Any]:
    p = call.payload
    request = SendRequest(room=p.string("room", max_length=48), text=p.string("text", max_length=8000),
                          client_msg_id=p.string("client_msg_id", max_length=64),
                          content_warning=p.boolean("content_warning", default=False))
    return await do_send_message(call.svc, actor=call.actor, sid=call.sid, request=request)


@event("message:history", "room", "before", "after", "limit", limit="history")
async def message_history(call: Call) -> dict[str, Any]:
    p = call.payload
    request = HistoryRequest(room=p.string("room", max_length=48), before=p.optional_int("before", low=1, high=SEQ_MAX),
                             after=p.optional_int("after", low=0, high=SEQ_MAX),
                             limit=p.optional_int("limit", low=1, high=1000) or 50)
    return await get_history(call.svc, actor=call.actor, sid=call.sid, request=request)


@event("typing", "room", limit="typing")
async def typing(call: Call) -> None:
    await do_typing(call.svc, actor=call.actor, sid=call.sid, room_slug=call.payload.string("room", max_length=48))


@event("message:delete", "message_id")
async def message_delete(call: Call) -> None:
    await do_delete_message(call.svc, actor=call.actor, message_id=call.payload.string("message_id", max_length=64))


@event("account:delete", "confirm", ends_connection=True)
async def account_delete(call: Call) -> dict[str, Any]:
    if not call.payload.boolean("confirm", default=False):
        raise DomainError(ErrorCode.INVALID, "Send confirm: true to delete your account and everything it wrote.",
                          field="confirm")
    return {"messages_deleted": await do_delete_account(call.svc, actor=call.actor, asking_sid=call.sid)}
