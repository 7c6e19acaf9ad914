"""What a worker imports at start-up: peak RSS per worker is a target (issue 20), so tools it never runs stay out."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

PROBE = """
import sys
import s2cart.entrypoints.http.app
from s2cart.entrypoints.container import build_container
from s2cart.entrypoints.settings import Settings
loaded = sorted(m for m in ("httpx", "rich", "click", "pygments", "fpdf") if sys.modules.get(m) is not None)
container = build_container(Settings(database_url="sqlite+aiosqlite:///:memory:", paytm_base_url="http://127.0.0.1:9"))
container.paytm_http()  # the first gateway client
cli = sys.modules.get("httpx._main")
print(",".join(loaded) or "-", "httpx" in sys.modules, cli is not None)
"""


def test_the_app_loads_httpx_with_the_first_gateway_client_and_without_its_command_line_client() -> None:
    # httpx (5.5 MiB a worker with httpcore, h11, idna and certifi) loads with the first gateway client (decision
    # 0053); when it does, without its CLI: httpx imports click, rich and pygments for it whenever they are
    # installed (Litestar installs them), ~4 MiB more; adapters/payments/__init__.py keeps that import out.
    # fpdf2 loads with the first PDF.
    out = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["-", "True", "False"], out


WORKER_PROBE = """
import sys
from s2cart.entrypoints.worker import app_from_env
app = app_from_env()
import jwt.algorithms
container = app.state.container
tokens = container.tokens()
from datetime import UTC, datetime
issued = tokens.issue(7, "s", "access", datetime.now(UTC))
assert tokens.decode(issued.token, "access").user_id == 7  # HS256 with PyJWT's HMAC alone
heavy = sorted(m for m in ("cryptography.hazmat", "cryptography.x509", "httpx") if m in sys.modules)
box = container.secret_box()
opened = box.open(box.seal({"otp": "123456"}))
print(",".join(heavy) or "-", jwt.algorithms.has_crypto, "cryptography.hazmat" in sys.modules, opened["otp"])
"""


def test_a_hs256_worker_builds_its_app_without_cryptography_until_it_seals(tmp_path: Path) -> None:
    # decision 0053: PyJWT imports cryptography for RSA, EC and EdDSA whenever it is installed, ~9 MiB of a worker;
    # under HS256 the worker's factory imports PyJWT without it, key derivation is hashlib's, and AES-GCM loads on
    # the first sealed payload.
    env = {k: v for k, v in os.environ.items() if not k.startswith("S2CART_")}
    env["S2CART_DATABASE_URL"] = f"sqlite+aiosqlite:///{tmp_path / 'worker.db'}"
    out = subprocess.run(
        [sys.executable, "-c", WORKER_PROBE], capture_output=True, text=True, check=True, env=env
    ).stdout.split()
    assert out == ["-", "False", "True", "123456"], out


def test_pyjwt_is_left_alone_when_it_or_cryptography_is_imported_already() -> None:
    import jwt  # noqa: F401

    from s2cart.entrypoints.worker import import_pyjwt_without_cryptography

    assert import_pyjwt_without_cryptography() is False
    assert "cryptography.hazmat" not in sys.modules or sys.modules["cryptography.hazmat"] is not None


LIMITS_PROBE = """
import asyncio, sys
import s2cart.entrypoints.http.app
from s2cart.adapters.ratelimit.memory import MemoryRateLimiter
from s2cart.application.ports.ratelimit import Limit, LimitCheck
limiter = MemoryRateLimiter()
before = "limits" in sys.modules
checks = [LimitCheck(Limit(2, 60, "ip"), "k")]
allowed = [asyncio.run(limiter.hit(checks)).allowed for _ in range(3)]
print(before, "limits" in sys.modules, allowed)
"""


def test_the_in_memory_rate_limiter_loads_its_library_on_its_first_count() -> None:
    # decision 0049: beside Redis the memory limiter is only the outage fallback; `limits` (with deprecated, wrapt
    # and packaging) stays out of a worker until a count needs it, and then counts as before.
    out = subprocess.run([sys.executable, "-c", LIMITS_PROBE], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False True [True, True, False]", out
