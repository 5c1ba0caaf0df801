"""Plain-words answers to "what is kept, for how long, and who can see it", from the room's own rules."""
from __future__ import annotations

from dataclasses import dataclass

from ..moderation.policy import ContactAction, ProfanityAction
from ..storage.models import Room
from .policy import HeldOriginals, HistoryVisibility, RoomRules


@dataclass(frozen=True, slots=True)
class PrivacyPoint:
    topic: str
    text: str


def _retention(rules: RoomRules) -> str:
    if not rules.stores_messages:
        return ("Messages here are never stored: they are delivered live to the people in the room and then "
                "gone. Nobody, staff included, can read them later.")
    days = "1 day" if rules.retention_days == 1 else f"{rules.retention_days} days"
    return f"Messages are kept for {days} and then deleted for good."


_HISTORY = {
    HistoryVisibility.ALL: "People who join can scroll back through the messages that are still kept.",
    HistoryVisibility.SINCE_JOINED: ("People who join see only messages written since they first joined this "
                                     "room; nothing from before."),
    HistoryVisibility.NONE: "Nobody sees earlier messages: you see only what is said while you are here.",
}

_CONTACT = {
    ContactAction.REDACT: ("Phone numbers, e-mail addresses, links and social handles are removed before anyone "
                           "sees the message, and you are told privately."),
    ContactAction.HOLD: ("Messages with phone numbers, e-mail addresses, links or social handles are held for a "
                         "moderator to check before anyone sees them, and you are told privately."),
    ContactAction.ALLOW: "Contact details are allowed in this room; think before sharing yours.",
}

_HELD = {
    HeldOriginals.MODERATORS: "the room's moderators and administrators",
    HeldOriginals.ADMINS: "administrators only",
}


def describe(room: Room, rules: RoomRules, moderation_retention_days: int) -> list[PrivacyPoint]:
    profanity = ("Swear words are masked with asterisks." if rules.profanity is ProfanityAction.MASK
                 else "Messages with swear words are not posted, and you are told why.")
    return [
        PrivacyPoint("What is kept", _retention(rules)),
        PrivacyPoint("Who can read back", _HISTORY[rules.history]),
        PrivacyPoint("Contact details", _CONTACT[rules.contact]),
        PrivacyPoint("Language", profanity),
        PrivacyPoint("Messages under review", (
            "A message flagged for safety (for example one that suggests someone may be in danger) or held for "
            f"review can be read by {_HELD[rules.held_originals]}. Every such read is recorded. It is kept "
            f"until the review is finished and then for at most {moderation_retention_days} days.")),
        PrivacyPoint("Your own messages", (
            "You can delete any message you wrote, and delete your account with everything it wrote. "
            "Only what an open safety review needs is kept, no longer linked to you.")),
        PrivacyPoint("What we never keep", (
            "Your IP address is never stored in clear, logs never contain what you write, and you are known "
            "here only by the name you chose.")),
        PrivacyPoint("The group agreement", (
            f"Everyone in {room.name} has accepted the group agreement (version {room.agreement_version}), "
            "which asks that what is shared here stays here.")),
    ]
