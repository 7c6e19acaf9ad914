from __future__ import annotations

import pytest
from litestar import Litestar

from s2cart.entrypoints.container import Container
from s2cart.entrypoints.http.app import create_app
from tests.integration.http.probe_routes import PROBE_ROUTES


@pytest.fixture
def app(container: Container) -> Litestar:
    return create_app(container=container, extra_route_handlers=PROBE_ROUTES)
