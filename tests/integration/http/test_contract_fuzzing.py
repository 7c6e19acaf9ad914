"""Contract fuzzing: schemathesis generates requests for every operation of the app's own OpenAPI document and
checks every answer against it, signed in as a real verified customer, on SQLite.

`make test` runs S2CART_FUZZ_EXAMPLES (default 25) examples per operation with a fixed seed; `make fuzz` runs more.
The app is served by `s2cart serve` (uvicorn) on an ephemeral port, in a process of its own: Litestar's test
client serves one request at a time, schemathesis speaks plain HTTP, and the 2 s limit must not count the
generator's own CPU time.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

from s2cart.entrypoints.container import build_container, close_resources
from s2cart.entrypoints.http.app import create_app
from tests.integration.conftest import make_settings
from tests.integration.http.accounts import PASSWORD
from tests.integration.http.catalog import load_demo_catalog
from tests.integration.mailbox import Mailbox, free_port

EXAMPLES = int(os.environ.get("S2CART_FUZZ_EXAMPLES", "25"))
MAX_SECONDS = 2.0
ENVELOPE_KEYS = {"status", "code", "message", "errors", "timestamp", "error_code"}


def within_two_seconds(ctx: Any, response: Any, case: Any) -> None:
    assert response.elapsed <= MAX_SECONDS, f"{case.operation.label} took {response.elapsed:.2f}s"


def errors_in_the_envelope(ctx: Any, response: Any, case: Any) -> None:
    if response.status_code < 400:
        return
    body = response.json()
    assert isinstance(body, dict) and set(body) >= ENVELOPE_KEYS, f"{case.operation.label}: {body}"
    assert body["status"] == "error" and body["code"] == response.status_code, body


CHECKS = [
    not_a_server_error,
    status_code_conformance,
    response_schema_conformance,
    within_two_seconds,
    errors_in_the_envelope,
]


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path, smtp_server: Mailbox) -> Iterator[str]:
    """`s2cart serve` in a process of its own (its timings are not the generator's), on a copy of the migrated
    SQLite database with the demo catalog."""
    root = tmp_path_factory.mktemp("fuzz")
    database = root / "s2cart.db"
    shutil.copyfile(sqlite_template, database)
    app_settings = make_settings(f"sqlite+aiosqlite:///{database}", smtp_host="127.0.0.1", smtp_port=smtp_server.port)

    async def load() -> None:
        loader = build_container(app_settings)
        await load_demo_catalog(loader)
        await close_resources(loader)

    asyncio.run(load())
    environment = {
        **os.environ,
        "S2CART_ENV": "test",
        "S2CART_DATABASE_URL": app_settings.database_url,
        "S2CART_PUBLIC_BASE_URL": app_settings.public_base_url,
        "S2CART_RATE_LIMIT_ENABLED": "false",
        "S2CART_ARGON2_TIME_COST": str(app_settings.argon2_time_cost),
        "S2CART_ARGON2_MEMORY_KIB": str(app_settings.argon2_memory_kib),
        "S2CART_OUTBOX_INTERVAL_SECONDS": "0",
        "S2CART_SMTP_HOST": "127.0.0.1",
        "S2CART_SMTP_PORT": str(smtp_server.port),
    }
    port = free_port()
    command = [sys.executable, "-m", "s2cart.entrypoints.cli", "serve", "--port", str(port), "--workers", "1"]
    with (root / "server.log").open("wb") as log:
        server = subprocess.Popen(command, env=environment, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            assert server.poll() is None, (root / "server.log").read_text()
            try:
                if httpx.get(f"{base}/api/auth/health/", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "s2cart serve did not come up"
            time.sleep(0.1)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)


@pytest.fixture(scope="module")
def customer(served: str, smtp_server: Mailbox) -> dict[str, str]:
    """Credentials of a real, verified customer with an address and a cart."""
    identity = {"username": "fuzzer", "email": "fuzzer@example.com", "password": PASSWORD}
    with httpx.Client(base_url=served) as client:
        created = client.post("/api/auth/register/", json=identity)
        assert created.status_code == 201, created.text
        otp = smtp_server.last_to(identity["email"]).otp
        verified = client.post("/api/auth/verify/otp/", json={"email": identity["email"], "otp": otp})
        assert verified.status_code == 200, verified.text
    return identity


@pytest.fixture
def auth(served: str, customer: dict[str, str]) -> dict[str, str]:
    """A fresh session per operation, so a fuzzed logout cannot leave the next operation anonymous."""
    with httpx.Client(base_url=served) as client:
        response = client.post("/api/auth/jwt/", json={"email": customer["email"], "password": customer["password"]})
        assert response.status_code == 200, response.text
        return {"Authorization": f"Bearer {response.json()['data']['access']}"}


def _document() -> dict[str, Any]:
    """The app's OpenAPI document, built at collection time (schemathesis's lazy fixture loader does not run
    on pytest 9.2); test_the_served_document_is_the_one_fuzzed checks it is what /api/docs/openapi.json serves."""
    app = create_app(make_settings("sqlite+aiosqlite:///:memory:"))
    return dict(app.openapi_schema.to_schema())


DOCUMENT = _document()
schema = schemathesis.openapi.from_dict(DOCUMENT)


def test_the_served_document_is_the_one_fuzzed(served: str) -> None:
    served_document = httpx.get(f"{served}/api/docs/openapi.json").json()
    assert served_document == DOCUMENT
    assert len([op for path in DOCUMENT["paths"].values() for op in path]) >= 40


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_keeps_its_contract(case: Any, served: str, auth: dict[str, str]) -> None:
    case.call_and_validate(base_url=served, headers=auth, checks=CHECKS, timeout=10)
