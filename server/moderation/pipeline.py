"""The moderation pipeline: a pure, synchronous function from (text, room policy, sender) to a Verdict.

It must not import anything else from the server, do I/O, or keep state between calls.
"""
from __future__ import annotations

from .policy import RoomPolicy, SenderContext
from .verdict import Decision, Verdict


def review(text: str, policy: RoomPolicy, sender: SenderContext) -> Verdict:
    """Pass-through until the stages land: every message is allowed unchanged."""
    return Verdict(decision=Decision.ALLOW, text=text)
