"""An app that nothing refers to any more is freed, with everything it built: a module-level cache keyed by its
route handlers once kept every app alive (each handler holds its router, the router its app)."""

from __future__ import annotations

import gc
import weakref

from litestar.testing import AsyncTestClient

from s2cart.entrypoints.container import build_container
from s2cart.entrypoints.http.app import create_app
from s2cart.entrypoints.settings import Settings


async def _served_a_body(settings: Settings) -> list[weakref.ref[object]]:
    """Weak references to the app's route handlers (the app itself takes none): its own copies, which the
    request class's lookups are keyed by."""
    app = create_app(container=build_container(settings))
    async with AsyncTestClient(app=app, base_url="http://testserver.local") as client:
        # A JSON body read for a signed-in route and for an open one: both of the request class's lookups run.
        refused = await client.post("/api/auth/addresses/", json={"city": "Pune"})
        invalid = await client.post("/api/auth/register/", json={"email": 5})
    assert (refused.status_code, invalid.status_code) == (401, 400)
    handlers = [handler for route in app.routes for handler in route.route_handlers]
    # Litestar's own OPTIONS handlers take no weak reference (nor have a body to read): the routes' do.
    return [weakref.ref(handler) for handler in handlers if hasattr(handler, "__weakref__")]


async def test_an_app_that_served_bodies_is_freed_once_dropped(settings: Settings) -> None:
    handlers = await _served_a_body(settings)
    gc.collect()
    alive = [handler() for handler in handlers if handler() is not None]
    assert len(handlers) > 50 and not alive, alive[:3]
