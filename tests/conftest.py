from __future__ import annotations

import gc
import os

import pytest
from hypothesis import HealthCheck, settings

# A developer's ./.env must not reach the suite: the s2cart processes the tests start inherit this.
os.environ["S2CART_DOTENV"] = "off"

settings.register_profile("default", deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
settings.register_profile("ci", parent=settings.get_profile("default"), derandomize=True)
# CI runs derandomized: a failure there is reproducible, and a green run is not luck.
settings.load_profile("ci" if os.environ.get("CI") else "default")


# The garbage collector's pauses stop every thread of a test process, the gateway simulators' included, and the
# payment tests give a gateway 1 s to answer (ADAPTER_TIMEOUT). A full collection walks every object it tracks:
# ~800,000 late in a run (pytest's ~2,600 items, the libraries, SQLAlchemy's bounded per-dialect caches), about
# a second, and it came every few seconds.
# So what is alive between tests is frozen (``gc.freeze()``: out of the collector's walks) once the tests are
# collected and again every FREEZE_EVERY tests, after a full collection that runs between two tests. Unfreezing
# first lets that collection free what was frozen and has died since (nothing leaks for being frozen).
FREEZE_EVERY = 100
_finished = 0


def _collect_and_freeze() -> None:
    gc.unfreeze()
    gc.collect()
    gc.freeze()


def pytest_collection_finish(session: pytest.Session) -> None:
    _collect_and_freeze()


def pytest_runtest_logfinish(nodeid: str, location: tuple[str, int | None, str]) -> None:
    global _finished
    _finished += 1
    if _finished % FREEZE_EVERY == 0:
        _collect_and_freeze()
