"""The Dockerfile and compose.yaml stay in step with the code: the commands they run exist, the health check
aims at the liveness route, the simulator's settings are the ones `s2cart gateways env` prints, and Docker
Compose itself accepts the file (Debian's docker-compose; CI installs it, elsewhere that check is skipped).

Building and running the image is `make image-test` (deploy/docker/smoke-test.sh): it needs root and a Docker
daemon, so it stays outside `make test`."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = ROOT / "compose.yaml"
DOCKERFILE = ROOT / "Dockerfile"
# The installed console script, as an operator (and the image) runs it.
S2CART = [str(Path(sys.executable).with_name("s2cart"))]


def s2cart(*args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("S2CART_")}
    return subprocess.run([*S2CART, *args], capture_output=True, text=True, timeout=60, env=env, check=False)


def compose() -> dict[str, Any]:
    document = yaml.safe_load(COMPOSE.read_text())
    assert isinstance(document, dict)
    return document


def test_compose_runs_the_whole_stack_with_migrations_first() -> None:
    services = compose()["services"]
    assert set(services) == {"postgres", "redis", "migrate", "api", "reconciler", "simulator", "mailpit"}
    assert services["migrate"]["command"] == ["s2cart", "db", "upgrade"]
    assert services["migrate"]["depends_on"]["postgres"]["condition"] == "service_healthy"
    for name in ("api", "reconciler"):
        assert services[name]["depends_on"]["migrate"]["condition"] == "service_completed_successfully", name
    assert services["api"]["command"][:2] == ["s2cart", "serve"]
    assert services["reconciler"]["command"][:3] == ["s2cart", "payments", "reconcile"]
    assert services["simulator"]["command"][:3] == ["s2cart", "gateways", "simulate"]
    # The simulator is for development only; everything else starts with a plain `docker compose up`.
    assert services["simulator"]["profiles"] == ["development"]
    assert all("profiles" not in spec for name, spec in services.items() if name != "simulator")
    environment = services["api"]["environment"]
    assert environment["S2CART_SMTP_HOST"].endswith(":-mailpit}")
    assert "@postgres:5432/" in environment["S2CART_DATABASE_URL"]
    assert environment["S2CART_REDIS_URL"].startswith("redis://redis:6379/")


@pytest.mark.parametrize("service", ["migrate", "api", "reconciler", "simulator"])
def test_every_s2cart_command_in_compose_exists(service: str) -> None:
    command = compose()["services"][service]["command"]
    assert command[0] == "s2cart"
    answer = s2cart(*command[1:], "--help")
    assert answer.returncode == 0, answer.stderr


def test_the_simulator_env_file_is_what_gateways_env_prints() -> None:
    printed = s2cart("gateways", "env", "--url", "http://simulator:9100")
    assert printed.returncode == 0, printed.stderr
    expected = {}
    for line in printed.stdout.splitlines():
        key, _, value = line.removeprefix("export ").partition("=")
        expected[key] = value.strip("'")
    lines = (ROOT / "deploy/docker/simulator.env").read_text().splitlines()
    actual = dict(line.split("=", 1) for line in lines if line and not line.startswith("#"))
    assert actual == expected


def test_the_dockerfile_runs_s2cart_serve_as_a_user_with_a_liveness_check() -> None:
    text = DOCKERFILE.read_text()
    assert re.search(r"^ARG BASE_IMAGE=debian:bookworm-slim$", text, re.M)
    stages = re.findall(r"^FROM (\S+) AS (\w+)$", text, re.M)
    assert [name for _, name in stages] == ["python", "build", "runtime"]
    runtime = text.split("AS runtime", 1)[1]
    assert "COPY --from=build /opt/s2cart /opt/s2cart" in runtime
    users = re.findall(r"^USER (\S+)$", runtime, re.M)
    assert users and users[-1] not in {"root", "0"}
    assert re.search(r'^CMD \["s2cart", "serve", "--host", "0.0.0.0"', runtime, re.M)
    assert "HEALTHCHECK_URL=http://127.0.0.1:8000/api/auth/live/" in runtime
    assert "HEALTHCHECK_URL" in runtime.split("HEALTHCHECK --", 1)[1]
    # What the build copies gets past .dockerignore.
    ignore = (ROOT / ".dockerignore").read_text().splitlines()
    for source in re.findall(r"^COPY (?!--from)(.+) \S+$", text, re.M):
        for path in source.split():
            assert f"!{path}" in ignore, path


async def test_the_healthcheck_route_answers(client: Any) -> None:
    response = await client.get("/api/auth/live/")
    assert response.status_code == 200


def test_docker_compose_accepts_the_file(tmp_path: Path) -> None:
    plugin = ["docker", "compose"]
    if shutil.which("docker-compose"):
        command = ["docker-compose"]
    elif shutil.which("docker") and subprocess.run([*plugin, "version"], capture_output=True).returncode == 0:
        command = plugin
    elif os.environ.get("CI"):
        pytest.fail("docker-compose is not installed: CI must validate compose.yaml (.ci/run installs it)")
    else:
        pytest.skip("docker-compose is not installed (apt-get install docker-compose); CI runs this check")
    env = {"PATH": os.environ["PATH"], "S2CART_JWT_SECRET": "x" * 48}
    for profile in ([], ["--profile", "development"]):
        answer = subprocess.run(
            [*command, "--project-directory", str(ROOT), "-f", str(COMPOSE), *profile, "config"],
            capture_output=True,
            text=True,
            timeout=120,
            env=env,
            cwd=tmp_path,
            check=False,
        )
        assert answer.returncode == 0, answer.stderr
        resolved = yaml.safe_load(answer.stdout)
        assert resolved["services"]["api"]["environment"]["S2CART_PAYTM_BASE_URL"] == "http://simulator:9100"
    # Without the secret Compose refuses to start anything, naming the variable.
    refused = subprocess.run(
        [*command, "--project-directory", str(ROOT), "-f", str(COMPOSE), "config"],
        capture_output=True,
        text=True,
        timeout=120,
        env={"PATH": os.environ["PATH"]},
        cwd=tmp_path,
        check=False,
    )
    assert refused.returncode != 0
    assert "S2CART_JWT_SECRET" in refused.stderr
