"""Who is acting: resolved from a verified token, never from anything the client claims."""
from __future__ import annotations

from dataclasses import dataclass

from .roles import Role


@dataclass(frozen=True, slots=True)
class Principal:
    user_id: str
    role: Role
    pseudonym: str
    locale: str = "en-US"
    age_band: str = "adults"
    token_version: int = 0  # of the token it connected with: a revocation elsewhere makes it outdated

    def public(self) -> dict[str, str]:
        return {"id": self.user_id, "pseudonym": self.pseudonym, "role": self.role.value}
