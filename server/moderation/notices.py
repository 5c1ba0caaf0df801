"""Sentences shown privately to the sender. Written for someone who may be having a very bad day:
kind, plain, never scolding, and always saying what happened to their message."""
from __future__ import annotations

from .verdict import FlagKind, Notice

CRISIS = Notice(
    "crisis_resources",
    "Thank you for sharing this. It sounds like you're carrying a lot right now, and you don't have to "
    "carry it alone. If you'd like to talk to someone now, these free, confidential services are here for you.",
)
CONTACT_REDACTED = Notice(
    "contact_redacted",
    "Your message was shared, but we took out contact details to keep you and others safe. "
    "Staying on peerchat lets our moderators look out for everyone.",
)
PROFANITY_MASKED = Notice(
    "profanity_masked",
    "Your message was shared. This room hides strong language, so a few words show as asterisks.",
)
BLOCKED_PROFANITY = Notice(
    "blocked",
    "This room asks everyone to avoid strong language, so your message wasn't posted. "
    "You're welcome to say it another way: what you have to say matters.",
)
_HELD_BECAUSE = {
    FlagKind.CONTACT: "it includes contact details and this room asks a moderator to check those first",
    FlagKind.ABUSE: "it includes words that can really hurt someone here",
    FlagKind.FLOOD: "several messages arrived very quickly or repeated the same text",
}


def held(reason: FlagKind) -> Notice:
    """The held notice, saying why in one plain clause."""
    return _HELD[reason]


_HELD = {
    reason: Notice(
        "held_for_review",
        f"Your message is waiting for a moderator because {because}. "
        "It hasn't been lost, and you'll see it in the room if it's approved.",
    )
    for reason, because in _HELD_BECAUSE.items()
}


def refused_in_crisis(reason: str) -> Notice:
    """A room or session rule refused the message (`reason`, the refusal's own sentence), but it reads as
    crisis: it goes to a moderator instead of nowhere."""
    return Notice("held_for_review", f"{reason} Because your message sounds like you may be going through "
                  "something very hard, it has gone to a moderator, who will read it and can reach out to you "
                  "here. It hasn't been lost.")
