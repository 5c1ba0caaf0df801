"""Tables of the moderator review queue: items, the signals that raised them, sanctions, the audit log
and 1:1 support conversations. Imported by models.py so Base.metadata (and Alembic) see them.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from .models import ID, Base


class ReviewItem(Base):
    """One item per target (a message or a user); signals add to its score, every change bumps version."""

    __tablename__ = "review_items"
    __table_args__ = (
        UniqueConstraint("target_type", "target_id"),
        Index("ix_review_items_queue", "status", "tier", "score", "created_at"),
    )

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    target_type: Mapped[str] = mapped_column(String(16))
    target_id: Mapped[str] = mapped_column(ID)
    room_id: Mapped[str | None] = mapped_column(ForeignKey("rooms.id", ondelete="CASCADE"))
    subject_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    severity: Mapped[str] = mapped_column(String(16))
    tier: Mapped[int] = mapped_column(Integer)
    score: Mapped[int] = mapped_column(Integer, default=0)
    reasons: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # What staff wrote when they raised it (a facilitator's reason for a removal), for moderators only.
    notes: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list, server_default=text("'[]'"))
    status: Mapped[str] = mapped_column(String(16))
    version: Mapped[int] = mapped_column(Integer, default=1)
    claimed_by: Mapped[str | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    claimed_at: Mapped[float | None] = mapped_column(Float)
    first_claimed_at: Mapped[float | None] = mapped_column(Float)
    outcome: Mapped[str | None] = mapped_column(String(24))
    note: Mapped[str | None] = mapped_column(Text)
    resolved_by: Mapped[str | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    resolved_at: Mapped[float | None] = mapped_column(Float)
    escalated_at: Mapped[float | None] = mapped_column(Float)
    created_at: Mapped[float] = mapped_column(Float)
    updated_at: Mapped[float] = mapped_column(Float)
    # Until when only the room's own moderators have been alerted (moderation/routing.py); None: everyone.
    room_first_until: Mapped[float | None] = mapped_column(Float)


class ReviewSignal(Base):
    """Why an item exists: a pipeline flag, a peer's report or a help request (one per reporter)."""

    __tablename__ = "review_signals"
    __table_args__ = (UniqueConstraint("item_id", "source", "reporter_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    item_id: Mapped[str] = mapped_column(ForeignKey("review_items.id", ondelete="CASCADE"))
    source: Mapped[str] = mapped_column(String(16))
    reporter_id: Mapped[str | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    reason: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[float] = mapped_column(Float)


class AuditEntry(Base):
    """Append-only: who did what to whom and when. Never a message body."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_at", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[float] = mapped_column(Float)
    actor_id: Mapped[str | None] = mapped_column(ID, index=True)
    actor_role: Mapped[str] = mapped_column(String(16))
    action: Mapped[str] = mapped_column(String(32), index=True)
    target_type: Mapped[str] = mapped_column(String(16))
    target_id: Mapped[str] = mapped_column(ID, index=True)
    item_id: Mapped[str | None] = mapped_column(ID)
    room_id: Mapped[str | None] = mapped_column(ID, index=True)
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class Mute(Base):
    """A timed mute in one room, or everywhere when room_id is null."""

    __tablename__ = "mutes"
    __table_args__ = (Index("ix_mutes_user_until", "user_id", "until"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    room_id: Mapped[str | None] = mapped_column(ForeignKey("rooms.id", ondelete="CASCADE"))
    until: Mapped[float] = mapped_column(Float, index=True)  # audit retention deletes ended mutes by it
    created_by: Mapped[str | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[float] = mapped_column(Float)


class SupportConversation(Base):
    """A private 1:1 conversation a moderator opens with one person."""

    __tablename__ = "support_conversations"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    moderator_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    item_id: Mapped[str | None] = mapped_column(ForeignKey("review_items.id", ondelete="SET NULL"))
    created_at: Mapped[float] = mapped_column(Float)


class SupportMessage(Base):
    __tablename__ = "support_messages"
    __table_args__ = (Index("ix_support_messages_conversation", "conversation_id", "created_at"),)

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    conversation_id: Mapped[str] = mapped_column(ForeignKey("support_conversations.id", ondelete="CASCADE"))
    sender_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[float] = mapped_column(Float)
