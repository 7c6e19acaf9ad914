"""Clients generated from the OpenAPI document build: a TypeScript client (openapi-typescript) that `tsc --noEmit
--strict` accepts, used by a small program, and a Python client (openapi-python-client) that imports, with the
operations and models named as the document names them.

The npm tools are pinned in tests/clients/package-lock.json and installed by `make clients` (`npm ci`), which
`make test` runs first. Without npm the TypeScript check is skipped, except under CI, where it fails."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from s2cart.entrypoints.http.app import create_app
from tests.integration.conftest import make_settings

TOOLS = Path(__file__).parents[2] / "clients" / "node_modules" / ".bin"

USAGE_TS = """\
import type { components, operations, paths } from "./schema";

type Order = components["schemas"]["Order"];
type PlaceOrder = operations["placeOrder"];
type PlaceOrderBody = PlaceOrder["requestBody"] extends { content: { "application/json": infer B } } ? B : never;
type Created = paths["/api/auth/orders"]["post"]["responses"][201]["content"]["application/json"];

export const total = (order: Order): number => order.total_amount;
export const body: PlaceOrderBody = { cart_id: 1, shipping_address_id: 1, delivery_instructions: "" };
export const firstLine = (answer: Created): string | undefined => answer.data.items[0]?.product_name;
export const failed = (error: components["schemas"]["ErrorBody"]): "error" => error.status;
"""

USAGE_PY = """\
from s2cart_client import AuthenticatedClient
from s2cart_client.api.orders import place_order
from s2cart_client.api.payments import initiate_payment
from s2cart_client.models import AddressPage, ErrorBody, Order, OrderResponse, PlaceOrderIn

assert callable(place_order.sync_detailed) and callable(initiate_payment.sync)
assert PlaceOrderIn(cart_id=1, shipping_address_id=2).to_dict()["cart_id"] == 1
print(AuthenticatedClient, AddressPage, ErrorBody, Order, OrderResponse)
"""


@pytest.fixture(scope="module")
def document(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("openapi") / "openapi.json"
    app = create_app(make_settings("sqlite+aiosqlite:///:memory:"))
    path.write_text(json.dumps(app.openapi_schema.to_schema()))
    return path


def _run(*command: str | Path, cwd: Path, env: dict[str, str] | None = None) -> None:
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=300, env=env)
    assert result.returncode == 0, f"{command}:\n{result.stdout}\n{result.stderr}"


def test_a_typescript_client_type_checks(document: Path, tmp_path: Path) -> None:
    if not (TOOLS / "tsc").exists():
        message = f"{TOOLS} has no tsc/openapi-typescript: run `make clients` (npm ci in tests/clients)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    _run(TOOLS / "openapi-typescript", document, "-o", tmp_path / "schema.d.ts", cwd=tmp_path)
    (tmp_path / "client.ts").write_text(USAGE_TS)
    _run(TOOLS / "tsc", "--noEmit", "--strict", "client.ts", "schema.d.ts", cwd=tmp_path)


def test_a_python_client_imports(document: Path, tmp_path: Path) -> None:
    generator = Path(sys.executable).with_name("openapi-python-client")
    assert generator.exists(), "openapi-python-client comes with the dev extras (pip install -e '.[dev]')"
    # Its post-generation hook runs ruff, which lives beside it in the virtualenv.
    env = {**os.environ, "PATH": f"{generator.parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    _run(
        generator,
        "generate",
        "--path",
        document,
        "--output-path",
        tmp_path / "s2cart_client",
        "--meta",
        "none",
        cwd=tmp_path,
        env=env,
    )
    (tmp_path / "usage.py").write_text(USAGE_PY)
    _run(sys.executable, "usage.py", cwd=tmp_path)
