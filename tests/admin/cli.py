"""The real `peerchat` command, run in its own process against a test's database while the test's servers
keep running on the event loop (the command line is a separate process in production too)."""
from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

from tests.admin.test_admin_cli import Result

ROOT = Path(__file__).resolve().parents[2]


async def peerchat(database_url: str, *args: str, stdin: str = "") -> Result:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PEERCHAT_")}
    env.update(PEERCHAT_DATABASE_URL=database_url, PEERCHAT_UVLOOP="false", PEERCHAT_LOG_LEVEL="WARNING")
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "server", *args, cwd=ROOT, env=env, stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    out, err = await asyncio.wait_for(process.communicate(stdin.encode()), 60)
    assert process.returncode is not None
    return Result(process.returncode, out.decode(), err.decode())
