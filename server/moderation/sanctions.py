"""The check every send makes against moderators' sanctions: timed mutes and closed accounts.

It reads the database on each send (not only at connect), so a mute or ban set on another process
takes effect at once everywhere.
"""
from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from ..clock import iso
from ..errors import DomainError, ErrorCode
from ..storage.sanctions import SanctionStore


async def check_not_sanctioned(session: AsyncSession, user_id: str, room_id: str, now: float) -> None:
    """Raise `muted` (with retry_after and until) or `forbidden` for a closed account."""
    closed_at, until = await SanctionStore(session).posting_state(user_id, room_id, now)
    if closed_at is not None:
        raise DomainError(ErrorCode.FORBIDDEN, "This account has been closed by the moderators.")
    if until is not None:
        raise DomainError(ErrorCode.MUTED, f"A moderator has muted you here until {iso(until)} (UTC). "
                          "You can still read, and the Get help button still works.",
                          retry_after=until - now, until=iso(until))
