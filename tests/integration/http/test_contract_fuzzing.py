"""Contract fuzzing: schemathesis generates requests for every operation of the app's own OpenAPI document and
checks every answer against it, signed in as a real verified customer, on SQLite and on PostgreSQL (PostgreSQL
refuses what SQLite stores, e.g. NUL in text: a fuzzer on SQLite alone never saw those 500s).

Two runs per backend: every operation on its own, and a stateful run that chains operations through the links
schemathesis infers from the document (a cart's id into its lines, an order's id into its payment, an address's
id into set-default), so generated requests reach real objects instead of 404s.

`make test` runs S2CART_FUZZ_EXAMPLES (default 25) examples per operation and S2CART_FUZZ_SCENARIOS (default 15)
stateful scenarios, with a fixed seed; `make fuzz` runs more.
The app is served by `s2cart serve` (uvicorn) on an ephemeral port, in a process of its own: Litestar's test
client serves one request at a time, schemathesis speaks plain HTTP, and the hang limit must not count the
generator's own CPU time.
"""

from __future__ import annotations

import asyncio
import copy
import itertools
import os
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance
from sqlalchemy.engine import make_url

from s2cart.adapters.persistence import migrator
from s2cart.entrypoints.container import build_container, close_resources
from s2cart.entrypoints.http.app import create_app
from tests.integration.conftest import BACKENDS, PG_ENV, make_settings
from tests.integration.http.accounts import PASSWORD
from tests.integration.http.catalog import load_demo_catalog
from tests.integration.mailbox import Mailbox, free_port

EXAMPLES = int(os.environ.get("S2CART_FUZZ_EXAMPLES", "25"))
# The stateful run is derandomized: its draws are fixed by the document's operations and links. With the two
# invoice routes (and their ~20 inferred links) 15 and 20 scenarios reached no link at all; 30 do on both backends.
SCENARIOS = int(os.environ.get("S2CART_FUZZ_SCENARIOS", "30"))
# A hang detector, not a speed target (those are make bench's): a request stuck on a lock or a lost
# await fails here, while a 2-core machine busy with other work (3 s for a 400 was seen) does not.
MAX_SECONDS = 15.0
ENVELOPE_KEYS = {"status", "code", "message", "errors", "timestamp", "error_code"}


def within_the_hang_limit(ctx: Any, response: Any, case: Any) -> None:
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
    within_the_hang_limit,
    errors_in_the_envelope,
]


@pytest.fixture(scope="module", params=BACKENDS)
def fuzz_database_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path
) -> Iterator[str]:
    """A database of the fuzz run's own: a copy of the migrated SQLite template, or a fresh PostgreSQL database
    (the suite's shared one is emptied by other tests while this module's server holds it)."""
    if request.param == "sqlite":
        database = tmp_path_factory.mktemp("fuzz-sqlite") / "s2cart.db"
        shutil.copyfile(sqlite_template, database)
        yield f"sqlite+aiosqlite:///{database}"
        return
    server_url = os.environ.get(PG_ENV)
    if not server_url:
        if os.environ.get("CI"):
            pytest.fail(f"{PG_ENV} is not set: CI must cover PostgreSQL")
        pytest.skip(f"PostgreSQL not configured ({PG_ENV})")
    admin = make_url(server_url).set(drivername="postgresql").render_as_string(hide_password=False)
    name = f"s2cart_fuzz_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(admin, autocommit=True, connect_timeout=5) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = make_url(server_url).set(database=name).render_as_string(hide_password=False)
    try:
        migrator.upgrade(url)
        yield url
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory, fuzz_database_url: str, smtp_server: Mailbox) -> Iterator[str]:
    """`s2cart serve` in a process of its own (its timings are not the generator's), on the fuzz run's database
    with the demo catalog."""
    root = tmp_path_factory.mktemp("fuzz")
    app_settings = make_settings(fuzz_database_url, smtp_host="127.0.0.1", smtp_port=smtp_server.port)

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


def new_customer(served: str, mailbox: Mailbox, name: str) -> dict[str, str]:
    """Credentials of a real, verified customer."""
    identity = {"username": name, "email": f"{name}@example.com", "password": PASSWORD}
    with httpx.Client(base_url=served) as client:
        created = client.post("/api/auth/register/", json=identity)
        assert created.status_code == 201, created.text
        otp = mailbox.last_to(identity["email"]).otp
        verified = client.post("/api/auth/verify/otp/", json={"email": identity["email"], "otp": otp})
        assert verified.status_code == 200, verified.text
    return identity


@pytest.fixture(scope="module")
def customer(served: str, smtp_server: Mailbox) -> dict[str, str]:
    return new_customer(served, smtp_server, "fuzzer")


def sign_in(served: str, customer: dict[str, str]) -> dict[str, str]:
    with httpx.Client(base_url=served) as client:
        response = client.post("/api/auth/jwt/", json={"email": customer["email"], "password": customer["password"]})
        assert response.status_code == 200, response.text
        return {"Authorization": f"Bearer {response.json()['data']['access']}"}


@pytest.fixture
def auth(served: str, customer: dict[str, str]) -> dict[str, str]:
    """A fresh session per operation, so a fuzzed logout cannot leave the next operation anonymous."""
    return sign_in(served, customer)


def _document() -> dict[str, Any]:
    """The app's OpenAPI document, built at collection time (schemathesis's lazy fixture loader does not run
    on pytest 9.2); test_the_served_document_is_the_one_fuzzed checks it is what /api/docs/openapi.json serves."""
    app = create_app(make_settings("sqlite+aiosqlite:///:memory:"))
    return dict(app.openapi_schema.to_schema())


DOCUMENT = _document()
# A copy: the stateful run writes the links it infers into the document it was given.
schema = schemathesis.openapi.from_dict(copy.deepcopy(DOCUMENT))


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


SEED = [
    ("/api/auth/cart/items/", {"store_id": "store_123", "product_id": "prod_001", "quantity": 1}),
    (
        "/api/auth/addresses/",
        {
            "contact_name": "Asha Rao",
            "street_address": "12 MG Road",
            "city": "Mumbai",
            "state": "Maharashtra",
            "pin_code": "400001",
            "phone_number": "+919876543210",
        },
    ),
    ("/api/auth/support/tickets/", {"subject": "Late", "description": "Where is my order?", "category": "delivery"}),
]


def test_the_links_chain_the_main_flows() -> None:
    """The stateful run is only as deep as the links schemathesis infers from the document: the flows that matter
    must be among them, so a change to the document that loses one fails here rather than silently."""
    names = {name for name in dir(schema.as_state_machine()) if "___" in name}
    for source, target in [
        ("POST_api_auth_cart_items___201", "PATCH_api_auth_cart_items_item_id_"),
        ("POST_api_auth_carts___201", "POST_api_auth_orders"),
        ("POST_api_auth_carts___200", "POST_api_auth_orders"),
        ("POST_api_auth_orders___201", "GET_api_auth_orders_order_id_"),
        ("POST_api_auth_orders___201", "POST_api_auth_payments_initiate"),
        ("POST_api_auth_addresses___201", "POST_api_auth_addresses_set_default_address_id_"),
        ("GET_api_auth_support_tickets___200", "POST_api_auth_support_tickets_ticket_id_messages"),
        ("GET_api_auth_jwt_sessions___200", "DELETE_api_auth_jwt_sessions_session_id_"),
    ]:
        assert any(name.startswith(source) and name.endswith(target) for name in names), (source, target)


def test_chained_operations_keep_their_contract(served: str, smtp_server: Mailbox) -> None:
    scenarios = itertools.count(1)
    linked: list[tuple[str, int]] = []  # (operation reached through a link, its status)

    class Workflow(schema.as_state_machine()):  # type: ignore[misc]
        headers: dict[str, str] = {}

        def step(self, input: Any) -> Any:
            output = super().step(input)
            if input.is_applied and input.transition is not None:
                linked.append((input.case.operation.label, output.response.status_code))
            return output

        def setup(self) -> None:
            # A new customer per scenario: each starts from the same state, so the same choices draw the same
            # requests, as Hypothesis requires; and a fuzzed logout ends only its own scenario's session. It owns a
            # cart line, an address and a ticket, so a list it reads hands real ids to the operations linked to it.
            self.headers = sign_in(served, new_customer(served, smtp_server, f"flow{next(scenarios)}"))
            with httpx.Client(base_url=served, headers=self.headers) as client:
                for url, body in SEED:
                    response = client.post(url, json=body)
                    assert response.status_code == 201, response.text

        def get_call_kwargs(self, case: Any) -> dict[str, Any]:
            return {"base_url": served, "headers": self.headers, "timeout": 10}

        def validate_response(self, response: Any, case: Any, additional_checks: Any = None, **kwargs: Any) -> None:
            case.validate_response(response, checks=CHECKS, transport_kwargs=kwargs)

    Workflow.run(
        settings=settings(
            max_examples=SCENARIOS,
            stateful_step_count=8,
            derandomize=True,
            # No shrinking: a replay against a server whose data has moved on draws differently, and Hypothesis
            # would report that (FlakyStrategyDefinition) instead of the failure itself.
            phases=[Phase.explicit, Phase.generate],
            database=None,
            deadline=None,
            suppress_health_check=list(HealthCheck),
        )
    )
    # The run went through links to real objects, not only through random ids (which would all be 404s).
    # (Which ones varies with what the server answered earlier in the run: at least one, typically two to four.)
    assert any(status < 400 for _, status in linked), sorted(set(linked))
