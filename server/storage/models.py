"""Tables. Times are Unix seconds (UTC) as floats, so the injected clock drives them everywhere."""
from __future__ import annotations

from typing import Any

from sqlalchemy import (JSON, Boolean, Float, ForeignKey, Index, Integer, MetaData, String, Text, UniqueConstraint,
                        false)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

ID: String = String(32)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class User(Base):
    __tablename__ = "users"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    role: Mapped[str] = mapped_column(String(16))
    pseudonym: Mapped[str] = mapped_column(String(32))
    pseudonym_key: Mapped[str] = mapped_column(String(32), index=True)
    username: Mapped[str | None] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str | None] = mapped_column(String(256))
    token_version: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[float] = mapped_column(Float)
    deactivated_at: Mapped[float | None] = mapped_column(Float)
    age_band: Mapped[str] = mapped_column(String(8), default="adults", server_default="adults")


class Room(Base):
    __tablename__ = "rooms"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    slug: Mapped[str] = mapped_column(String(48), unique=True)
    name: Mapped[str] = mapped_column(String(80))
    description: Mapped[str] = mapped_column(Text)
    agreement: Mapped[str] = mapped_column(Text)
    agreement_version: Mapped[int] = mapped_column(Integer, default=1)
    listeners_allowed: Mapped[bool] = mapped_column(Boolean, default=True)
    capacity: Mapped[int] = mapped_column(Integer)
    policy: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    position: Mapped[int] = mapped_column(Integer, default=0)
    last_seq: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[float] = mapped_column(Float)
    archived_at: Mapped[float | None] = mapped_column(Float)
    age_band: Mapped[str] = mapped_column(String(8), default="adults", server_default="adults")
    # Room-wide slow mode (rooms/slow_mode.py): seconds between one person's messages, 0 when off, and when
    # it lifts by itself (None: until a moderator turns it off).
    slow_mode_seconds: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    slow_mode_until: Mapped[float | None] = mapped_column(Float)


class SlowModePost(Base):
    """When each person last posted in a room under slow mode, and until when a crisis message of theirs
    exempts them from it: one row per (room, person), claimed atomically by each send."""

    __tablename__ = "slow_mode_posts"

    room_id: Mapped[str] = mapped_column(ForeignKey("rooms.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    last_post_at: Mapped[float | None] = mapped_column(Float)
    crisis_until: Mapped[float | None] = mapped_column(Float)


class Membership(Base):
    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("room_id", "user_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    room_id: Mapped[str] = mapped_column(ForeignKey("rooms.id", ondelete="CASCADE"))
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    mode: Mapped[str] = mapped_column(String(16))
    agreement_version: Mapped[int] = mapped_column(Integer)
    accepted_at: Mapped[float] = mapped_column(Float)
    joined_at: Mapped[float] = mapped_column(Float)


class Message(Base):
    __tablename__ = "messages"
    __table_args__ = (
        UniqueConstraint("room_id", "seq"),
        UniqueConstraint("sender_id", "room_id", "client_msg_id"),
        Index("ix_messages_room_created", "room_id", "created_at"),
    )

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    room_id: Mapped[str] = mapped_column(ForeignKey("rooms.id", ondelete="CASCADE"))
    sender_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    client_msg_id: Mapped[str] = mapped_column(String(64))
    seq: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16))
    text: Mapped[str | None] = mapped_column(Text)
    # What the person typed, kept only while a moderator has to review a held message.
    original: Mapped[str | None] = mapped_column(Text)
    decision: Mapped[str] = mapped_column(String(16))
    flags: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    notices: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    created_at: Mapped[float] = mapped_column(Float)
    content_warning: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class JobRun(Base):
    __tablename__ = "job_runs"

    name: Mapped[str] = mapped_column(String(48), primary_key=True)
    last_run_at: Mapped[float] = mapped_column(Float)
    last_removed: Mapped[int] = mapped_column(Integer)
    runs: Mapped[int] = mapped_column(Integer)


from . import review_models  # noqa: E402,F401  (the review queue's tables join Base.metadata)
# Imported here so Alembic and the test harness see every table through Base.metadata.
from .session_models import GroupSession, SessionEvent, SessionFeedback, SessionParticipant  # noqa: E402,F401
from . import admin_models  # noqa: E402,F401  (administration tables register on Base.metadata)
