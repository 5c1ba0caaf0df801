"""What this process knows about moderators right now: who is subscribed to the queue, who went offline
when (for releasing abandoned claims), which recent kicks it has acted on, and counters the ops helper can
export to Prometheus.

Who watches the queue is a deployment-wide question: with several processes, shared/roster.py's
SharedModeration adds the moderators subscribed on the others. Alone, this process is the deployment.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass(slots=True)
class ModerationMetrics:
    flags_raised: int = 0
    crisis_flags: int = 0
    crisis_without_moderator: int = 0
    escalations: int = 0
    webhook_failures: int = 0
    claims_released: int = 0

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


@dataclass(slots=True)
class ModerationState:
    subscribers: dict[str, str] = field(default_factory=dict)
    offline_since: dict[str, float] = field(default_factory=dict)
    metrics: ModerationMetrics = field(default_factory=ModerationMetrics)
    kicks_seen: dict[int, float] = field(default_factory=dict)

    def subscribe(self, sid: str, user_id: str) -> None:
        self.subscribers[sid] = user_id

    def unsubscribe(self, sid: str) -> str | None:
        return self.subscribers.pop(sid, None)

    def moderators_online(self) -> int:
        """Distinct moderators and admins watching the queue, as far as this process can see."""
        return len(set(self.subscribers.values()))

    def sees_everyone(self) -> bool:
        """Whether moderators_online() covers the whole deployment (false while Redis is down)."""
        return True

    def watching(self, user_ids: list[str]) -> set[str]:
        """Which of these moderators watch the queue, as far as this process can see."""
        return set(user_ids) & set(self.subscribers.values())

    def moderator_online(self) -> bool | None:
        """Is anyone watching the queue? None when this process cannot tell: nobody here, and the other
        processes out of reach. A person asking for help is told exactly that, never a guess."""
        if self.moderators_online() > 0:
            return True
        return False if self.sees_everyone() else None

    def connected(self, user_id: str) -> None:
        self.offline_since.pop(user_id, None)

    def disconnected(self, sid: str, user_id: str, *, now: float, connections_left: int) -> None:
        self.unsubscribe(sid)
        if connections_left == 0:
            self.offline_since[user_id] = now

    def gone(self, user_id: str, *, now: float) -> None:
        """Count this person as offline from now, unless they already are (a departure no process saw)."""
        self.offline_since.setdefault(user_id, now)

    def offline_before(self, cutoff: float) -> list[str]:
        return [user_id for user_id, since in self.offline_since.items() if since <= cutoff]

    def forget_offline(self, user_ids: list[str]) -> None:
        for user_id in user_ids:
            self.offline_since.pop(user_id, None)

    def first_seen_kicks(self, kicks: dict[int, float], since: float) -> set[int]:
        """Which of these kicks (audit id -> time) this process has not acted on yet; forgets those before
        `since`, which the caller no longer asks about."""
        self.kicks_seen = {kick: at for kick, at in self.kicks_seen.items() if at >= since}
        fresh = kicks.keys() - self.kicks_seen.keys()
        self.kicks_seen.update(kicks)
        return set(fresh)
