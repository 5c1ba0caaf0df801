"""Fixtures for tests that run real server processes (tests/processes.py)."""
from tests.processes import cluster, own_redis  # noqa: F401
