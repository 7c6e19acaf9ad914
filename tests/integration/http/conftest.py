from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
import redis
from litestar import Litestar

from s2cart.entrypoints.container import Container
from s2cart.entrypoints.http.app import create_app
from tests.integration.http.probe_routes import PROBE_ROUTES


@pytest.fixture
def app(container: Container) -> Litestar:
    return create_app(container=container, extra_route_handlers=PROBE_ROUTES)


REDIS_ENV = "S2CART_TEST_REDIS_URL"


@pytest.fixture
def redis_url() -> Iterator[str]:
    """The machine's Redis, emptied before and after; CI must have it, elsewhere the test is skipped."""
    url = os.environ.get(REDIS_ENV)
    if not url:
        if os.environ.get("CI"):
            pytest.fail(f"{REDIS_ENV} is not set: CI must cover Redis")
        pytest.skip(f"Redis not configured ({REDIS_ENV})")
    client = redis.Redis.from_url(url)
    client.flushdb()
    yield url
    client.flushdb()
    client.close()
