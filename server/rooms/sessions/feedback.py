"""Anonymous feedback after a session, and the aggregates facilitators see.

A response row holds no user id and no time; the participant row only remembers that its one form was
used. Aggregates stay hidden below MIN_RESPONSES, so no single answer can be read back. A comment that
speaks of crisis is the exception that safety makes: the moderators get a crisis item about the person
(never the facilitators, never linked to the response), and the person gets the crisis lines at once.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from ...errors import DomainError, ErrorCode
from ...identity.principal import Principal
from ...moderation.pipeline import review
from ...moderation.policy import RoomPolicy, SenderContext
from ...moderation.queue import Signal, raise_item
from ...moderation.triage import ItemKind, Triage
from ...moderation.verdict import Decision, FlagKind
from ...services import Services
from ...storage.models import Room
from ...storage.session_models import SessionFeedback
from ...storage.sessions import SessionStore
from ..shapes import notice_shape
from .access import check_can_control, check_session

MIN_RESPONSES = 3
MAX_COMMENT = 2000
QUESTIONS = [
    {"id": "rating", "kind": "scale", "min": 1, "max": 5, "text": "How was this session for you?"},
    {"id": "heard", "kind": "yes_no", "text": "Did you feel heard?"},
    {"id": "safe", "kind": "yes_no", "text": "Did you feel safe?"},
    {"id": "text", "kind": "text", "optional": True, "text": "Anything you'd like the facilitators to know?"},
]
COMMENT_STATUS = {Decision.ALLOW: "visible", Decision.ALLOW_MODIFIED: "visible", Decision.HOLD: "held",
                  Decision.BLOCK: "blocked"}


@dataclass(frozen=True, slots=True)
class FeedbackForm:
    rating: int | None
    heard: bool
    safe: bool
    text: str


async def do_submit_feedback(svc: Services, *, actor: Principal, session_id: str,
                             form: FeedbackForm) -> dict[str, Any]:
    text = form.text.strip()
    if form.rating is None:
        raise DomainError(ErrorCode.INVALID, "Please give a rating from 1 to 5.", field="rating")
    if len(text) > MAX_COMMENT:
        raise DomainError(ErrorCode.INVALID, f"Comments can be up to {MAX_COMMENT} characters.", field="text")
    async with svc.db.transaction() as tx:
        store = SessionStore(tx.session)
        row = await check_session(store, session_id)
        if not await store.take_feedback_slot(row.id, actor.user_id):
            raise DomainError(ErrorCode.CONFLICT, "There is no feedback form waiting for you for this session "
                              "(or you have already sent it).")
        room = await tx.session.get(Room, row.room_id)
        decision, comment, notices = Decision.ALLOW, None, []
        if text:
            verdict = review(text, RoomPolicy.from_mapping(room.policy if room else {}),
                             SenderContext(now=svc.clock.now()))
            decision, comment = verdict.decision, verdict.text
            notices = [notice_shape(n.code, n.message, actor.locale, svc.live.book) for n in verdict.notices]
            crisis = verdict.flag_of(FlagKind.CRISIS)
            if crisis is not None:
                await raise_item(tx, svc, Signal("user", actor.user_id, row.room_id, actor.user_id,
                                                 Triage(ItemKind.CRISIS, crisis.severity), "feedback",
                                                 actor.user_id, "session_feedback"), svc.clock.now())
        status = COMMENT_STATUS[decision] if text else "none"
        if status == "blocked":
            comment = None
            notices.append({"code": "comment_not_kept", "message": "Your ratings were recorded, but your comment "
                            "was not kept because it broke the group's rules."})
        store.add(SessionFeedback(id=uuid.uuid4().hex, session_id=row.id, series_id=row.series_id,
                                  rating=form.rating, heard=form.heard, safe=form.safe, comment=comment,
                                  comment_status=status))
    return {"decision": decision.value, "notices": notices}


def aggregate(rows: list[SessionFeedback]) -> dict[str, Any]:
    if len(rows) < MIN_RESPONSES:
        return {"enough": False, "minimum": MIN_RESPONSES}
    count = len(rows)
    return {
        "enough": True,
        "responses": count,
        "rating_average": round(sum(r.rating for r in rows) / count, 2),
        "ratings": {str(score): sum(r.rating == score for r in rows) for score in range(1, 6)},
        "felt_heard": round(sum(r.heard for r in rows) / count, 3),
        "felt_safe": round(sum(r.safe for r in rows) / count, 3),
        # Sorted, never in arrival order, so a comment cannot be matched to who left when.
        "comments": sorted(r.comment for r in rows if r.comment_status == "visible" and r.comment),
    }


async def get_feedback(svc: Services, *, actor: Principal, session_id: str) -> dict[str, Any]:
    async with svc.db.read() as session:
        store = SessionStore(session)
        row = await check_session(store, session_id)
        check_can_control(row, actor)
        this = await store.feedback(session_id=row.id)
        series = await store.feedback(series_id=row.series_id)
    return {"session": aggregate(this), "series": aggregate(series)}
