"""Load benchmark: N clients in R rooms, S senders, an offered message rate that climbs in steps.

Loopback only, bounded in time and count. Per step it prints connected clients, deliveries/s, end-to-end
latency p50/p95/p99 (send -> message:new at each receiver), lost and duplicated deliveries, server CPU
(share of a core, and milliseconds per message sent: steadier than the latency knee on a shared machine)
and RSS, and the generator's own CPU (it must stay well below 100 % or the figures measure it).
The server runs pinned to core 0, this generator to core 1. `--baseline` runs the same load against a
bare python-socketio relay tuned like peerchat (uvloop, orjson, GC) and an untuned default one.

    python bench/load.py --scenario group --baseline --rounds 3 --plot bench/group.png
"""
from __future__ import annotations

import argparse
import asyncio
import gc
import os
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.targets import Target, start_target  # noqa: E402
from bench.wire import WireClient  # noqa: E402

SCENARIOS: dict[str, dict[str, Any]] = {
    # Everyone talks, slowly enough (<= 0.5 msg/s each at the top step) to stay under the pipeline's flood
    # stage (8 messages in 10 s are held), as people do: a few senders at a high rate would only be held.
    # 2,400 clients in rooms of 20: the top step (1,200 msg/s, 24,000 deliveries/s) is past the tuned relay's
    # saturation on one core, so the ratio compares ceilings, not the bench's own cap.
    "group": {"clients": 2400, "rooms": 120, "senders": 2400,
              "steps": [200, 300, 400, 500, 600, 700, 800, 900, 1000, 1100, 1200]},
    "one2one": {"clients": 3000, "rooms": 1500, "senders": 3000, "steps": [100, 400, 700, 1000, 1300, 1600]},
    "fanout": {"clients": 200, "rooms": 1, "senders": 200, "steps": [10, 25, 50, 75, 100]},
    "idle": {"clients": 10_000, "rooms": 50, "senders": 0, "steps": []},
    "cluster": {"clients": 800, "rooms": 40, "senders": 800, "steps": [50, 100, 200, 300, 400], "processes": 2},
}
P99_TARGET = 0.100


@dataclass
class Step:
    offered: float
    connected: int
    deliveries_per_s: float
    p50: float
    p95: float
    p99: float
    lost: int
    duplicated: int
    server_cpu: float
    server_ms_per_msg: float
    server_rss_mb: float
    generator_cpu: float

    def row(self) -> str:
        return (f"{self.offered:8.0f} {self.connected:6d} {self.deliveries_per_s:10.0f} {self.p50 * 1000:7.1f} "
                f"{self.p95 * 1000:7.1f} {self.p99 * 1000:7.1f} {self.lost:6d} {self.duplicated:5d} "
                f"{self.server_cpu:6.0f}% {self.server_ms_per_msg:6.2f} {self.server_rss_mb:7.1f} "
                f"{self.generator_cpu:6.0f}%")

    @property
    def healthy(self) -> bool:
        return self.p99 <= P99_TARGET and self.lost == 0 and self.duplicated == 0


HEADER = (" offered  conns  deliv/s   p50ms   p95ms   p99ms   lost   dup  srvCPU  ms/msg  srvRSS  genCPU\n"
          " (msg/s)                                                              (server)   (MB)")


@dataclass
class Load:
    sent_at: dict[str, float] = field(default_factory=dict)
    expected: dict[str, int] = field(default_factory=dict)
    received: dict[str, int] = field(default_factory=dict)
    latencies: list[float] = field(default_factory=list)
    refused: dict[str, int] = field(default_factory=dict)

    def on_ack(self, task: asyncio.Task[Any]) -> None:
        """Counts sends refused (by error code) or not delivered by decision (held, blocked): a lost delivery
        is either one of these or a real loss."""
        reply = None if task.cancelled() or task.exception() else task.result()
        if not (isinstance(reply, dict) and reply.get("ok")):
            code = reply.get("error", {}).get("code", "?") if isinstance(reply, dict) else "no-ack"
            self.refused[code] = self.refused.get(code, 0) + 1
        elif reply.get("decision", "allow") != "allow":
            self.refused[reply["decision"]] = self.refused.get(reply["decision"], 0) + 1

    def on_event(self, event: str, data: Any) -> None:
        if event != "message:new":
            return
        key = data["client_msg_id"]
        self.received[key] = self.received.get(key, 0) + 1
        sent = self.sent_at.get(key)
        if sent is not None:
            self.latencies.append(time.perf_counter() - sent)


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


async def connect_all(target: Target, http: aiohttp.ClientSession, load: Load, count: int,
                      rooms: int) -> tuple[list[WireClient], list[str], float]:
    clients: list[WireClient] = [WireClient(http, load.on_event) for _ in range(count)]
    room_of = [f"bench-{i % rooms}" for i in range(count)]
    gate = asyncio.Semaphore(64)

    async def one(i: int) -> None:
        async with gate:
            url = target.urls[i % len(target.urls)]
            await clients[i].connect(url, await target.auth(http, url, i))
            reply = await clients[i].call("room:join", {"room": room_of[i], "accept_agreement": True})
            assert reply["ok"], reply
    started = time.perf_counter()
    await asyncio.gather(*(one(i) for i in range(count)))
    return clients, room_of, count / (time.perf_counter() - started)


async def run_step(target: Target, load: Load, senders: list[tuple[WireClient, str]], room_sizes: dict[str, int],
                   rate: float, seconds: float, tag: str) -> Step:
    server = [psutil.Process(pid) for pid in target.pids]
    me = psutil.Process()
    # The generator's own collections would stamp late whatever arrived during them: none during a step.
    gc.collect()
    gc.disable()
    cpu0 = [p.cpu_times() for p in server]
    me0, wall0 = me.cpu_times(), time.perf_counter()
    load.latencies.clear()
    keys: list[str] = []
    per_sender = rate / len(senders)
    pending: set[asyncio.Task[Any]] = set()

    async def send(index: int, client: WireClient, room: str) -> None:
        # Senders start evenly spread over one interval, so the offered rate is steady from the first second.
        interval, n = 1 / per_sender, 0
        next_at = wall0 + interval * index / len(senders)
        while next_at - wall0 < seconds:
            await asyncio.sleep(max(0.0, next_at - time.perf_counter()))
            next_at += interval
            key = f"{tag}_{index}_{n}"
            n += 1
            load.sent_at[key], load.expected[key] = time.perf_counter(), room_sizes[room]
            keys.append(key)
            # Distinct across steps too: a third copy of one text within 5 minutes is held (flood.duplicate).
            payload = {"room": room, "text": f"hello from {index}, number {n} of {tag}", "client_msg_id": key}
            task = asyncio.create_task(client.call("message:send", payload))
            task.add_done_callback(load.on_ack)
            pending.add(task)
            task.add_done_callback(pending.discard)
    await asyncio.gather(*(send(i, c, r) for i, (c, r) in enumerate(senders)))
    wall = time.perf_counter() - wall0
    deadline = time.perf_counter() + 5
    while time.perf_counter() < deadline and any(load.received.get(k, 0) < load.expected[k] for k in keys[-50:]):
        await asyncio.sleep(0.05)
    await asyncio.gather(*pending, return_exceptions=True)
    gc.enable()
    cpu = sum((b.user + b.system) - (a.user + a.system) for a, b in zip(cpu0, (p.cpu_times() for p in server)))
    mine = me.cpu_times()
    got = sum(min(load.received.get(k, 0), load.expected[k]) for k in keys)
    return Step(offered=len(keys) / wall, connected=target.connected, deliveries_per_s=got / wall,
                p50=percentile(load.latencies, 0.50), p95=percentile(load.latencies, 0.95),
                p99=percentile(load.latencies, 0.99), lost=sum(load.expected[k] for k in keys) - got,
                duplicated=sum(max(0, load.received.get(k, 0) - load.expected[k]) for k in keys),
                server_cpu=100 * cpu / (time.perf_counter() - wall0),
                server_ms_per_msg=1000 * cpu / max(1, len(keys)),
                server_rss_mb=sum(p.memory_info().rss for p in server) / 2**20,
                generator_cpu=(100 * ((mine.user + mine.system) - (me0.user + me0.system))
                               / (time.perf_counter() - wall0)))


async def run_target(kind: str, args: argparse.Namespace, spec: dict[str, Any]) -> list[Step]:
    target = await start_target(kind, args, processes=spec.get("processes", 1), rooms=spec["rooms"])
    load = Load()
    try:
        async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as http:
            rss0 = sum(psutil.Process(p).memory_info().rss for p in target.pids)
            clients, room_of, connect_rate = await connect_all(target, http, load, spec["clients"], spec["rooms"])
            target.connected = len(clients)
            rss1 = sum(psutil.Process(p).memory_info().rss for p in target.pids)
            print(f"[{kind}] connected {len(clients)} clients in {spec['rooms']} rooms: {connect_rate:.0f} "
                  f"connects/s (token, connect, join); {(rss1 - rss0) / len(clients) / 1024:.1f} KB per connection "
                  f"(server RSS {rss1 / 2**20:.0f} MB)", flush=True)
            steps: list[Step] = []
            if spec["senders"]:
                sizes = {room: room_of.count(room) for room in set(room_of)}
                senders = [(clients[i], room_of[i]) for i in range(spec["senders"])]
                print(HEADER, flush=True)
                target.toggle_profile()
                for n, rate in enumerate(args.steps or spec["steps"]):
                    step = await run_step(target, load, senders, sizes, rate, args.step_seconds, f"{kind}{n}")
                    print(step.row(), flush=True)
                    if load.refused:
                        print(f"   sends refused or not delivered: {load.refused}", flush=True)
                        load.refused.clear()
                    steps.append(step)
                    if step.p99 > 1.0 or step.lost > step.offered:  # saturated: stop climbing
                        break
                target.toggle_profile()
            await asyncio.gather(*(c.close() for c in clients), return_exceptions=True)
            return steps
    finally:
        target.stop()


def sustained(steps: list[Step]) -> float:
    return max((s.deliveries_per_s for s in steps if s.healthy), default=0.0)


def plot(results: dict[str, list[Step]], path: str, scenario: str) -> None:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots(figsize=(7, 4.5))
    for name, steps in results.items():
        ax.plot([s.offered for s in steps], [s.p99 * 1000 for s in steps], marker="o", label=name)
    ax.axhline(P99_TARGET * 1000, color="grey", linestyle="--", label="100 ms target")
    ax.set_xlabel("offered load (messages/s)")
    ax.set_ylabel("p99 end-to-end latency (ms)")
    ax.set_yscale("log")
    ax.set_title(f"peerchat vs bare python-socketio relay: {scenario}")
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=110)


async def main_async(args: argparse.Namespace) -> None:
    spec = dict(SCENARIOS[args.scenario])
    if args.clients:  # same room size and share of senders, fewer or more of them
        scale = args.clients / spec["clients"]
        spec.update(clients=args.clients, rooms=max(1, round(spec["rooms"] * scale)),
                    senders=min(args.clients, round(spec["senders"] * scale)))
    os.sched_setaffinity(0, {args.generator_core})
    print(f"scenario {args.scenario}: {spec['clients']} clients, {spec['rooms']} rooms, {spec['senders']} senders; "
          f"server on core {args.server_core}, generator on core {args.generator_core}", flush=True)
    kinds = ["peerchat"] + (["relay-tuned", "relay-default"] if args.baseline else [])
    ratios: dict[str, list[float]] = {kind: [] for kind in kinds[1:]}
    for round_number in range(1, args.rounds + 1):
        if args.rounds > 1:
            print(f"== round {round_number} of {args.rounds}", flush=True)
        results = {kind: await run_target(kind, args, spec) for kind in kinds}
        if not spec["senders"]:
            continue
        ours = sustained(results["peerchat"])
        print(f"sustained deliveries/s at p99 <= 100 ms, no loss: peerchat {ours:.0f}")
        for kind in kinds[1:]:
            theirs = sustained(results[kind])
            if theirs:
                ratios[kind].append(ours / theirs)
                print(f"  {kind} {theirs:.0f}  -> peerchat/{kind} = {ours / theirs:.2f}x")
            else:
                print(f"  {kind}: no step met p99 <= 100 ms  -> no ratio")
        if args.plot:
            plot(results, args.plot, args.scenario)
            print(f"plot written to {args.plot}")
    if args.rounds > 1:
        for kind, values in ratios.items():
            if values:
                print(f"peerchat/{kind} over {len(values)} of {args.rounds} rounds: lowest {min(values):.2f}x, "
                      f"median {statistics.median(values):.2f}x, highest {max(values):.2f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scenario", choices=sorted(SCENARIOS), default="group")
    parser.add_argument("--baseline", action="store_true", help="also run the bare relays and print ratios")
    parser.add_argument("--clients", type=int, help="override the scenario's client count")
    parser.add_argument("--steps", type=lambda s: [float(x) for x in s.split(",")], help="offered msg/s, e.g. 50,100")
    parser.add_argument("--step-seconds", type=float, default=5.0)
    parser.add_argument("--database-url", default="", help="PostgreSQL URL (default: a fresh SQLite file)")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/5", help="for the cluster scenario")
    parser.add_argument("--server-core", type=int, default=0)
    parser.add_argument("--generator-core", type=int, default=1)
    parser.add_argument("--max-seconds", type=float, default=600, help="hard stop for the whole run")
    parser.add_argument("--plot", help="write a PNG of p99 latency against offered load (the last round's)")
    parser.add_argument("--rounds", type=int, default=1, help="repeat every target this many times, in turn")
    args = parser.parse_args()
    try:
        import uvloop  # the generator's own loop overhead is kept low (its CPU is reported per step)
        asyncio.set_event_loop_policy(uvloop.EventLoopPolicy())
    except ImportError:
        pass
    try:
        asyncio.run(asyncio.wait_for(main_async(args), args.max_seconds))
    except asyncio.TimeoutError:
        print(f"stopped after --max-seconds={args.max_seconds}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
