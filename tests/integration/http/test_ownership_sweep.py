"""Ownership sweep: every route with a path parameter, every method, tried as another customer (404) and as
nobody (401); afterwards the owner's data is byte for byte what it was.

Routes come from the app's own route table, so a route added without a case here fails
`test_every_route_with_a_path_parameter_has_a_case` until someone says how to attack it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from litestar import Litestar

from s2cart.entrypoints.container import Container
from s2cart.entrypoints.http.app import create_app
from tests.integration.conftest import make_settings
from tests.integration.http.accounts import Client, bearer, jwt_login, verified
from tests.integration.http.catalog import load_demo_catalog
from tests.integration.mailbox import Mailbox

IGNORED_METHODS = {"OPTIONS", "HEAD"}  # answered by the framework, never by a handler that touches data


@pytest.fixture
def app(container: Container) -> Litestar:
    """The production app, without the test-only probe routes of this package's conftest."""
    return create_app(container=container)


@dataclass
class World:
    owner: dict[str, str]
    other: dict[str, str]
    ids: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Case:
    """How to aim one method of one route at the owner's data."""

    url: Callable[[World], str]
    body: dict[str, Any] | None = None
    # A route whose path parameter is not an owned id (a capability token, a static file) says why,
    # and the statuses that strangers may see.
    public: str | None = None
    stranger_statuses: frozenset[int] = frozenset({404})
    anonymous_statuses: frozenset[int] = frozenset({401})
    envelope: bool = True


def _owned(url: Callable[[World], str], body: dict[str, Any] | None = None) -> Case:
    return Case(url=url, body=body)


CASES: dict[tuple[str, str], Case] = {
    ("/api/auth/verify/{token}", "GET"): Case(
        url=lambda w: "/api/auth/verify/forged-verification-token/",
        public="the path holds the mailed verification token; a guessed one verifies nobody",
        stranger_statuses=frozenset({400, 404}),
        anonymous_statuses=frozenset({400, 404}),
    ),
    ("/api/auth/jwt/sessions/{session_id}", "DELETE"): _owned(lambda w: f"/api/auth/jwt/sessions/{w.ids['session']}/"),
    ("/api/auth/cart/items/{item_id}", "PATCH"): _owned(
        lambda w: f"/api/auth/cart/items/{w.ids['item']}/", {"quantity": 7}
    ),
    ("/api/auth/cart/items/{item_id}", "DELETE"): _owned(lambda w: f"/api/auth/cart/items/{w.ids['item']}/"),
    ("/api/auth/carts/store/{store_id}", "GET"): _owned(lambda w: f"/api/auth/carts/store/{w.ids['store']}/"),
    ("/api/auth/carts/store/{store_id}/coupon", "POST"): _owned(
        lambda w: f"/api/auth/carts/store/{w.ids['store']}/coupon/", {"coupon_code": "SAVE10"}
    ),
    ("/api/auth/carts/store/{store_id}/coupon", "DELETE"): _owned(
        lambda w: f"/api/auth/carts/store/{w.ids['store']}/coupon/"
    ),
    ("/api/auth/orders/{order_id}", "GET"): _owned(lambda w: f"/api/auth/orders/{w.ids['order']}/"),
    ("/api/auth/orders/{order_id}/invoice", "GET"): _owned(lambda w: f"/api/auth/orders/{w.ids['order']}/invoice/"),
    ("/api/auth/orders/{order_id}/credit-note", "GET"): _owned(
        lambda w: f"/api/auth/orders/{w.ids['order']}/credit-note/?format=pdf"
    ),
    ("/api/auth/orders/{order_id}", "PATCH"): _owned(
        lambda w: f"/api/auth/orders/{w.ids['order']}/", {"status": "CANCELLED", "cancellation_reason": "mine now"}
    ),
    ("/api/auth/addresses/{address_id}", "PATCH"): _owned(
        lambda w: f"/api/auth/addresses/{w.ids['address']}/", {"city": "Pune"}
    ),
    ("/api/auth/addresses/{address_id}", "DELETE"): _owned(lambda w: f"/api/auth/addresses/{w.ids['address']}/"),
    ("/api/auth/addresses/set-default/{address_id}", "POST"): _owned(
        lambda w: f"/api/auth/addresses/set-default/{w.ids['address']}/"
    ),
    ("/api/auth/support/tickets/{ticket_id}", "GET"): _owned(lambda w: f"/api/auth/support/tickets/{w.ids['ticket']}/"),
    ("/api/auth/support/tickets/{ticket_id}/messages", "POST"): _owned(
        lambda w: f"/api/auth/support/tickets/{w.ids['ticket']}/messages/", {"message": "hello from a stranger"}
    ),
    ("/api/auth/payments/status/{order_id}", "GET"): _owned(lambda w: f"/api/auth/payments/status/{w.ids['order']}/"),
    # The sweep's world has no gateway, so no payment exists to aim at; a stranger retrying a real payment of
    # someone else's is refused in tests/integration/payments/test_payment_api.py (retry until the cap).
    ("/api/auth/payments/history/{payment_id}/retry", "POST"): _owned(
        lambda w: "/api/auth/payments/history/999999/retry/"
    ),
    ("/api/auth/payment-methods/cards/{card_id}", "DELETE"): _owned(
        lambda w: f"/api/auth/payment-methods/cards/{w.ids['card']}/"
    ),
    ("/api/auth/payment-methods/cards/set-default/{card_id}", "POST"): _owned(
        lambda w: f"/api/auth/payment-methods/cards/set-default/{w.ids['card']}/"
    ),
    ("/api/auth/payment-methods/upi/{upi_id}", "DELETE"): _owned(
        lambda w: f"/api/auth/payment-methods/upi/{w.ids['upi']}/"
    ),
    ("/api/auth/payment-methods/upi/set-default/{upi_id}", "POST"): _owned(
        lambda w: f"/api/auth/payment-methods/upi/set-default/{w.ids['upi']}/"
    ),
    ("/api/auth/stores/{store_id}", "GET"): Case(
        url=lambda w: "/api/auth/stores/store_123/",
        public="the storefront is public: every caller, signed in or not, sees the same store",
        stranger_statuses=frozenset({200}),
        anonymous_statuses=frozenset({200}),
    ),
    ("/api/auth/stores/{store_id}/products/{product_id}", "GET"): Case(
        url=lambda w: "/api/auth/stores/store_123/products/prod_001/",
        public="the storefront is public: every caller, signed in or not, sees the same product",
        stranger_statuses=frozenset({200}),
        anonymous_statuses=frozenset({200}),
    ),
    ("/api/docs/{path}", "GET"): Case(
        url=lambda w: "/api/docs/no-such-page",
        public="the OpenAPI renderer's static pages; no customer data behind them",
        stranger_statuses=frozenset({404}),
        anonymous_statuses=frozenset({404}),
        envelope=False,  # Litestar's OpenAPI controller answers its own 404 page in HTML
    ),
    ("/api/docs/static/{file_path}", "GET"): Case(
        url=lambda w: "/api/docs/static/no-such-file.js",
        public="Swagger UI's own scripts and stylesheet for /api/docs; no customer data behind them",
        stranger_statuses=frozenset({404}),
        anonymous_statuses=frozenset({404}),
    ),
}


def routes_with_path_parameters(app: Litestar) -> set[tuple[str, str]]:
    return {
        (route.path_format, method)
        for route in app.routes
        if route.path_parameters
        for method in getattr(route, "methods", set())
        if method not in IGNORED_METHODS
    }


def test_every_route_with_a_path_parameter_has_a_case(tmp_path: Any) -> None:
    app = create_app(make_settings(f"sqlite+aiosqlite:///{tmp_path / 'unused.db'}"))
    routes = routes_with_path_parameters(app)
    assert len(routes) >= 12, routes  # the table really is read
    missing = sorted(routes - CASES.keys())
    assert not missing, (
        "routes with a path parameter but no ownership case in tests/integration/http/test_ownership_sweep.py "
        f"(add one to CASES saying how another customer and an anonymous caller are refused): {missing}"
    )
    stale = sorted(CASES.keys() - routes)
    assert not stale, f"ownership cases for routes the app no longer has: {stale}"


async def _build_world(client: Client, container: Container, mailbox: Mailbox) -> World:
    await load_demo_catalog(container)
    owner = bearer((await jwt_login(client, await verified(client, mailbox)))["access"])
    other = bearer((await jwt_login(client, await verified(client, mailbox)))["access"])
    world = World(owner=owner, other=other)

    async def made(method: str, url: str, headers: dict[str, str], body: dict[str, Any]) -> dict[str, Any]:
        response = await client.request(method, url, headers=headers, json=body)
        assert response.status_code in (200, 201), response.text
        return dict(response.json()["data"])

    address = {
        "contact_name": "John Doe",
        "street_address": "123 Main Street",
        "city": "Mumbai",
        "state": "Maharashtra",
        "pin_code": "400001",
        "country": "India",
        "phone_number": "+919876543210",
        "address_type": "HOME",
    }
    world.ids["address"] = (await made("POST", "/api/auth/addresses/", owner, address))["id"]
    await made("POST", "/api/auth/addresses/", owner, {**address, "city": "Thane", "address_type": "WORK"})
    await made("POST", "/api/auth/addresses/", other, {**address, "city": "Delhi"})
    # An order, from a cart of its own ...
    await made("POST", "/api/auth/cart/items/", owner, {"store_id": "store_123", "product_id": "prod_001"})
    cart = await made("GET", "/api/auth/carts/store/store_123/", owner, {})
    order_body = {"cart_id": cart["id"], "shipping_address_id": world.ids["address"]}
    world.ids["order"] = (await made("POST", "/api/auth/orders/", owner, order_body))["id"]
    # ... and a cart still open, with a line.
    item = await made("POST", "/api/auth/cart/items/", owner, {"store_id": "store_456", "product_id": "prod_002"})
    world.ids["item"] = item["id"]
    world.ids["store"] = "store_456"
    await made("POST", "/api/auth/carts/store/store_456/coupon/", owner, {"coupon_code": "SAVE10"})
    ticket = {"subject": "Late", "description": "Where is my order?", "category": "delivery", "priority": "LOW"}
    world.ids["ticket"] = (await made("POST", "/api/auth/support/tickets/", owner, ticket))["id"]
    await made("POST", "/api/auth/search-history/", owner, {"query": "basmati rice"})
    card = {
        "card_type": "VISA",
        "last_four": "4242",
        "expiry_month": "12",
        "expiry_year": "2030",
        "card_holder_name": "John Doe",
        "gateway_token": "tok_owner_card_0001",
    }
    world.ids["card"] = (await made("POST", "/api/auth/payment-methods/cards/", owner, card))["id"]
    await made(
        "POST",
        "/api/auth/payment-methods/cards/",
        owner,
        {**card, "last_four": "1111", "gateway_token": "tok_owner_card_0002"},
    )
    upi = {"upi_id": "johndoe@okaxis"}
    world.ids["upi"] = (await made("POST", "/api/auth/payment-methods/upi/", owner, upi))["id"]
    await made("POST", "/api/auth/payment-methods/upi/", owner, {"upi_id": "john.work@ybl"})
    sessions = await client.get("/api/auth/jwt/sessions/", headers=owner)
    world.ids["session"] = sessions.json()["data"][0]["id"]
    return world


def _owner_views(world: World) -> list[str]:
    return [
        "/api/auth/profile/",
        "/api/auth/carts/",
        f"/api/auth/carts/store/{world.ids['store']}/",
        "/api/auth/orders/",
        f"/api/auth/orders/{world.ids['order']}/",
        "/api/auth/addresses/",
        "/api/auth/addresses/default/",
        f"/api/auth/support/tickets/{world.ids['ticket']}/",
        "/api/auth/support/tickets/",
        "/api/auth/search-history/",
        "/api/auth/search-history-group/",
        "/api/auth/jwt/sessions/",
        "/api/auth/payment-methods/cards/",
        "/api/auth/payment-methods/upi/",
        "/api/auth/payments/history/",
    ]


def _is_volatile(header: str) -> bool:
    """Headers that differ between any two requests: the request id and the rate-limit counters."""
    name = header.lower()
    return name in {"x-request-id", "date"} or name.startswith(("x-ratelimit", "ratelimit", "retry-after"))


async def _snapshot(client: Client, world: World) -> dict[str, tuple[bytes, list[tuple[str, str]]]]:
    views = {}
    for url in _owner_views(world):
        response = await client.get(url, headers=world.owner)
        assert response.status_code == 200, (url, response.text)
        headers = sorted((k, v) for k, v in response.headers.items() if not _is_volatile(k))
        views[url] = (response.content, headers)
    return views


def _assert_refused(response: Any, case: Case, who: str, method: str, url: str) -> None:
    allowed = case.anonymous_statuses if who == "anonymous" else case.stranger_statuses
    assert response.status_code in allowed, f"{who} {method} {url}: {response.status_code} {response.text}"
    if not case.envelope:
        return
    body = response.json()
    if response.status_code == 200:  # a public read: everyone gets the same answer, and nothing changes
        assert case.public and body["status"] == "success", body
        return
    assert body["status"] == "error" and body["code"] == response.status_code, body
    assert set(body) >= {"message", "errors", "timestamp", "error_code"}, body


async def test_strangers_and_anonymous_callers_touch_nothing(
    client: Client, container: Container, mailbox: Mailbox
) -> None:
    world = await _build_world(client, container, mailbox)
    before = await _snapshot(client, world)
    tried = 0
    for (_, method), case in sorted(CASES.items()):
        url = case.url(world)
        stranger = await client.request(method, url, headers=world.other, json=case.body)
        _assert_refused(stranger, case, "another customer", method, url)
        anonymous = await client.request(method, url, json=case.body)
        _assert_refused(anonymous, case, "anonymous", method, url)
        tried += 2
    assert tried == 2 * len(CASES)
    after = await _snapshot(client, world)
    for url, content in before.items():
        assert after[url] == content, f"the owner's {url} changed:\nbefore {content!r}\nafter  {after[url]!r}"
