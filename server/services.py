"""Everything a service function needs, built once per process by app.py and passed explicitly."""
from __future__ import annotations

from dataclasses import dataclass, field

from .broadcast import Broadcaster
from .clock import Clock
from .identity.online import OnlineUsers
from .identity.tokens import TokenSigner
from .moderation.live_config import LiveConfig
from .moderation.open_crisis import OpenCrisisHints
from .moderation.ratelimit import RateLimiter
from .moderation.state import ModerationState
from .rooms.presence import Presence
from .rooms.recent import RecentMessages
from .settings import Settings
from .storage.database import Database
from .storage.message_writer import MessageWriter
from .storage.send_gate import SendGate


@dataclass(slots=True)
class Services:
    settings: Settings
    clock: Clock
    db: Database
    broadcaster: Broadcaster
    signer: TokenSigner
    limiter: RateLimiter
    online: OnlineUsers = field(default_factory=OnlineUsers)
    presence: Presence = field(default_factory=Presence)
    recent: RecentMessages = field(default_factory=RecentMessages)
    moderation: ModerationState = field(default_factory=ModerationState)
    live: LiveConfig = field(default_factory=LiveConfig)
    open_crisis: OpenCrisisHints = field(default_factory=OpenCrisisHints)
    # The command line has no sockets: its pushes wait in the database for a server process (pushes.py).
    queue_pushes: bool = False
    writer: MessageWriter = field(init=False)
    gate: SendGate = field(init=False)

    def __post_init__(self) -> None:
        self.writer = MessageWriter(self.db)
        self.gate = SendGate(self.db)
