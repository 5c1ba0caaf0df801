"""peerchat under a profiler that records only between two SIGUSR1s (bench/load.py sends them around the
steps), so connect and join do not drown the send path. Used when BENCH_PROFILE=<file> is set: a file
ending in .prof gets cProfile stats, .pyisession a pyinstrument session (render it later with any view,
`pyinstrument --load=<file> --show-all`), anything else pyinstrument's sampled call tree (text)."""
from __future__ import annotations

import cProfile
import os
import signal
import sys
from pathlib import Path
from types import FrameType
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from server.__main__ import main  # noqa: E402


class Toggle:
    def __init__(self, path: str) -> None:
        self.path = path
        self.profiler: Any = None

    def __call__(self, _signum: int, _frame: FrameType | None) -> None:
        if self.profiler is None:
            self.start()
        else:
            self.stop()

    def start(self) -> None:
        if self.path.endswith(".prof"):
            self.profiler = cProfile.Profile()
            self.profiler.enable()
        else:
            self.profiler = _sampler()
            self.profiler.start()

    def stop(self) -> None:
        if isinstance(self.profiler, cProfile.Profile):
            self.profiler.disable()
            self.profiler.dump_stats(self.path)
        else:
            session = self.profiler.stop()
            if self.path.endswith(".pyisession"):
                session.save(self.path)
            else:
                Path(self.path).write_text(self.profiler.output_text(unicode=False, show_all=False))
        self.profiler = None


def _sampler() -> Any:
    from pyinstrument import Profiler
    return Profiler(interval=0.0005, async_mode="disabled")


if __name__ == "__main__":
    signal.signal(signal.SIGUSR1, Toggle(os.environ["BENCH_PROFILE"]))
    sys.exit(main(sys.argv[1:]))
