"""`peerchat` (or `python -m server`): serve, migrate, seed, staff."""
from __future__ import annotations

import argparse
import asyncio
import gc
import getpass
import logging
import sys
from typing import AsyncIterator, Callable

from aiohttp import web

from . import admin_cli
from .app import create_app
from .background import periodic
from .clock import SystemClock
from .errors import DomainError, ErrorCode
from .identity.accounts import do_create_staff
from .identity.roles import STAFF_ROLES, Role
from .logs import configure_logging
from .moderation import cli as moderation_cli
from .moderation.live_config import LiveConfig
from .moderation.pipeline import review
from .moderation.policy import RoomPolicy, SenderContext
from .rooms.access import check_room
from .moderation.figures import format_figures, get_team_figures
from .rooms.catalogue import do_seed_rooms
from .rooms.policy import RoomRules
from .rooms.admin_audit import OPERATOR
from .rooms.policy_changes import do_update_room_rules
from .moderation.audit_retention import do_purge_audit
from .rooms.retention import do_purge_expired
from .runtime import freeze_startup_objects, tune_collector
from .serve import serve
from .services import Services
from .settings import Settings, SettingsError, load_settings
from .storage.database import Database
from .storage.schema import SchemaNotReady, check_schema, upgrade_to_head

log = logging.getLogger("peerchat")


def _tune_runtime(settings: Settings) -> None:
    """uvloop and fewer GC passes: the two biggest tail-latency wins we measured (PERFORMANCE.md)."""
    if settings.uvloop:
        try:
            import uvloop
        except ImportError:
            log.warning("uvloop_missing falling back to asyncio's default loop")
        else:
            asyncio.set_event_loop_policy(uvloop.EventLoopPolicy())
    tune_collector()


YOUNG_GC_INTERVAL = 0.3


async def _collect_young() -> None:
    """Left to its threshold, the youngest generation held ~240,000 objects under load by the time it fired
    (objects the interpreter tracks only after creation do not count towards it): passes of 60-130 ms. A
    timed pass keeps each one short. Nearly everything a pass scans is alive (each connection's wait for its
    next packet, remade on every delivery), so longer intervals save CPU but lengthen every pass: in rooms
    of 20 every 2 s took 0.34 s of collector CPU per 20 s against 1.39 s, the longest pass 38 ms against 26;
    but in 1:1 rooms (3,000 clients) the p99 at 1,000 msg/s went from 16-26 ms to 61-106 ms, so the
    interval stays at 0.3 s (bench/RESULTS.txt, session 10)."""
    gc.collect(0)


async def _young_collections(_app: web.Application) -> AsyncIterator[None]:
    async with periodic("young_gc", YOUNG_GC_INTERVAL, _collect_young):
        yield


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    settings = settings.with_overrides(host=args.host or settings.host,
                                       port=settings.port if args.port is None else args.port)
    _tune_runtime(settings)
    # Build the pipeline's matchers now, not on the first message, and before the loop runs: on it they would
    # stall the Redis link's commands past its timeout (over a second on a busy host), and the process would
    # start in per-process mode (rate limits not shared) until its next heartbeat.
    review("warming up", RoomPolicy(), SenderContext())
    app = create_app(settings)

    async def freeze(_app: web.Application) -> None:
        freeze_startup_objects()

    app.on_startup.append(freeze)
    app.cleanup_ctx.append(_young_collections)
    try:
        asyncio.run(serve(app, settings))
    except SchemaNotReady as error:
        print(f"peerchat: {error}", file=sys.stderr)
        return 2
    return 0


async def _with_db(settings: Settings, work: Callable[[Database], object]) -> None:
    db = Database.from_url(settings.database_url)
    try:
        await work(db)  # type: ignore[misc]
    finally:
        await db.close()


def cmd_migrate(_args: argparse.Namespace, settings: Settings) -> int:
    async def run(db: Database) -> None:
        await upgrade_to_head(db.engine)
    asyncio.run(_with_db(settings, run))
    print("peerchat: database is at the newest schema")
    return 0


def cmd_seed(_args: argparse.Namespace, settings: Settings) -> int:
    async def run(db: Database) -> None:
        await check_schema(db.engine)
        created = await do_seed_rooms(db, SystemClock())
        print(f"peerchat: created rooms: {', '.join(created)}" if created else "peerchat: rooms already seeded")
    asyncio.run(_with_db(settings, run))
    return 0


async def _room_policy(settings: Settings, slug: str) -> RoomPolicy:
    """`peerchat moderation check --room SLUG` uses exactly the rules that room's messages get,
    watched words included."""
    db = Database.from_url(settings.database_url)
    live = LiveConfig()
    try:
        async with db.read() as session:
            room = await check_room(session, slug)
        await live.refresh(db, 0.0, force=True)
    finally:
        await db.close()
    return RoomRules.from_json(room.policy).moderation(settings.locale, live.watched_for(room.id))


def cmd_purge(_args: argparse.Namespace, settings: Settings) -> int:
    async def purge(svc: Services) -> None:
        report = await do_purge_expired(svc.db, svc.clock, settings.moderation_retention_days, svc)
        rooms = ", ".join(f"{slug}: {count}" for slug, count in sorted(report.removed.items())) or "nothing expired"
        print(f"peerchat: purged {report.total} messages ({rooms})")
        audit = await do_purge_audit(svc.db, svc.clock, settings.audit_retention_days)
        days = settings.audit_retention_days
        kept = f"older than {days} days" if days else "PEERCHAT_AUDIT_RETENTION_DAYS=0 keeps them for ever"
        counts = ", ".join(f"{table}: {count}" for table, count in audit.removed.items())
        print(f"peerchat: purged {audit.total} audit and activity records ({counts}; {kept})"
              f"{'; more remain for the next run' if audit.more else ''}")
    return admin_cli.run(settings, purge)


def cmd_rooms_policy(args: argparse.Namespace, settings: Settings) -> int:
    changes = dict(_parse_assignment(item) for item in args.changes)

    async def change(svc: Services) -> None:
        rules = await do_update_room_rules(svc, actor=OPERATOR, slug=args.slug, changes=changes)
        print(f"peerchat: {args.slug} policy is now {rules.to_json()}")
    return admin_cli.run(settings, change)


def _parse_assignment(item: str) -> tuple[str, object]:
    key, sep, value = item.partition("=")
    if not sep:
        raise DomainError(ErrorCode.INVALID, f"Write changes as key=value, got {item!r}.")
    return key.strip(), int(value) if value.strip().isdigit() else value.strip()


def _read_password(from_stdin: bool) -> str:
    if from_stdin or not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("Password: ")
    if getpass.getpass("Again: ") != first:
        raise DomainError(ErrorCode.INVALID, "The two passwords differ.")
    return first


def cmd_staff_add(args: argparse.Namespace, settings: Settings) -> int:
    password = _read_password(args.password_stdin)

    async def run(db: Database) -> None:
        await check_schema(db.engine)
        user = await do_create_staff(db, SystemClock(), role=Role(args.role), username=args.name, password=password)
        print(f"peerchat: created {user.role} {user.username}")
    asyncio.run(_with_db(settings, run))
    return 0


def cmd_mod_report(args: argparse.Namespace, settings: Settings) -> int:
    async def run(db: Database) -> None:
        await check_schema(db.engine)
        print(format_figures(await get_team_figures(db, SystemClock(), days=args.days)))
    asyncio.run(_with_db(settings, run))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="peerchat", description="Real-time, moderated peer-support chat.")
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="run the server")
    serve.add_argument("--host", help="address to listen on (default PEERCHAT_HOST or 127.0.0.1)")
    serve.add_argument("--port", type=int, help="port (default PEERCHAT_PORT or 8080)")
    serve.set_defaults(func=cmd_serve)
    commands.add_parser("migrate", help="upgrade the database schema to the newest version").set_defaults(
        func=cmd_migrate)
    commands.add_parser("seed", help="create the default topic rooms (idempotent)").set_defaults(func=cmd_seed)
    staff = commands.add_parser("staff", help="manage staff accounts").add_subparsers(
        dest="staff_command", required=True)
    add = staff.add_parser("add", help="create a staff account (password prompted, or read from stdin)")
    add.add_argument("--role", required=True, choices=[r.value for r in STAFF_ROLES])
    add.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    add.add_argument("name", help="the staff member's username")
    add.set_defaults(func=cmd_staff_add)
    admin_cli.register_staff(staff)
    moderation_cli.register(commands)
    commands.add_parser("purge", help="delete messages past their room's retention and audit entries past "
                        "PEERCHAT_AUDIT_RETENTION_DAYS (for cron)").set_defaults(
        func=cmd_purge)
    rooms = commands.add_parser("rooms", help="manage rooms").add_subparsers(dest="rooms_command", required=True)
    policy = rooms.add_parser("policy", help="change a room's confidentiality rules, e.g. retention_days=7")
    policy.add_argument("slug")
    policy.add_argument("changes", nargs="*", help="key=value: retention_days, history, contact, profanity, "
                        "held_originals")
    policy.set_defaults(func=cmd_rooms_policy)
    report = commands.add_parser("mod-report", help="moderation team figures: time to claim and resolve, queue")
    report.add_argument("--days", type=int, default=7, help="items raised in the last N days (default 7)")
    report.set_defaults(func=cmd_mod_report)
    admin_cli.register_rooms(rooms)
    admin_cli.register(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = load_settings()
    except SettingsError as error:
        print(f"peerchat: configuration error: {error}", file=sys.stderr)
        return 2
    configure_logging(settings.log_level, settings.log_json)
    moderation_cli.set_room_policy_loader(lambda slug: asyncio.run(_room_policy(settings, slug)))
    try:
        return int(args.func(args, settings))
    except SchemaNotReady as error:
        print(f"peerchat: {error}", file=sys.stderr)
        return 2
    except DomainError as error:
        print(f"peerchat: {error.message}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
