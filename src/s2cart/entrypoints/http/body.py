"""The request class: JSON bodies that msgspec cannot decode, that carry NUL characters, or whose values are not
of the type the contract gives them (a string "2" for a quantity), are a 400.

Litestar turns msgspec's DecodeError into a 400 but lets RecursionError (a body nested thousands of levels
deep) and UnicodeDecodeError (invalid UTF-8 inside a string) through as 500s. NUL characters are refused
everywhere: PostgreSQL cannot store them in text, and no field of the contract has a use for them.

Litestar converts the decoded body to the handler's struct with msgspec's lax rules (``strict=False``), which it
needs for path and query strings but which also turns a JSON string "2", "2.0" or "1e1" into the integer a field
expects. The body is checked here against the same struct with the strict rules JSON itself has: a number is a
number, a string is a string.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import Any, TypeVar

import msgspec
from litestar import Request
from litestar.exceptions import ClientException, ValidationException

from s2cart.domain.shared.errors import ValidationFailed
from s2cart.entrypoints.http.body_fields import field_messages

NUL = "\x00"
T = TypeVar("T")


def _per_handler(compute: Callable[[Any], T]) -> Callable[[Any], T]:
    """``compute(handler)``, worked out once per route handler and held weakly.

    ``functools.cache`` keyed by the handler kept every app ever built alive (a handler holds its router, the
    router its app). A process serving one app did not notice; the test suite, which builds an app a test,
    kept ~17,000 objects a test, and each full garbage collection walked them all again (seconds, late in a
    run, with every thread of the process waiting)."""
    memo: weakref.WeakKeyDictionary[Any, T] = weakref.WeakKeyDictionary()

    def lookup(handler: Any) -> T:
        try:
            return memo[handler]
        except KeyError:
            value = memo[handler] = compute(handler)
            return value
        except TypeError:  # not a handler (None): nothing to hold on to
            return compute(handler)

    return lookup


def _nul_path(value: Any) -> str | None:
    """Where the first NUL character sits in a decoded JSON value (iterative: depth costs no stack)."""
    stack: list[tuple[str, Any]] = [("", value)]
    while stack:
        path, item = stack.pop()
        if isinstance(item, str):
            if NUL in item:
                return path
        elif isinstance(item, dict):
            for key, child in item.items():
                child_path = f"{path}.{key}" if path else str(key)
                if NUL in str(key):
                    return child_path
                stack.append((child_path, child))
        elif isinstance(item, list):
            stack.extend((f"{path}[{i}]", child) for i, child in enumerate(item))
    return None


class S2CartRequest(Request[Any, Any, Any]):
    async def json(self) -> Any:
        try:
            value = await super().json()
        except (RecursionError, UnicodeDecodeError) as exc:
            raise ClientException(detail="Malformed JSON: nested too deeply or not valid UTF-8") from exc
        where = _nul_path(value)
        if where is not None:
            raise ValidationFailed.on(where or "non_field_errors", "NUL characters are not allowed.")
        handler = self.scope.get("route_handler")
        body_type = _body_type(handler)
        if body_type is not None and not _answered_by_authentication(handler, self.scope):
            # msgspec stops at the first error; a form wants every bad field named at once (as DRF did).
            every = field_messages(value, body_type)
            if every:
                raise ValidationException(detail="Validation failed", extra=[{"message": m} for m in every])
            try:
                msgspec.convert(value, body_type, strict=True, str_keys=True)
            except msgspec.ValidationError as exc:
                # field_errors_of() reads the field from msgspec's "- at `$.quantity`".
                raise ValidationException(detail="Validation failed", extra=[{"message": str(exc)}]) from exc
        return value


def _answered_by_authentication(handler: Any, scope: Any) -> bool:
    """The body is read before the handler's dependencies run. A route for signed-in customers answers a caller
    without a valid credential 401 whatever the body says; the rate-limit hook has authenticated every caller
    that sent one (``state["principal"]``), so without it the 401 is coming and the body is left to it."""
    return _needs_principal(handler) and scope.get("state", {}).get("principal") is None


@_per_handler
def _needs_principal(handler: Any) -> bool:
    parameters = getattr(getattr(handler, "parsed_fn_signature", None), "parameters", {})
    return "principal" in parameters or "any_principal" in parameters


@_per_handler
def _body_type(handler: Any) -> Any:
    """The type a handler declares for its JSON body (``data``), or None."""
    parameters = getattr(getattr(handler, "parsed_fn_signature", None), "parameters", {})
    data = parameters.get("data")
    return data.annotation if data is not None else None
