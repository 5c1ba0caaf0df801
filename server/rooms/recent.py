"""Each sender's last few messages, kept in memory for the pipeline's flood and duplicate stage."""
from __future__ import annotations

from collections import OrderedDict, deque

from ..moderation.policy import RecentMessage

KEEP_PER_SENDER = 10
MAX_SENDERS = 50_000


class RecentMessages:
    def __init__(self) -> None:
        self._by_sender: OrderedDict[str, deque[RecentMessage]] = OrderedDict()

    def of(self, sender_id: str, now: float, window: float = 300.0) -> tuple[RecentMessage, ...]:
        return tuple(m for m in self._by_sender.get(sender_id, ()) if now - m.sent_at <= window)

    def remember(self, sender_id: str, text: str, now: float) -> None:
        queue = self._by_sender.get(sender_id)
        if queue is None:
            queue = self._by_sender[sender_id] = deque(maxlen=KEEP_PER_SENDER)
            if len(self._by_sender) > MAX_SENDERS:
                self._by_sender.popitem(last=False)
        else:
            self._by_sender.move_to_end(sender_id)
        queue.append(RecentMessage(text=text, sent_at=now))
