from __future__ import annotations

from server.moderation.pipeline import CONTACT_MARKER, review
from server.moderation.policy import ContactAction, ProfanityAction, RecentMessage, RoomPolicy, SenderContext
from server.moderation.resources import resources_for
from server.moderation.verdict import Decision, FlagKind

PLAIN = SenderContext()


def codes(text: str, policy: RoomPolicy = RoomPolicy(), sender: SenderContext = PLAIN) -> list[str]:
    return [n.code for n in review(text, policy, sender).notices]


def test_masks_land_on_typed_characters() -> None:
    verdict = review("oh sh\u200biiit no", RoomPolicy(), PLAIN)
    assert verdict.text == "oh " + "*" * 7 + " no"
    assert codes("oh shit") == ["profanity_masked"]


def test_block_policy_blocks_with_a_kind_notice() -> None:
    verdict = review("fuck this", RoomPolicy(profanity=ProfanityAction.BLOCK), PLAIN)
    assert verdict.decision is Decision.BLOCK
    assert verdict.notices[0].code == "blocked" and "welcome" in verdict.notices[0].message


def test_contact_redacted_or_held_per_policy() -> None:
    redacted = review("text me 07700 900123 ok", RoomPolicy(), PLAIN)
    assert redacted.text == f"text me {CONTACT_MARKER} ok" and codes("text me 07700 900123") == ["contact_redacted"]
    held = review("text me 07700 900123", RoomPolicy(contact=ContactAction.HOLD), PLAIN)
    assert held.decision is Decision.HOLD and [n.code for n in held.notices] == ["held_for_review"]
    assert review("text me 07700 900123", RoomPolicy(contact=ContactAction.ALLOW), PLAIN).decision is Decision.ALLOW


def test_crisis_is_delivered_with_resources() -> None:
    policy = RoomPolicy(contact=ContactAction.HOLD, profanity=ProfanityAction.BLOCK)
    verdict = review("I want to end my life", policy, PLAIN)
    assert verdict.decision is Decision.ALLOW and codes("I want to end my life") == ["crisis_resources"]


def test_flood_and_duplicates_hold() -> None:
    burst = SenderContext(now=100.0, recent=tuple(RecentMessage(f"m{i}", 95.0) for i in range(7)))
    assert review("hello", RoomPolicy(), burst).flag_of(FlagKind.FLOOD) is not None
    copies = SenderContext(now=100.0, recent=(RecentMessage("Hello  there", 50.0), RecentMessage("hello there", 60.0)))
    assert review("hello there", RoomPolicy(), copies).decision is Decision.HOLD
    assert review("hello there", RoomPolicy(), SenderContext(now=100.0, recent=copies.recent[:1])).flags == ()


def test_resources_by_locale_with_international_fallback() -> None:
    assert resources_for("en-US")[0].phone == "988"
    assert resources_for("en-GB")[0].phone == "116 123"
    assert resources_for("en-AU")[0].phone == "13 11 14"
    assert [r.url for r in resources_for("pt-BR")][0] == "https://findahelpline.com"
