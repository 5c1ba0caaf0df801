"""Prometheus metrics: one definition per figure, shared by every module that records it.

Counters and histograms are process-wide (prometheus-client's default registry); gauges that describe
the state of a running server are set just before each scrape by the probes in SCRAPE_PROBES, so a
module that owns some state (the review queue, for example) adds one probe instead of a timer.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Awaitable, Callable

from prometheus_client import Counter, Gauge, Histogram

if TYPE_CHECKING:
    from .moderation.verdict import Verdict
    from .services import Services

CONNECTIONS = Gauge("peerchat_connections", "Socket.IO connections open on this process")
ROOMS_ACTIVE = Gauge("peerchat_rooms_active", "Rooms with at least one connection on this process")
MESSAGES_IN = Counter("peerchat_messages_in_total", "message:send events received")
MESSAGES_OUT = Counter("peerchat_messages_out_total", "message:new packets delivered to this process's sockets")
PIPELINE_SECONDS = Histogram(
    "peerchat_send_pipeline_seconds", "message:send from arrival to ack (checks, moderation, storage, fan-out)",
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0))
FLAGS = Counter("peerchat_flags_total", "Moderation flags raised, by severity and kind", ["severity", "kind"])
CRISIS_OLDEST_OPEN = Gauge("peerchat_crisis_oldest_open_seconds",
                           "Age of the oldest open crisis review item (0 when none is open)")
RATE_LIMITED = Counter("peerchat_rate_limited_total", "Events refused by a rate limit", ["action"])
REDIS_UP = Gauge("peerchat_redis_up", "1 while this process reaches Redis (absent without Redis)")
REDIS_PUBLISH_FAILURES = Counter("peerchat_redis_publish_failures_total",
                                 "Cross-process fan-out packets Redis did not accept")
JOB_RUNS = Counter("peerchat_job_runs_total", "Periodic job runs started by this process", ["job"])
JOB_FAILURES = Counter("peerchat_job_failures_total", "Periodic job runs that raised (see the log)", ["job"])
JOB_LAST_SUCCESS = Gauge("peerchat_job_last_success_timestamp_seconds",
                         "When a run of the job last finished without error in this process (Unix time)", ["job"])
JOBS_LEADER = Gauge("peerchat_jobs_leader", "1 while this process runs the once-per-deployment jobs (it holds "
                    "the lease, or has no Redis to share one)")
SLOW_CLIENTS = Counter("peerchat_slow_clients_disconnected_total",
                       "Connections closed because their unsent backlog passed PEERCHAT_MAX_BACKLOG")

Probe = Callable[["Services"], Awaitable[None]]
SCRAPE_PROBES: list[Probe] = []


def record_verdict(verdict: Verdict) -> None:
    for flag in verdict.flags:
        FLAGS.labels(severity=flag.severity.value, kind=flag.kind.value).inc()


async def run_probes(svc: Services) -> None:
    for probe in SCRAPE_PROBES:
        await probe(svc)
