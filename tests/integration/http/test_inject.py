"""Handlers ask for what they need by type (Inject[T]); what the container cannot provide stops the app at
startup, not at the first request."""

from __future__ import annotations

import pytest
from litestar import Controller, get
from litestar.exceptions import ImproperlyConfiguredException

from s2cart.application.carts.create_cart import CreateCart
from s2cart.application.carts.queries import ListCarts
from s2cart.application.system.check_health import CheckHealth
from s2cart.entrypoints.container import Container
from s2cart.entrypoints.http.app import create_app
from s2cart.entrypoints.http.inject import Inject, bind, providers_by_type


class NotProvided:
    pass


@get("/probe/not-provided/")
async def wants_what_nobody_provides(thing: Inject[NotProvided]) -> None:
    return None


class TwoMeanings(Controller):
    @get("/probe/a/")
    async def a(self, use_case: Inject[ListCarts]) -> None:
        return None

    @get("/probe/b/")
    async def b(self, use_case: Inject[CheckHealth]) -> None:
        return None


def test_handlers_name_the_plain_use_case_though_the_container_builds_a_retrying_one(container: Container) -> None:
    index = providers_by_type(container)
    assert index[ListCarts] == "list_carts"
    assert type(container.create_cart()) is not CreateCart and isinstance(container.create_cart(), CreateCart)
    assert index[CreateCart] == "create_cart"


def test_a_type_the_container_does_not_provide_stops_the_app_at_startup(container: Container) -> None:
    with pytest.raises(ImproperlyConfiguredException, match="provides no"):
        create_app(container=container, extra_route_handlers=[wants_what_nobody_provides])


def test_one_name_for_two_types_in_one_controller_stops_the_app_at_startup(container: Container) -> None:
    with pytest.raises(ImproperlyConfiguredException, match="names another type"):
        bind([TwoMeanings], container)


def test_dependencies_are_resolved_one_at_a_time_the_principal_first(container: Container) -> None:
    """No route resolves two dependencies in a task group (decision 0051), and none lost one on the way."""
    from litestar.routes import HTTPRoute

    app = create_app(container=container)
    flattened = 0
    for route in app.routes:
        if not isinstance(route, HTTPRoute):
            continue
        for handler, model in route.route_handler_map.values():
            batches = model.dependency_batches
            assert all(len(batch) == 1 for batch in batches), handler
            keys = [next(iter(batch)).key for batch in batches]
            # What Litestar would have resolved (its own batches, built again): the same dependencies, in an
            # order that keeps every batch after the ones it depends on.
            litestar_batches = handler.create_kwargs_model(path_parameters=route.path_parameters).dependency_batches
            assert keys == [key for batch in litestar_batches for key in _in_order(batch)], handler
            if "principal" in keys and len(keys) > 1:
                flattened += 1
                assert keys[0] == "principal", (handler, keys)
    assert flattened > 10  # GET /carts/ and its neighbours: the principal beside a use case


def _in_order(batch: set[object]) -> list[str]:
    keys = sorted(d.key for d in batch)  # type: ignore[attr-defined]
    return [k for k in keys if k in ("principal", "any_principal")] + [
        k for k in keys if k not in ("principal", "any_principal")
    ]
