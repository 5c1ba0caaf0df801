"""The deployment files: docker-compose.yml against the Compose Specification's JSON schema (shipped by
check-jsonschema; no Docker engine runs here), plus the properties we rely on; nginx.conf and the
Dockerfile checked for the settings that make scale-out and graceful shutdown work."""
from __future__ import annotations

import json
import re
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from ruamel.yaml import YAML

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
