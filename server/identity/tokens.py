"""Signed, expiring bearer tokens. Revocation works by bumping the user's token_version."""
from __future__ import annotations

from dataclasses import dataclass

from itsdangerous import BadSignature, SignatureExpired, TimestampSigner, URLSafeTimedSerializer

from ..clock import Clock
from ..errors import DomainError, ErrorCode


@dataclass(frozen=True, slots=True)
class TokenClaims:
    user_id: str
    version: int


def _signer_on(clock: Clock) -> type[TimestampSigner]:
    """itsdangerous reads the time inside its signer; this one reads our injected clock."""

    class ClockedSigner(TimestampSigner):
        def get_timestamp(self) -> int:
            return int(clock.now())

    return ClockedSigner


class TokenSigner:
    def __init__(self, secret: str, clock: Clock) -> None:
        self._serializer = URLSafeTimedSerializer(secret, salt="peerchat.token.v1", signer=_signer_on(clock))

    def issue(self, user_id: str, version: int) -> str:
        return self._serializer.dumps({"u": user_id, "v": version})

    def verify(self, token: object, max_age: float) -> TokenClaims:
        """Return the claims, or raise unauthorized for a missing, forged, expired or malformed token."""
        if not isinstance(token, str) or not token or len(token) > 512:
            raise DomainError(ErrorCode.UNAUTHORIZED, "Please sign in again: no valid token was sent.")
        try:
            data = self._serializer.loads(token, max_age=int(max_age))
        except SignatureExpired:
            raise DomainError(ErrorCode.UNAUTHORIZED, "Your session has expired. Please sign in again.") from None
        except BadSignature:
            raise DomainError(ErrorCode.UNAUTHORIZED, "Please sign in again: the token is not valid.") from None
        if not (isinstance(data, dict) and isinstance(data.get("u"), str) and isinstance(data.get("v"), int)):
            raise DomainError(ErrorCode.UNAUTHORIZED, "Please sign in again: the token is not valid.")
        return TokenClaims(user_id=data["u"], version=data["v"])
