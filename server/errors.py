"""One error vocabulary for the whole server; only the edges turn it into an ack or an HTTP response."""
from __future__ import annotations

import math
from enum import StrEnum
from typing import Any


class ErrorCode(StrEnum):
    INVALID = "invalid"
    INVALID_PAYLOAD = "invalid_payload"
    UNKNOWN_EVENT = "unknown_event"
    NOT_FOUND = "not_found"
    NOT_MEMBER = "not_member"
    AGREEMENT_REQUIRED = "agreement_required"
    LISTENER_MODE = "listener_mode"
    LISTENERS_NOT_ALLOWED = "listeners_not_allowed"
    ROOM_FULL = "room_full"
    PSEUDONYM_TAKEN = "pseudonym_taken"
    UNAUTHORIZED = "unauthorized"
    FORBIDDEN = "forbidden"
    RATE_LIMITED = "rate_limited"
    MUTED = "muted"
    CONFLICT = "conflict"
    ALREADY_RESOLVED = "already_resolved"
    UNAVAILABLE = "unavailable"
    INTERNAL = "internal"
    SLOW_MODE = "slow_mode"
    NOT_YOUR_TURN = "not_your_turn"
    SESSION_LOCKED = "session_locked"
    NOT_IN_SESSION = "not_in_session"
    SESSION_NOT_OPEN = "session_not_open"


HTTP_STATUS = {
    ErrorCode.INVALID: 400,
    ErrorCode.INVALID_PAYLOAD: 400,
    ErrorCode.UNKNOWN_EVENT: 400,
    ErrorCode.NOT_FOUND: 404,
    ErrorCode.NOT_MEMBER: 403,
    ErrorCode.AGREEMENT_REQUIRED: 403,
    ErrorCode.LISTENER_MODE: 403,
    ErrorCode.LISTENERS_NOT_ALLOWED: 403,
    ErrorCode.ROOM_FULL: 409,
    ErrorCode.PSEUDONYM_TAKEN: 409,
    ErrorCode.UNAUTHORIZED: 401,
    ErrorCode.FORBIDDEN: 403,
    ErrorCode.RATE_LIMITED: 429,
    ErrorCode.MUTED: 403,
    ErrorCode.CONFLICT: 409,
    ErrorCode.ALREADY_RESOLVED: 409,
    ErrorCode.UNAVAILABLE: 503,
    ErrorCode.INTERNAL: 500,
    ErrorCode.SLOW_MODE: 429,
    ErrorCode.NOT_YOUR_TURN: 403,
    ErrorCode.SESSION_LOCKED: 403,
    ErrorCode.NOT_IN_SESSION: 403,
    ErrorCode.SESSION_NOT_OPEN: 409,
}


class DomainError(Exception):
    """A refusal the client can read: a stable code, a sentence safe to show, optional extra fields."""

    def __init__(
        self,
        code: ErrorCode,
        message: str,
        *,
        retry_after: float | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.retry_after = retry_after
        self.extra = extra

    def to_dict(self) -> dict[str, Any]:
        error: dict[str, Any] = {"code": self.code.value, "message": self.message, **self.extra}
        if self.retry_after is not None:
            # rounded up: a refusal that said "wait 0" would be refused again on the client's immediate retry
            error["retry_after"] = math.ceil(self.retry_after * 1000) / 1000
        return {"error": error}

    @property
    def http_status(self) -> int:
        return HTTP_STATUS[self.code]
