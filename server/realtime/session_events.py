"""Client events for live sessions: joining, the state machine, the raise-hand queue, facilitator controls
and feedback. Registered on import (gateway.py imports this module); handlers stay thin.
"""
from __future__ import annotations

from typing import Any

from ..rooms.sessions.attendance import do_join_session, do_leave_session
from ..rooms.sessions.controls import Control, do_lower_hand, do_raise_hand, do_session_control
from ..rooms.sessions.feedback import FeedbackForm, do_submit_feedback
from ..rooms.sessions.lifecycle import do_end_session, do_start_session
from .events import Call, Handler, event

ID_LENGTH = 32

# Facilitator controls: event -> (control kind, extra payload fields). One handler serves them all.
CONTROL_EVENTS: dict[str, tuple[str, tuple[str, ...]]] = {
    "session:mute": ("mute", ("user",)),
    "session:unmute": ("unmute", ("user",)),
    "session:slow_mode": ("slow_mode", ("seconds",)),
    "session:lock": ("lock", ()),
    "session:unlock": ("unlock", ()),
    "session:pin": ("pin", ("text", "message")),
    "session:rounds": ("rounds", ("on",)),
    "turn:give": ("turn", ("user",)),
    "session:break": ("break", ("minutes",)),
    "session:remove": ("remove", ("user", "text")),
}


def _session(call: Call) -> str:
    return call.payload.string("session", max_length=ID_LENGTH)


def _optional(call: Call, name: str, max_length: int) -> str | None:
    return call.payload.string(name, max_length=max_length, required=False) or None


def _control_handler(kind: str) -> Handler:
    async def handle(call: Call) -> dict[str, Any]:
        p = call.payload
        control = Control(kind, user=_optional(call, "user", ID_LENGTH),
                          seconds=p.optional_int("seconds", low=0, high=3600),
                          minutes=p.optional_int("minutes", low=0, high=60), on=p.boolean("on", default=False),
                          text=_optional(call, "text", 2000), message=_optional(call, "message", ID_LENGTH))
        return await do_session_control(call.svc, actor=call.actor, session_id=_session(call), control=control)
    return handle


for _name, (_kind, _fields) in CONTROL_EVENTS.items():
    event(_name, "session", *_fields)(_control_handler(_kind))


@event("session:join", "session", "as", limit="join_room")
async def session_join(call: Call) -> dict[str, Any]:
    mode = _optional(call, "as", 16) or "participant"
    return await do_join_session(call.svc, actor=call.actor, sid=call.sid, session_id=_session(call), mode=mode)


@event("session:leave", "session")
async def session_leave(call: Call) -> dict[str, Any]:
    return await do_leave_session(call.svc, actor=call.actor, session_id=_session(call))


@event("session:start", "session")
async def session_start(call: Call) -> dict[str, Any]:
    return await do_start_session(call.svc, actor=call.actor, session_id=_session(call))


@event("session:end", "session")
async def session_end(call: Call) -> dict[str, Any]:
    return await do_end_session(call.svc, actor=call.actor, session_id=_session(call))


@event("hand:raise", "session")
async def hand_raise(call: Call) -> dict[str, Any]:
    return await do_raise_hand(call.svc, actor=call.actor, session_id=_session(call), raised=True)


@event("hand:lower", "session", "user")
async def hand_lower(call: Call) -> dict[str, Any]:
    return await do_lower_hand(call.svc, actor=call.actor, session_id=_session(call),
                               user=_optional(call, "user", ID_LENGTH))


@event("feedback:submit", "session", "rating", "heard", "safe", "text")
async def feedback_submit(call: Call) -> dict[str, Any]:
    p = call.payload
    form = FeedbackForm(rating=p.optional_int("rating", low=1, high=5), heard=p.boolean("heard", default=False),
                        safe=p.boolean("safe", default=False), text=p.string("text", max_length=8000, required=False))
    return await do_submit_feedback(call.svc, actor=call.actor, session_id=_session(call), form=form)
