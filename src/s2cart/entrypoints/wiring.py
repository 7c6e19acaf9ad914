"""Two small provider kinds for the container: use cases wired by argument name, and pools closed at shutdown."""

from __future__ import annotations

import inspect
import itertools
from typing import Any

from dependency_injector import containers, providers


class Wiring:
    """Builds a Factory from a class's constructor: each argument is the provider given for it by name.

    ``uses = Wiring(uow=uow_factory, clock=clock)`` then ``update_profile = uses(UpdateProfile)`` is
    ``providers.Factory(UpdateProfile, uow=uow_factory, clock=clock)``, with only the arguments the
    constructor takes. Arguments whose provider differs per use case are given as keywords. An argument with
    neither a provider nor a default stops the import (the container is built at startup).
    """

    def __init__(self, **shared: Any) -> None:
        self._shared = shared

    def plus(self, **more: Any) -> Wiring:
        return Wiring(**self._shared, **more)

    def __call__(self, cls: type, **special: Any) -> providers.Factory[Any]:
        parameters = inspect.signature(cls).parameters
        unknown = set(special) - set(parameters)
        if unknown:
            raise TypeError(f"{cls.__name__} takes no {', '.join(sorted(unknown))}")
        kwargs: dict[str, Any] = {}
        for name, parameter in parameters.items():
            if name in special:
                kwargs[name] = special[name]
            elif name in self._shared:
                kwargs[name] = self._shared[name]
            elif parameter.default is inspect.Parameter.empty and parameter.kind not in (
                inspect.Parameter.VAR_POSITIONAL,
                inspect.Parameter.VAR_KEYWORD,
            ):
                raise TypeError(f"{cls.__name__}({name}=...): no provider named {name!r}; pass it as a keyword")
        return providers.Factory(cls, **kwargs)


class Pool(providers.Singleton):  # type: ignore[type-arg]
    """A Singleton that holds connections or threads: close_pools() closes the one it built, if it built one."""

    opened: Any = None
    order = 0  # when it was opened: pools are closed newest first, so one built on another closes before it

    def _provide(self, args: Any, kwargs: Any) -> Any:
        pool = super()._provide(args, kwargs)  # type: ignore[misc]
        if pool is not self.opened:
            self.opened, self.order = pool, next(_opening)
        return pool


_opening = itertools.count(1)


async def close_pools(container: containers.Container) -> None:
    """Close every pool the container built (``dispose``, ``aclose`` or ``close``), newest first (the replica
    router's checks stop before the primary's pool closes), then forget all singletons, so a container used
    again builds fresh ones."""
    for provider in sorted(container.traverse(types=[Pool]), key=lambda p: -p.order):
        pool, provider.opened = provider.opened, None
        if pool is None:
            continue
        for method in ("dispose", "aclose", "close"):
            close = getattr(pool, method, None)
            if close is not None:
                result = close()
                if inspect.isawaitable(result):
                    await result
                break
    container.reset_singletons()
