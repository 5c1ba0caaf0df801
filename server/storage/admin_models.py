"""Tables for administration: the audit of admin changes, watched-word rules, their hits and mutes,
crisis resources edited by admins, the moderators assigned to rooms, the version counters every
process polls to reload them, and the pushes the command line queues for the servers."""
from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, Boolean, Float, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from .models import ID, Base


class AdminChange(Base):
    __tablename__ = "admin_changes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    actor_id: Mapped[str] = mapped_column(String(32), index=True)
    actor_name: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(48))
    target: Mapped[str] = mapped_column(String(128))
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    created_at: Mapped[float] = mapped_column(Float, index=True)


class WatchedWord(Base):
    __tablename__ = "watched_words"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(16))
    room_id: Mapped[str | None] = mapped_column(ForeignKey("rooms.id", ondelete="CASCADE"), index=True)
    mute_minutes: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[float] = mapped_column(Float)
    updated_at: Mapped[float] = mapped_column(Float)


class WatchedHit(Base):
    """One message that hit a watched-word rule, kept for the escalation window only."""

    __tablename__ = "watched_hits"
    __table_args__ = (Index("ix_watched_hits_user_room_at", "user_id", "room_id", "created_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    room_id: Mapped[str] = mapped_column(ForeignKey("rooms.id", ondelete="CASCADE"))
    rule_id: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[float] = mapped_column(Float, index=True)  # audit retention deletes by it


class RuleMute(Base):
    """A sender muted in one room by a watched-word rule or its escalation, until a time."""

    __tablename__ = "rule_mutes"
    __table_args__ = (Index("ix_rule_mutes_user_room", "user_id", "room_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    room_id: Mapped[str] = mapped_column(ForeignKey("rooms.id", ondelete="CASCADE"))
    rule_id: Mapped[str] = mapped_column(String(32))
    until: Mapped[float] = mapped_column(Float, index=True)  # audit retention deletes ended mutes by it
    created_at: Mapped[float] = mapped_column(Float)


class CrisisResourceRow(Base):
    __tablename__ = "crisis_resources"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    region: Mapped[str] = mapped_column(String(8), index=True)
    name: Mapped[str] = mapped_column(String(120))
    phone: Mapped[str | None] = mapped_column(String(64))
    text: Mapped[str | None] = mapped_column(String(120))
    url: Mapped[str | None] = mapped_column(String(300))
    hours: Mapped[str] = mapped_column(String(80))
    kind: Mapped[str] = mapped_column(String(16))
    hidden: Mapped[bool] = mapped_column(Boolean, default=False)
    position: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[float] = mapped_column(Float)


class ConfigVersion(Base):
    """A counter per kind of live configuration; bumped in the same transaction as the change."""

    __tablename__ = "config_versions"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    version: Mapped[int] = mapped_column(Integer)


class RoomModerator(Base):
    """A moderator who looks after a room: the room's reports and flags alert them first."""

    __tablename__ = "room_moderators"

    room_id: Mapped[str] = mapped_column(ForeignKey("rooms.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True)
    assigned_at: Mapped[float] = mapped_column(Float)


class QueuedPush(Base):
    """A push to connected clients that a change made at the command line leaves for a server process to send
    (server/pushes.py): the name of the push and its JSON arguments. Deleted when a server takes it."""

    __tablename__ = "queued_pushes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(48))
    args: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[float] = mapped_column(Float)
