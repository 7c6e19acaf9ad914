"""What a worker imports at start-up: peak RSS per worker is a target (issue 20), so tools it never runs stay out."""

from __future__ import annotations

import subprocess
import sys

PROBE = """
import sys
import s2cart.entrypoints.http.app
loaded = sorted(m for m in ("httpx", "rich", "click", "pygments", "fpdf") if sys.modules.get(m) is not None)
cli = sys.modules.get("httpx._main")
print(",".join(loaded), cli is not None)
"""


def test_the_app_loads_httpx_without_its_command_line_client() -> None:
    # httpx imports click, rich and pygments for its CLI whenever they are installed (Litestar installs them):
    # ~4 MiB a worker. adapters/payments/__init__.py keeps that import out; fpdf2 loads with the first PDF.
    out = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["httpx", "False"], out


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
