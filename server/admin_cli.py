"""`peerchat rooms|staff|watched|resources ...`: the administrator's commands, run by the operator.

They call the same do_* services as the JSON API, acting as "operator" in the audit. Running servers
see the change through the database: rooms at once, watched words, resources and deactivations within
a second (config_versions). What the API pushes to connected clients after a change (room:updated,
rooms:changed, moderator:rooms) is queued with the change for the first server process that looks, within
a second (server/pushes.py).
"""
from __future__ import annotations

import argparse
import asyncio
import json
import sys
from typing import Any, Awaitable, Callable

from .clock import SystemClock
from .identity.roles import AgeBand
from .identity.staff import do_change_role, do_reset_password, do_set_staff_active, list_staff
from .identity.tokens import TokenSigner
from .moderation.ratelimit import RateLimiter
from .moderation.resources_admin import do_add_resource, do_remove_resource, get_resources_for, list_resource_entries
from .moderation.watched_admin import do_add_watched, do_edit_watched, do_remove_watched, list_watched
from .rooms.admin import do_archive_room, do_create_room, do_edit_room, list_rooms_for_admin
from .rooms.admin_audit import OPERATOR
from .rooms.moderators import do_set_room_moderators
from .rooms.slow_mode import REASONS, do_set_slow_mode
from .services import Services
from .settings import Settings
from .storage.database import Database
from .storage.schema import check_schema

Work = Callable[[Services], Awaitable[Any]]


class OfflineBroadcaster:
    """The command line has no sockets: its pushes are queued for the servers (Services.queue_pushes), and
    servers close or move their own connections when a live-config counter moves."""

    async def publish(self, topic: str, event: str, payload: dict[str, Any], *, skip_sid: str | None = None) -> None:
        return None

    async def subscribe(self, sid: str, topic: str) -> None:
        return None

    async def unsubscribe(self, sid: str, topic: str) -> None:
        return None

    async def close_topic(self, topic: str, *, except_sid: str | None = None) -> None:
        return None


def run(settings: Settings, work: Work) -> int:
    async def main() -> Any:
        db = Database.from_url(settings.database_url)
        try:
            await check_schema(db.engine)
            clock = SystemClock()
            svc = Services(settings=settings, clock=clock, db=db, broadcaster=OfflineBroadcaster(),
                           signer=TokenSigner(settings.secret_key, clock), limiter=RateLimiter(clock),
                           queue_pushes=True)
            return await work(svc)
        finally:
            await db.close()
    result = asyncio.run(main())
    if result is not None:
        print(json.dumps(result, indent=1, ensure_ascii=False))
    return 0


def _value(raw: str) -> object:
    """key=value values: whole numbers and true/false as such, everything else as text."""
    if raw.isdigit():
        return int(raw)
    return {"true": True, "false": False}.get(raw, raw)


def _pairs(items: list[str] | None) -> dict[str, object]:
    pairs = {}
    for item in items or ():
        key, sep, value = item.partition("=")
        if not sep:
            raise SystemExit(f"peerchat: write settings as key=value, got {item!r}")
        pairs[key.strip()] = _value(value.strip())
    return pairs


def _room_body(args: argparse.Namespace) -> dict[str, object]:
    body: dict[str, object] = {k: v for k, v in {
        "name": args.name, "description": args.description, "capacity": args.capacity, "age_band": args.age_band,
    }.items() if v is not None}
    if args.agreement_file:
        body["agreement"] = sys.stdin.read() if args.agreement_file == "-" else open(args.agreement_file).read()
    elif args.agreement is not None:
        body["agreement"] = args.agreement
    if args.listeners is not None:
        body["listeners_allowed"] = args.listeners == "yes"
    if args.policy:
        body["policy"] = _pairs(args.policy)
    return body


def _room_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--name")
    parser.add_argument("--description")
    parser.add_argument("--agreement", help="the group agreement text")
    parser.add_argument("--agreement-file", help="read the agreement from a file ('-' for standard input)")
    parser.add_argument("--capacity", type=int)
    parser.add_argument("--listeners", choices=["yes", "no"], help="may people join as listeners only")
    parser.add_argument("--age-band", choices=[band.value for band in AgeBand],
                        help="who the room is for: adults (default), teens (under 18), older (60 and over)")
    parser.add_argument("--policy", nargs="*", metavar="KEY=VALUE", help="room rules, e.g. retention_days=7")


def _set_room_moderators(args: argparse.Namespace, settings: Settings) -> int:
    """Exactly the names given; none at all only with --none, so a forgotten name never clears a room."""
    if bool(args.usernames) == args.none:
        raise SystemExit("peerchat: name the room's moderators, or give --none to have nobody")
    return run(settings, lambda svc: do_set_room_moderators(svc, actor=OPERATOR, slug=args.slug,
                                                            usernames=args.usernames))


def register_rooms(rooms: argparse._SubParsersAction) -> None:
    add = rooms.add_parser("add", help="create a room")
    add.add_argument("slug")
    _room_options(add)
    add.set_defaults(func=lambda a, s: run(s, lambda svc: do_create_room(
        svc, actor=OPERATOR, body={"slug": a.slug, **_room_body(a)})))
    edit = rooms.add_parser("edit", help="change a room: only the options given change")
    edit.add_argument("slug")
    _room_options(edit)
    edit.set_defaults(func=lambda a, s: run(s, lambda svc: do_edit_room(svc, actor=OPERATOR, slug=a.slug,
                                                                        body=_room_body(a))))
    archive = rooms.add_parser("archive", help="close a room to new joins and messages (purged by its retention)")
    archive.add_argument("slug")
    archive.set_defaults(func=lambda a, s: run(s, lambda svc: do_archive_room(svc, actor=OPERATOR, slug=a.slug)))
    slow = rooms.add_parser("slow-mode", help="one message per person every SECONDS (0: off); staff exempt")
    slow.add_argument("slug")
    slow.add_argument("seconds", type=int)
    slow.add_argument("--minutes", type=int, help="lift it by itself after this long (default: until turned off)")
    slow.add_argument("--reason", choices=REASONS, default="other")
    slow.set_defaults(func=lambda a, s: run(s, lambda svc: do_set_slow_mode(
        svc, actor=OPERATOR, slug=a.slug, seconds=a.seconds, minutes=a.minutes, reason=a.reason)))
    mods = rooms.add_parser("moderators", help="set who looks after a room: its reports alert them first")
    mods.add_argument("slug")
    mods.add_argument("usernames", nargs="*", metavar="USERNAME", help="active moderators or admins")
    mods.add_argument("--none", action="store_true", help="nobody: the room is every moderator's")
    mods.set_defaults(func=_set_room_moderators)
    rooms.add_parser("list", help="every room, archived ones too").set_defaults(
        func=lambda a, s: run(s, lambda svc: list_rooms_for_admin(svc, actor=OPERATOR)))


def register_staff(staff: argparse._SubParsersAction) -> None:
    staff.add_parser("list", help="staff accounts").set_defaults(
        func=lambda a, s: run(s, lambda svc: list_staff(svc, actor=OPERATOR)))
    role = staff.add_parser("role", help="change someone's role")
    role.add_argument("name")
    role.add_argument("role", choices=["facilitator", "moderator", "admin"])
    role.set_defaults(func=lambda a, s: run(s, lambda svc: do_change_role(svc, actor=OPERATOR, username=a.name,
                                                                          role=a.role)))
    for command, active in (("deactivate", False), ("reactivate", True)):
        ending = "" if active else "; their sessions end"
        parser = staff.add_parser(command, help=f"{command} an account{ending}")
        parser.add_argument("name")
        parser.set_defaults(func=lambda a, s, active=active: run(s, lambda svc: do_set_staff_active(
            svc, actor=OPERATOR, username=a.name, active=active)))
    password = staff.add_parser("password", help="set a new password (read from standard input); sessions end")
    password.add_argument("name")
    password.set_defaults(func=lambda a, s: run(s, lambda svc: do_reset_password(
        svc, actor=OPERATOR, username=a.name, password=sys.stdin.readline().rstrip("\n"))))


def register(commands: argparse._SubParsersAction) -> None:
    watched = commands.add_parser("watched", help="watched-word rules").add_subparsers(
        dest="watched_command", required=True)
    watched.add_parser("list").set_defaults(func=lambda a, s: run(s, lambda svc: list_watched(svc, actor=OPERATOR)))
    add = watched.add_parser("add", help="add a rule, e.g. --kind word --action mask 'bozo'")
    add.add_argument("text")
    add.add_argument("--kind", default="word", choices=["word", "phrase", "pattern"])
    add.add_argument("--action", required=True, choices=["allow", "flag", "mask", "hold", "block", "mute"])
    add.add_argument("--room", help="only in this room (default: every room)")
    add.add_argument("--mute-minutes", type=int, default=10)
    add.set_defaults(func=lambda a, s: run(s, lambda svc: do_add_watched(svc, actor=OPERATOR, body={
        "text": a.text, "kind": a.kind, "action": a.action, "room": a.room, "mute_minutes": a.mute_minutes})))
    edit = watched.add_parser("edit", help="change a rule: key=value for text, kind, action, room, mute_minutes")
    edit.add_argument("id")
    edit.add_argument("changes", nargs="+", metavar="KEY=VALUE")
    edit.set_defaults(func=lambda a, s: run(s, lambda svc: do_edit_watched(svc, actor=OPERATOR, rule_id=a.id,
                                                                           body=_pairs(a.changes))))
    remove = watched.add_parser("remove")
    remove.add_argument("id")
    remove.set_defaults(func=lambda a, s: run(s, lambda svc: do_remove_watched(svc, actor=OPERATOR, rule_id=a.id)))

    resources = commands.add_parser("resources", help="crisis resources per region").add_subparsers(
        dest="resources_command", required=True)
    resources.add_parser("list", help="the entries admins made").set_defaults(
        func=lambda a, s: run(s, lambda svc: list_resource_entries(svc, actor=OPERATOR)))
    show = resources.add_parser("show", help="what a peer with this locale is offered, e.g. en-GB")
    show.add_argument("locale")
    show.set_defaults(func=lambda a, s: run(s, lambda svc: get_resources_for(svc, a.locale)))
    radd = resources.add_parser("add", help="key=value: region, name, phone, text, url, hours, kind, hidden")
    radd.add_argument("fields", nargs="+", metavar="KEY=VALUE")
    radd.set_defaults(func=lambda a, s: run(s, lambda svc: do_add_resource(svc, actor=OPERATOR,
                                                                           body=_pairs(a.fields))))
    rremove = resources.add_parser("remove")
    rremove.add_argument("id")
    rremove.set_defaults(func=lambda a, s: run(s, lambda svc: do_remove_resource(svc, actor=OPERATOR,
                                                                                 resource_id=a.id)))
