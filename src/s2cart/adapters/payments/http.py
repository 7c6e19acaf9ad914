"""The HTTP side both gateway adapters share: one client per gateway, explicit timeouts, one exchange.

A write (initiate, refund) goes out once: retrying one whose reply was lost could charge or refund twice.
Reads decide their own retry (see ``read_twice``). httpx's transport retries stay off for the same reason.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

import httpx

from s2cart.application.errors import GatewayUnavailable

logger = logging.getLogger("s2cart.payments")

# Connect fast or give up; a gateway may legitimately take a while to answer a payment call.
DEFAULT_TIMEOUT = httpx.Timeout(30.0, connect=10.0)

T = TypeVar("T")


class GatewayCallObserver(Protocol):
    def gateway_call(self, gateway: str, operation: str, seconds: float) -> None: ...


class GatewayClient(httpx.AsyncClient):
    """An httpx client that also knows where ``exchange`` reports how long each call took."""

    def __init__(self, *, observer: GatewayCallObserver | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.observer = observer


def make_client(
    base_url: str, timeout: httpx.Timeout = DEFAULT_TIMEOUT, observer: GatewayCallObserver | None = None
) -> httpx.AsyncClient:
    return GatewayClient(
        observer=observer,
        base_url=base_url,
        timeout=timeout,
        follow_redirects=False,
        transport=httpx.AsyncHTTPTransport(retries=0),
        headers={"Accept": "application/json", "User-Agent": "s2cart-payments"},
    )


@dataclass(frozen=True)
class Reply:
    status_code: int
    text: str

    def json_object(self) -> dict[str, Any] | None:
        try:
            value = json.loads(self.text)
        except (ValueError, RecursionError):
            return None
        return value if isinstance(value, dict) else None


@dataclass(frozen=True)
class NoAnswer:
    """The gateway's outcome is unknown: ``reason`` is TIMEOUT, NETWORK or HTTP_5xx (safe to store)."""

    reason: str


async def exchange(
    client: httpx.AsyncClient,
    method: str,
    path: str,
    *,
    gateway: str,
    operation: str = "other",
    content: str | None = None,
    headers: Mapping[str, str] | None = None,
    params: Mapping[str, str] | None = None,
    form: Mapping[str, str] | None = None,
) -> Reply | NoAnswer:
    """One request. Only the path is logged: bodies and headers carry checksums, signatures and tokens.

    Its latency, answered or not, goes to the client's observer by gateway and ``operation`` (a closed
    name such as ``status``: paths carry order ids)."""
    started = time.perf_counter()
    try:
        response = await client.request(
            method,
            path,
            content=content,
            data=dict(form) if form is not None else None,
            headers=dict(headers or {}),
            params=dict(params or {}),
        )
    except httpx.TimeoutException:
        logger.warning("%s %s %s: timed out", gateway, method, path)
        return NoAnswer("TIMEOUT")
    except httpx.HTTPError as exc:
        logger.warning("%s %s %s: %s", gateway, method, path, type(exc).__name__)
        return NoAnswer("NETWORK")
    finally:
        observer = client.observer if isinstance(client, GatewayClient) else None
        if observer is not None:
            observer.gateway_call(gateway, operation, time.perf_counter() - started)
    if response.status_code >= 500:
        logger.warning("%s %s %s: HTTP %s", gateway, method, path, response.status_code)
        return NoAnswer(f"HTTP_{response.status_code}")
    return Reply(response.status_code, response.text)


def text_of(value: object) -> str | None:
    """A reply field as text: gateways send codes as strings or numbers, and empty means absent."""
    if isinstance(value, bool) or not isinstance(value, str | int) or value == "":
        return None
    return str(value)


async def read_twice(call: Callable[[], Awaitable[T]]) -> T:
    """A read learned nothing (GatewayUnavailable)? Ask once more, then give up: the caller backs off."""
    try:
        return await call()
    except GatewayUnavailable:
        return await call()
