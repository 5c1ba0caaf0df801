"""Moderation tests drive the review jobs by hand, so their background tick is slowed."""
from __future__ import annotations

import pytest

from tests.harness import RunningServer, ServerFactory


@pytest.fixture
async def server(make_server: ServerFactory) -> RunningServer:
    return await make_server(review_tick=3600.0)
