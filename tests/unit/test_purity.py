"""Unit tests must stand on the standard library, the domain and the application alone."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

UNIT = Path(__file__).parent
ROOT = UNIT.parent.parent
FORBIDDEN = (
    "sqlalchemy",
    "litestar",
    "msgspec",
    "psycopg",
    "aiosqlite",
    "alembic",
    "dependency_injector",
    "jwt",
    "argon2",
    "limits",
    "httpx",
    "redis",
    "s2cart.adapters",
    "s2cart.entrypoints",
)


def test_unit_tests_import_no_framework_and_no_outer_layer() -> None:
    modules = sorted(
        ".".join(path.relative_to(ROOT).with_suffix("").parts)
        for path in UNIT.rglob("test_*.py")
        if path.name != "test_purity.py"
    )
    assert modules, "no unit test modules found"
    script = (
        "import importlib, sys\n"
        f"for m in {modules!r}: importlib.import_module(m)\n"
        f"bad = sorted(n for n in sys.modules if n.split('.')[0] in {FORBIDDEN!r} or "
        f"any(n == f or n.startswith(f + '.') for f in {FORBIDDEN!r}))\n"
        "print('\\n'.join(bad))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True, timeout=120
    )
    assert result.stdout.strip() == "", f"unit tests pulled in: {result.stdout}"
