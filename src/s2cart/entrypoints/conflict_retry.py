"""Wire the conflict retry (decision 0023) around every use case built on the unit of work, once, here.

A use case stays a plain class with ``async def __call__`` and one ``async with self._uow()`` per
transaction. ``retry_conflicts`` swaps each such provider's class for a subclass whose ``__call__`` runs the
original through ``ConflictRetry``: the handlers still receive an instance of the class they name (Litestar
checks it), tests that build a use case by hand get the plain class, and a new use case on the unit of work
is covered without anyone remembering to.
"""

from __future__ import annotations

import inspect
from functools import partial
from typing import Any

from dependency_injector import providers

from s2cart.application.conflict_retry import ConflictRetry

_retrying: dict[type, type] = {}


def retrying(cls: type) -> type:
    """``cls`` with its ``__call__`` run through the ``ConflictRetry`` given as ``conflict_retry=``."""
    found = _retrying.get(cls)
    if found is not None:
        return found

    class Retrying(cls):  # type: ignore[misc,valid-type]
        def __init__(self, *args: Any, conflict_retry: ConflictRetry, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._conflict_retry = conflict_retry

        async def __call__(self, *args: Any, **kwargs: Any) -> Any:
            return await self._conflict_retry.run(partial(super().__call__, *args, **kwargs), cls.__name__)

    Retrying.__name__, Retrying.__qualname__, Retrying.__doc__ = cls.__name__, cls.__qualname__, cls.__doc__
    Retrying.__module__ = cls.__module__
    _retrying[cls] = Retrying
    return Retrying


def _is_use_case_on_uow(provider: Any) -> bool:
    if not isinstance(provider, providers.Factory) or "uow" not in provider.kwargs:
        return False
    cls = provider.cls
    # A use case is a class whose instances are awaited when called; helpers (Settlement ...) have no __call__.
    return isinstance(cls, type) and inspect.iscoroutinefunction(vars(cls).get("__call__"))


def retry_conflicts(container: Any) -> list[str]:
    """Wrap every Factory given ``uow=`` whose class is an async callable; returns the names wrapped."""
    wrapped = []
    for name, provider in container.providers.items():
        if name != "conflict_retry" and _is_use_case_on_uow(provider):
            provider.set_provides(retrying(provider.cls))
            provider.add_kwargs(conflict_retry=container.conflict_retry)
            wrapped.append(name)
    return wrapped
