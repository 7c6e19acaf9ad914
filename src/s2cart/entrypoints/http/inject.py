"""Handlers ask the container for what they need by its type: ``place_order: Inject[PlaceOrder]``.

Litestar keys dependencies by parameter name, so at app build ``bind`` walks every handler's signature,
finds each ``Inject[T]`` parameter, looks ``T`` up among the container's providers (indexed by the class
each provides) and registers a ``Provide`` under that parameter's name, on a router around that handler's
controller only. Nothing lists provider names; a type the container does not provide, or one parameter name
meaning two types within one controller, stops the app at startup (ImproperlyConfiguredException).

Each ``Provide`` calls the container's provider per request, so ``container.x.override(...)`` reaches the
handlers. Values that belong to the request (principal, client_ip, page_request) stay Litestar's own
named dependencies, provided app-wide in app.py.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable, Mapping
from typing import Annotated, Any, TypeAlias, TypeVar, get_args, get_origin, get_type_hints

from dependency_injector import containers, providers
from litestar import Controller, Litestar, Router
from litestar.di import Dependency as _NamedMarker
from litestar.di import Provide
from litestar.exceptions import ImproperlyConfiguredException
from litestar.handlers import BaseRouteHandler
from litestar.routes import HTTPRoute


class _ByType:
    """Marks an ``Inject[T]`` parameter: provided by the container's provider of ``T``."""

    def __repr__(self) -> str:
        return "Inject"


BY_TYPE = _ByType()
T = TypeVar("T")
# A named dependency for Litestar (so it never mistakes it for a query parameter), by type for bind().
Inject: TypeAlias = Annotated[T, _NamedMarker(kind="named"), BY_TYPE]


def providers_by_type(container: containers.Container) -> dict[type, str]:
    """Every class the container's Factory and Singleton providers build -> the provider's name.

    Read from the container's class, before build_container wraps use cases for conflict retries, so a
    handler names the plain use case; a class provided twice is left out (asking for it fails at startup).
    """
    found: dict[type, str] = {}
    doubled: set[type] = set()
    declared = getattr(container, "declarative_parent", None) or type(container)  # an instance's class
    for name, provider in declared.cls_providers.items():
        provides = provider.provides if isinstance(provider, (providers.Factory, providers.Singleton)) else None
        if not isinstance(provides, type) or name.startswith("_"):
            continue
        if provides in found and found[provides] != name:
            doubled.add(provides)
        found.setdefault(provides, name)
    return {cls: name for cls, name in found.items() if cls not in doubled}


def injected(fn: Callable[..., Any]) -> dict[str, Any]:
    """The ``Inject[T]`` parameters of a handler function: parameter name -> ``T``."""
    hints = get_type_hints(inspect.unwrap(fn), include_extras=True)
    return {
        name: get_args(hint)[0]
        for name, hint in hints.items()
        if get_origin(hint) is Annotated and any(meta is BY_TYPE for meta in hint.__metadata__)
    }


def _handlers_of(item: Any) -> Iterable[BaseRouteHandler]:
    if isinstance(item, BaseRouteHandler):
        return [item]
    if isinstance(item, type) and issubclass(item, Controller):
        base = set(dir(Controller))
        return [h for n in dir(item) if n not in base and isinstance(h := getattr(item, n), BaseRouteHandler)]
    raise ImproperlyConfiguredException(f"bind() takes route handlers and controllers, not {item!r}")


def _resolver(provider: Any) -> Callable[[], Any]:
    def resolve() -> Any:
        return provider()

    return resolve


def _needs(item: Any, index: Mapping[type, str]) -> dict[str, str]:
    """Parameter name -> provider name for every Inject[T] under ``item``; refuses what cannot be provided."""
    needs: dict[str, tuple[type, str]] = {}
    for handler in _handlers_of(item):
        for param, wanted in injected(handler.fn).items():
            where = f"{handler.fn.__qualname__}({param}: Inject[{getattr(wanted, '__name__', wanted)}])"
            name = index.get(wanted)
            if name is None:
                raise ImproperlyConfiguredException(f"{where}: the container provides no {wanted!r}")
            if needs.setdefault(param, (wanted, name))[0] is not wanted:
                raise ImproperlyConfiguredException(f"{where}: {param!r} names another type in the same controller")
    return {param: name for param, (_, name) in needs.items()}


def bind(route_handlers: Iterable[Any], container: containers.Container) -> list[Any]:
    """The route handlers and controllers, each one that injects wrapped in a router providing its needs."""
    index = providers_by_type(container)
    bound: list[Any] = []
    for item in route_handlers:
        needs = _needs(item, index)
        if not needs:
            bound.append(item)
            continue
        dependencies = {
            param: Provide(_resolver(getattr(container, name)), sync_to_thread=False) for param, name in needs.items()
        }
        bound.append(Router(path="/", route_handlers=[item], dependencies=dependencies))
    return bound


# The request's own values come first, the principal before anything else: a bad credential beside a bad query
# parameter is the 401 whichever dependency is listed first in the handler.
_FIRST = ("principal", "any_principal")


def resolve_one_at_a_time(app: Litestar) -> None:
    """Each route's dependencies resolved one after another instead of Litestar's concurrent batches.

    Litestar resolves the dependencies that do not depend on each other together, in an anyio task group: a
    task group and a task for each, on every request (``GET /carts/``: the principal and ``list_carts``), ~0.1 ms
    of CPU a request (decision 0051). S2Cart's providers are the container's (synchronous) and the principal,
    whose one await is the session check the rate limiter has normally done already: there is nothing to
    overlap. A batch's members never depend on each other, so any order inside it is correct; the order is
    fixed (``_FIRST``, then by name) so which error a request with two faults gets does not vary by process."""
    for route in app.routes:
        if not isinstance(route, HTTPRoute):
            continue
        for _, model in route.route_handler_map.values():
            model.dependency_batches = [
                {dependency}
                for batch in model.dependency_batches
                for dependency in sorted(batch, key=lambda d: (d.key not in _FIRST, d.key))
            ]
