"""The deployment files: docker-compose.yml against the Compose Specification's JSON schema (shipped by
check-jsonschema; no Docker engine runs here), plus the properties we rely on; nginx.conf and the
Dockerfile checked for the settings that make scale-out and graceful shutdown work, and for an image
layout in which `peerchat migrate` finds its migrations and `/` serves the built web client."""
from __future__ import annotations

import fnmatch
import json
import os
import posixpath
import re
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from importlib import resources
from ipaddress import ip_network
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from ruamel.yaml import YAML

from server.settings import load_settings
from server.storage import schema
from server.storage.database import create_engine
from server.storage.schema import (MigrationsNotFound, SchemaNotReady, alembic_config, check_schema,
                                   migrations_dir, upgrade_to_head)

ROOT = Path(__file__).resolve().parent.parent


def _compose() -> dict[str, Any]:
    return dict(YAML(typ="safe").load((ROOT / "docker-compose.yml").read_text()))


def _replicas(compose: dict[str, Any]) -> list[str]:
    return [name for name, s in compose["services"].items()
            if s.get("image") == "peerchat:latest" and name != "migrate"]


def test_compose_file_matches_the_compose_specification() -> None:
    schema_file = resources.files("check_jsonschema.builtin_schemas.vendor") / "compose-spec.json"
    schema = json.loads(schema_file.read_text())
    jsonschema.validate(_compose(), schema, cls=jsonschema.Draft7Validator)
    broken = _compose()
    broken["services"]["redis"]["healthcheck"]["interval"] = ["5s"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, schema, cls=jsonschema.Draft7Validator)


def test_compose_runs_the_whole_service_with_health_checks() -> None:
    compose = _compose()
    services = compose["services"]
    assert {"postgres", "redis", "migrate", "nginx"} <= set(services)
    replicas = _replicas(compose)
    assert len(replicas) >= 2
    for name in replicas:
        service = services[name]
        assert service["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
        assert "/readyz" in " ".join(service["healthcheck"]["test"])
        assert "ports" not in service
        env = service["environment"]
        assert env["PEERCHAT_REDIS_URL"].startswith("redis://:${REDIS_PASSWORD")
        assert env["PEERCHAT_DATABASE_URL"].startswith("postgresql://")
    assert services["migrate"]["restart"] == "no"
    assert "peerchat migrate" in " ".join(services["migrate"]["command"])
    assert services["migrate"]["depends_on"]["postgres"]["condition"] == "service_healthy"
    for name in ("postgres", "redis", "nginx"):
        assert services[name]["healthcheck"]["test"], name
    assert set(services["nginx"]["depends_on"]) == set(replicas)


def test_redis_is_private_and_needs_a_password() -> None:
    compose = _compose()
    redis = compose["services"]["redis"]
    assert "ports" not in redis and "expose" not in redis
    assert "--requirepass" in redis["command"]
    assert redis["networks"] == ["backend"]
    assert compose["networks"]["backend"]["internal"] is True
    public = [n for n, s in compose["services"].items() if "ports" in s]
    assert public == ["nginx"]


def test_nginx_is_sticky_upgrades_websockets_and_hides_metrics() -> None:
    conf = (ROOT / "deploy" / "nginx.conf").read_text()
    upstream = re.search(r"upstream peerchat \{(.*?)\}", conf, re.S)
    assert upstream is not None
    assert "ip_hash;" in upstream.group(1)
    servers = set(re.findall(r"server ([\w-]+):8080", upstream.group(1)))
    assert servers == set(_replicas(_compose()))
    assert "proxy_set_header Upgrade $http_upgrade;" in conf
    assert "proxy_set_header Connection $connection_upgrade;" in conf
    assert re.search(r"location = /metrics \{ deny all; \}", conf)


def test_replicas_trust_nginx_on_the_private_network_for_client_addresses() -> None:
    compose = _compose()
    subnets = [ip_network(c["subnet"]) for c in compose["networks"]["backend"]["ipam"]["config"]]
    for name in _replicas(compose):
        environment = {k: str(v) for k, v in compose["services"][name]["environment"].items()}
        assert list(load_settings(environment).trusted_proxies) == subnets, name
    conf = (ROOT / "deploy" / "nginx.conf").read_text()
    locations = re.findall(r"location [^{]*\{(.*?)\n    \}", conf, re.S)
    proxied = [body for body in locations if "proxy_pass" in body]
    assert proxied and all("proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;" in body
                           for body in proxied)


def test_dockerfile_runs_unprivileged_with_a_health_check() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert re.search(r"^USER peerchat$", dockerfile, re.M)
    assert "HEALTHCHECK" in dockerfile and "/healthz" in dockerfile
    assert 'CMD ["peerchat", "serve"]' in dockerfile
    assert "COPY migrations" in dockerfile
    # The moderation matchers are compiled into the image, in a cache directory the user may rewrite.
    assert "XDG_CACHE_HOME=/app/cache" in dockerfile and "chown peerchat /app/cache" in dockerfile
    assert dockerfile.index("USER peerchat") < dockerfile.index("review('warm up'")
    # The pipeline is compiled by mypyc in the build stage (setup.py), whose compiler stays behind.
    assert "COPY setup.py" in dockerfile and "PEERCHAT_COMPILE=1 pip install" in dockerfile
    final_stage = dockerfile.index("FROM python:3.11-slim\n")
    assert dockerfile.index("gcc") < dockerfile.index("PEERCHAT_COMPILE=1") < final_stage


@dataclass
class Stage:
    """One FROM section of the Dockerfile: its base image, name and instructions (continuations joined)."""

    base: str
    name: str | None
    instructions: list[tuple[str, str]] = field(default_factory=list)

    def all(self, keyword: str) -> list[str]:
        return [rest for kw, rest in self.instructions if kw == keyword]

    def index(self, keyword: str, containing: str) -> int:
        return next(i for i, (kw, rest) in enumerate(self.instructions) if kw == keyword and containing in rest)

    def workdir(self, before: int | None = None) -> str:
        current = "/"
        for kw, rest in self.instructions[:before]:
            if kw == "WORKDIR":
                current = posixpath.join(current, rest)
        return current

    def env(self) -> dict[str, str]:
        return dict(pair.split("=", 1) for rest in self.all("ENV") for pair in shlex.split(rest))

    def copied_to(self, source: str, origin: str | None = None) -> str:
        """Where one source (from the build context, or from the stage named origin: a directory) lands in
        this stage: a directory's contents become the destination; a file goes into a destination ending in /."""
        for index, (kw, rest) in enumerate(self.instructions):
            words = shlex.split(rest) if kw == "COPY" else []
            copy_origin = next((w.split("=", 1)[1] for w in words if w.startswith("--from=")), None)
            paths = [w for w in words if not w.startswith("--")]
            if copy_origin != origin or source not in paths[:-1]:
                continue
            dest = posixpath.join(self.workdir(index), paths[-1])
            is_file = origin is None and (ROOT / source).is_file()
            into_directory = is_file and (dest.endswith("/") or len(paths) > 2)
            return posixpath.normpath(posixpath.join(dest, posixpath.basename(source)) if into_directory else dest)
        raise AssertionError(f"stage {self.name or self.base} copies no {source} from {origin or 'the context'}")


def _stages() -> list[Stage]:
    text = re.sub(r"\\\n", " ", (ROOT / "Dockerfile").read_text())
    stages: list[Stage] = []
    for line in (raw.strip() for raw in text.splitlines()):
        if not line or line.startswith("#"):
            continue
        keyword, _, rest = line.partition(" ")
        if keyword.upper() == "FROM":
            match = re.fullmatch(r"(\S+)(?:\s+AS\s+(\S+))?", rest.strip(), re.I)
            assert match is not None, line
            stages.append(Stage(match.group(1), match.group(2)))
        else:
            stages[-1].instructions.append((keyword.upper(), rest.strip()))
    return stages


def _dockerignored(path: str) -> bool:
    """Docker's rule, enough for our .dockerignore: a path is left out if it or a parent matches a pattern."""
    patterns = [p.strip().rstrip("/") for p in (ROOT / ".dockerignore").read_text().splitlines()
                if p.strip() and not p.startswith("#")]
    assert not any(p.startswith("!") for p in patterns), "exceptions are not modelled here"
    parts = path.split("/")
    prefixes = ["/".join(parts[:n]) for n in range(1, len(parts) + 1)]
    return any(fnmatch.fnmatchcase(prefix, pattern) or fnmatch.fnmatchcase(prefix, pattern.removeprefix("**/"))
               for prefix in prefixes for pattern in patterns)


def test_the_image_builds_the_web_client_as_make_web_does_and_serves_it() -> None:
    stages = _stages()
    [web] = [s for s in stages if "npm run build" in s.all("RUN")]
    runtime = stages[-1]
    # Vite 7 needs Node 20.19+; the lock holds rollup's native builds for glibc only, so not alpine.
    version = re.match(r"node:(\d+)", web.base)
    assert version and int(version.group(1)) >= 20 and "alpine" not in web.base and web.name
    # `npm install`, not `npm ci` (the Makefile's web target says why), run where the lock was copied.
    assert not any("npm ci" in run for run in web.all("RUN"))
    install = web.index("RUN", "npm install")
    assert web.copied_to("web/package-lock.json") == posixpath.join(web.workdir(install), "package-lock.json")
    assert web.copied_to("web/package.json") == posixpath.join(web.workdir(install), "package.json")
    assert web.copied_to("web") == web.workdir(install)
    assert install < web.index("COPY", "web ./") < web.index("RUN", "npm run build")
    # vite writes dist/ (vite.config.js); the runtime stage takes it and points PEERCHAT_WEB_DIR there.
    assert re.search(r'outDir:\s*"dist"', (ROOT / "web" / "vite.config.js").read_text())
    served = runtime.copied_to(posixpath.join(web.workdir(), "dist"), origin=web.name)
    assert runtime.env()["PEERCHAT_WEB_DIR"] == served
    assert load_settings({"PEERCHAT_WEB_DIR": served}).web_dir == Path(served)


def test_the_image_runs_peerchat_where_the_migrations_lookup_finds_them(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    stages = _stages()
    runtime = stages[-1]
    workdir = runtime.workdir()
    # A regular (non-editable) install has no migrations/ beside the package: schema.migrations_dir then
    # looks in the working directory, which is where the image puts them and where it runs peerchat.
    assert any(re.search(r"pip install .*--prefix=\S+ \.$", run) for s in stages for run in s.all("RUN"))
    assert runtime.copied_to("migrations") == posixpath.join(workdir, "migrations")
    assert runtime.copied_to("alembic.ini") == posixpath.join(workdir, "alembic.ini")
    assert runtime.all("CMD") == ['["peerchat", "serve"]']
    for name, service in _compose()["services"].items():
        assert "working_dir" not in service and "cd " not in " ".join(service.get("command", [])), name
    # When they are missing, the error names the image's directory.
    assert f"({workdir} in the Docker image)" in _missing_message(monkeypatch, tmp_path, tmp_path)


def test_the_build_context_has_what_the_image_copies_and_no_local_builds_or_secrets() -> None:
    sources = [w for s in _stages() for kw, rest in s.instructions if kw == "COPY" and "--from=" not in rest
               for w in shlex.split(rest)[:-1]]
    assert {"server", "migrations", "alembic.ini", "web", "setup.py"} <= set(sources)
    try:
        tracked = subprocess.run(["git", "ls-files", "--", *sources], cwd=ROOT, capture_output=True, text=True,
                                 check=True).stdout.split()
    except (OSError, subprocess.CalledProcessError):
        tracked = sources
    assert tracked and not [path for path in tracked if _dockerignored(path)]
    for path in ("web/node_modules/vite/package.json", "web/dist/index.html", ".env", ".venv/bin/python",
                 "var/peerchat.sqlite3", ".git/HEAD", "server/storage/__pycache__/schema.cpython-311.pyc"):
        assert _dockerignored(path), path


def _missing_message(monkeypatch: pytest.MonkeyPatch, installed: Path, cwd: Path) -> str:
    """The lookup's error for a package installed in `installed` (no checkout) run from `cwd`."""
    monkeypatch.setattr(schema, "CHECKOUT_MIGRATIONS_DIR", installed / "migrations")
    monkeypatch.chdir(cwd)
    with pytest.raises(MigrationsNotFound) as raised:
        migrations_dir()
    return str(raised.value)


def test_a_source_checkout_uses_its_own_migrations_from_any_directory(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "migrations").mkdir()
    (tmp_path / "migrations" / "env.py").write_text("raise SystemExit('not these')\n")
    monkeypatch.chdir(tmp_path)
    assert migrations_dir() == ROOT / "migrations"
    assert alembic_config("sqlite://").get_main_option("script_location") == str(ROOT / "migrations")


async def test_an_installed_package_migrates_from_the_working_directory(tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    # The image: the package in site-packages (no migrations/ beside it), the scripts in /app.
    monkeypatch.setattr(schema, "CHECKOUT_MIGRATIONS_DIR", tmp_path / "site-packages" / "migrations")
    app = tmp_path / "app"
    shutil.copytree(ROOT / "migrations", app / "migrations", ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.chdir(app)
    assert migrations_dir() == app / "migrations"
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'image.sqlite3'}")
    try:
        with pytest.raises(SchemaNotReady) as unmigrated:
            await check_schema(engine)
        assert not isinstance(unmigrated.value, MigrationsNotFound)
        await upgrade_to_head(engine)
        await check_schema(engine)
    finally:
        await engine.dispose()


def test_missing_migrations_are_reported_as_such(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A stray top-level `migrations` package in site-packages (some distributions ship one) is not ours.
    (tmp_path / "site-packages" / "migrations").mkdir(parents=True)
    message = _missing_message(monkeypatch, tmp_path / "site-packages", tmp_path)
    assert str(tmp_path / "site-packages" / "migrations") in message and str(tmp_path / "migrations") in message
    # `peerchat migrate` says so and exits 2, like any schema problem, instead of alembic's traceback.
    script = ("import sys; from pathlib import Path; import server.storage.schema as schema; "
              f"schema.CHECKOUT_MIGRATIONS_DIR = Path({str(tmp_path / 'site-packages' / 'migrations')!r}); "
              "from server.__main__ import main; sys.exit(main(['migrate']))")
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("PEERCHAT_")}, "PYTHONPATH": str(ROOT),
           "PEERCHAT_DATABASE_URL": f"sqlite:///{tmp_path}/x.sqlite3", "PEERCHAT_UVLOOP": "false"}
    result = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, env=env, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith("peerchat: The migrations are in neither") and "Traceback" not in result.stderr
