"""SQL for private 1:1 support conversations between a moderator and one person."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from .review_models import SupportConversation, SupportMessage


class SupportStore:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, conversation_id: str) -> SupportConversation | None:
        return await self.session.get(SupportConversation, conversation_id)

    async def between(self, moderator_id: str, user_id: str) -> SupportConversation | None:
        found = await self.session.execute(select(SupportConversation).where(
            SupportConversation.moderator_id == moderator_id, SupportConversation.user_id == user_id).limit(1))
        return found.scalar_one_or_none()

    def add(self, row: SupportConversation | SupportMessage) -> None:
        self.session.add(row)

    async def messages(self, conversation_id: str, limit: int) -> list[SupportMessage]:
        found = await self.session.execute(select(SupportMessage).where(
            SupportMessage.conversation_id == conversation_id)
            .order_by(SupportMessage.created_at.desc(), SupportMessage.id).limit(limit))
        return list(reversed(found.scalars().all()))
