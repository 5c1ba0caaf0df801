"""What watched-word hits do beyond one message: escalation for repeats, and timed mutes per room.

Runs on the send path inside the message's transaction. Escalation (pure, `escalate`): the sender's
messages with hits in one room within the window step up from the rule's own action to a warning, then
a timed mute, then a review item for every further one. Mutes live in `rule_mutes`; the integrator can
fold them into the moderators' mutes, and `check_rule_mute` is the one place the send path asks.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..errors import DomainError, ErrorCode
from ..identity.principal import Principal
from ..services import Services
from ..storage.admin import WatchedWordStore
from ..storage.admin_models import RuleMute
from ..storage.database import Transaction
from .verdict import Decision, FlagKind, Notice, Verdict
from .watched import HELD, RULE_PREFIX, RuleAction, WatchedRules

WARNING = Notice("watched_warning", "Please take care with your words here: if more messages like this follow "
                 "in the next few minutes, posting in this room will pause for you for a while.")
MUTED_MESSAGE = ("Posting in this room is paused for you for a little while because of earlier messages. You can "
                 "still read, and the Get help button always works.")


def paused_notice(minutes: int) -> Notice:
    return Notice("posting_paused", f"After several messages like this, posting in this room is paused for you "
                  f"for {minutes} minutes. You can still read, and the Get help button always works.")


@dataclass(frozen=True, slots=True)
class Escalation:
    hits: int = 3
    window: float = 600.0
    mute_minutes: int = 10


ESCALATION = Escalation()


def escalate(verdict: Verdict, hits: int, rule_mute: int, rules: Escalation = ESCALATION) -> tuple[Verdict, int]:
    """The verdict after escalation, and how many minutes to mute the sender (0: none).

    `hits` counts this message; `rule_mute` is the minutes a `mute` rule asked for. Someone whose
    message reads as crisis is never muted: the pipeline already held it for a person."""
    in_crisis = verdict.flag_of(FlagKind.CRISIS) is not None
    mute = 0 if in_crisis else rule_mute
    notices = list(verdict.notices)
    decision = verdict.decision
    if hits == rules.hits - 1:
        notices.append(WARNING)
    elif hits == rules.hits and not in_crisis and not mute:
        mute = rules.mute_minutes
        notices.append(paused_notice(mute))
    elif hits > rules.hits and decision.rank < Decision.HOLD.rank:
        decision = Decision.HOLD
        notices = [n for n in notices if n.code != "watched_masked"] + [HELD]
    return verdict._replace(decision=decision, notices=tuple(notices)), mute


async def check_rule_mute(tx: Transaction, svc: Services, *, actor: Principal, room_id: str,
                          verdict: Verdict) -> Verdict:
    """A muted sender is refused with `muted` and when they may post again, except that a message
    that reads as crisis is held for a moderator instead: a person in crisis is never turned away."""
    now = svc.clock.now()
    until = await WatchedWordStore(tx.session).muted_until(actor.user_id, room_id, now)
    if until is None:
        return verdict
    if verdict.flag_of(FlagKind.CRISIS) is not None:
        notices = tuple(n for n in verdict.notices if n.code not in ("held_for_review", "muted")) + (HELD,)
        return verdict._replace(decision=Decision.HOLD, notices=notices)
    raise DomainError(ErrorCode.MUTED, MUTED_MESSAGE, retry_after=until - now)


async def do_apply_watched(tx: Transaction, svc: Services, *, actor: Principal, room_id: str, verdict: Verdict,
                           watched: WatchedRules) -> Verdict:
    """Check the sender's mute, then record this message's hits, escalate, and mute if it is due."""
    verdict = await check_rule_mute(tx, svc, actor=actor, room_id=room_id, verdict=verdict)
    flags = [f for f in verdict.flags if f.kind is FlagKind.WATCHED]
    if not flags:
        return verdict
    now = svc.clock.now()
    store = WatchedWordStore(tx.session)
    await store.forget_hits(actor.user_id, before=now - ESCALATION.window)
    await store.add_hits(actor.user_id, room_id, [f.rule.removeprefix(RULE_PREFIX) for f in flags], now)
    hits = await store.messages_with_hits_since(actor.user_id, room_id, now - ESCALATION.window)
    rules = [r for f in flags if (r := watched.rule_of(f)) is not None]
    rule_mute = max((r.mute_minutes for r in rules if r.action is RuleAction.MUTE), default=0)
    verdict, minutes = escalate(verdict, hits, rule_mute)
    if minutes:
        rule_id = rules[0].id if rules else ""
        store.add_mute(RuleMute(user_id=actor.user_id, room_id=room_id, rule_id=rule_id, until=now + minutes * 60,
                                created_at=now))
    return verdict
