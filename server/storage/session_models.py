"""Tables for scheduled group sessions: occurrences, who takes part, the facilitation audit trail, feedback.

Feedback rows carry no user id, no time and a random id, so a response cannot be traced to its author.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, Boolean, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .models import ID, Base


class GroupSession(Base):
    """One occurrence; a recurring series is several rows sharing series_id. Live controls sit in `controls`."""

    __tablename__ = "group_sessions"
    __table_args__ = (
        Index("ix_group_sessions_room_start", "room_id", "start_at"),
        Index("ix_group_sessions_state_opens", "state", "opens_at"),
    )

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    series_id: Mapped[str] = mapped_column(ID, index=True)
    room_id: Mapped[str] = mapped_column(ForeignKey("rooms.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text)
    facilitators: Mapped[list[str]] = mapped_column(JSON)
    time_zone: Mapped[str] = mapped_column(String(64))
    start_at: Mapped[float] = mapped_column(Float)
    duration_minutes: Mapped[int] = mapped_column(Integer)
    lobby_minutes: Mapped[int] = mapped_column(Integer)
    opens_at: Mapped[float] = mapped_column(Float)
    ends_at: Mapped[float] = mapped_column(Float)
    capacity: Mapped[int] = mapped_column(Integer)
    recurrence: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    confidential: Mapped[bool] = mapped_column(Boolean)
    listeners_allowed: Mapped[bool] = mapped_column(Boolean)
    state: Mapped[str] = mapped_column(String(16))
    controls: Mapped[dict[str, Any]] = mapped_column(JSON)
    version: Mapped[int] = mapped_column(Integer, default=0)
    created_by: Mapped[str] = mapped_column(ID)
    created_at: Mapped[float] = mapped_column(Float)
    started_at: Mapped[float | None] = mapped_column(Float)
    ended_at: Mapped[float | None] = mapped_column(Float)


class SessionParticipant(Base):
    """A person's relation to one occurrence: RSVP, place or waitlist, mute, slow-mode clock, feedback due."""

    __tablename__ = "session_participants"
    __table_args__ = (UniqueConstraint("session_id", "user_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    session_id: Mapped[str] = mapped_column(ForeignKey("group_sessions.id", ondelete="CASCADE"))
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(16))
    mode: Mapped[str] = mapped_column(String(16))
    rsvp: Mapped[bool] = mapped_column(Boolean, default=False)
    attended: Mapped[bool] = mapped_column(Boolean, default=False)
    muted: Mapped[bool] = mapped_column(Boolean, default=False)
    queued_at: Mapped[float | None] = mapped_column(Float)
    last_post_at: Mapped[float | None] = mapped_column(Float)
    feedback: Mapped[str] = mapped_column(String(8), default="none")


class SessionEvent(Base):
    """Append-only audit of facilitation: transitions, controls, removals (ids and decisions only)."""

    __tablename__ = "session_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    session_id: Mapped[str] = mapped_column(ForeignKey("group_sessions.id", ondelete="CASCADE"), index=True)
    actor_id: Mapped[str | None] = mapped_column(ID)
    action: Mapped[str] = mapped_column(String(32))
    target_id: Mapped[str | None] = mapped_column(ID)
    detail: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[float] = mapped_column(Float, index=True)  # audit retention deletes by it


class SessionFeedback(Base):
    __tablename__ = "session_feedback"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    session_id: Mapped[str] = mapped_column(ForeignKey("group_sessions.id", ondelete="CASCADE"), index=True)
    series_id: Mapped[str] = mapped_column(ID, index=True)
    rating: Mapped[int] = mapped_column(Integer)
    heard: Mapped[bool] = mapped_column(Boolean)
    safe: Mapped[bool] = mapped_column(Boolean)
    comment: Mapped[str | None] = mapped_column(Text)
    comment_status: Mapped[str] = mapped_column(String(16))
