"""How the server process runs Python: fewer garbage-collector passes, and start-up objects frozen.

Shared with the benches that must time code as the server runs it (bench/moderation.py, bench/relay.py).
"""
from __future__ import annotations

import gc

# A young collection per 50,000 new objects instead of 700: the biggest tail-latency win we measured
# with uvloop (PERFORMANCE.md). The server also collects the young generation every 0.3 s (__main__).
GC_THRESHOLDS = (50_000, 20, 1000)


def tune_collector() -> None:
    gc.set_threshold(*GC_THRESHOLDS)


def freeze_startup_objects() -> None:
    """Objects that live as long as the process (matchers, modules) leave the collector's passes."""
    gc.collect()
    gc.freeze()
