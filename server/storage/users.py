"""SQL for accounts."""
from __future__ import annotations

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from .models import User

ERASED_USER_ID = "0" * 32


class UserStore:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, user_id: str) -> User | None:
        return await self.session.get(User, user_id)

    async def by_username(self, username: str) -> User | None:
        return (await self.session.execute(select(User).where(User.username == username))).scalar_one_or_none()

    async def staff_with_key(self, key: str) -> bool:
        found = await self.session.execute(
            select(User.id).where(User.pseudonym_key == key, User.role != "peer").limit(1))
        return found.first() is not None

    def add(self, user: User) -> None:
        self.session.add(user)

    async def bump_token_version(self, user_id: str) -> None:
        await self.session.execute(
            update(User).where(User.id == user_id).values(token_version=User.token_version + 1))

    async def delete(self, user_id: str) -> None:
        """Remove the account; memberships go with it (ON DELETE CASCADE)."""
        await self.session.execute(delete(User).where(User.id == user_id))

    async def erased_placeholder(self, now: float) -> str:
        """The one account that messages still under review are detached to when their author leaves."""
        if await self.session.get(User, ERASED_USER_ID) is None:
            self.session.add(User(id=ERASED_USER_ID, role="peer", pseudonym="Deleted account",
                                  pseudonym_key="deletedaccount", token_version=0, created_at=now,
                                  deactivated_at=now))
            await self.session.flush()
        return ERASED_USER_ID
