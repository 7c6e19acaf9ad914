"""Each route declares its contract limit on itself (opt=limit(...)); these pin the declarations the
contract leaves least obvious. The counting itself is pinned by test_rate_limits*.py."""

from __future__ import annotations

from litestar import Litestar
from litestar.routes import HTTPRoute

from s2cart.application.ratelimit.table import RouteLimits
from s2cart.entrypoints.http.limits import limits_of
from s2cart.entrypoints.http.ratelimit import route_key
from s2cart.entrypoints.http.routes import ENDPOINT_GROUPS


def declared(app: Litestar) -> dict[str, RouteLimits]:
    return {
        str(route_key(method, route.path_format)): limits_of(handler.opt)
        for route in app.routes
        if isinstance(route, HTTPRoute)
        for handler in route.route_handlers
        for method in handler.http_methods
    }


def amounts(limits: RouteLimits) -> list[tuple[int, int, str]]:
    return [(rule.amount, rule.seconds, rule.limit_type) for rule in limits.limits]


def test_the_stricter_of_the_contracts_two_limits_is_declared(app: Litestar) -> None:
    routes = declared(app)
    assert amounts(routes["POST /password-reset/request/"]) == [(3, 3600, "password_reset")]
    assert amounts(routes["POST /password-reset/confirm/"]) == [(5, 3600, "password_reset")]


def test_only_the_sign_ins_read_the_account_from_the_body(app: Litestar) -> None:
    assert {key for key, limits in declared(app).items() if limits.names_an_account} == {"POST /jwt/", "POST /login/"}


def test_gateways_skip_the_tier_and_monitoring_counts_against_nothing(app: Litestar) -> None:
    routes = declared(app)
    assert {key for key, limits in routes.items() if limits.tier_exempt} == {
        "POST /payments/paytm/callback/",
        "POST /payments/phonepe/callback/",
    }
    assert {key for key, limits in routes.items() if limits.unlimited} == {"GET /live/", "GET /metrics/"}
    assert len([key for key, limits in routes.items() if limits.limits]) == 29


def test_invoices_have_a_limit_of_their_own_for_the_pdf(app: Litestar) -> None:
    """Rendering a PDF is CPU work: 30 a minute per user (decision 0037), beside the caller's tier."""
    routes = declared(app)
    for key in ("GET /orders/{order_id}/invoice/", "GET /orders/{order_id}/credit-note/"):
        assert amounts(routes[key]) == [(30, 60, "invoice")], key


def test_every_path_the_api_root_lists_is_a_route(app: Litestar) -> None:
    """ENDPOINT_GROUPS is written by hand (its names and order are the contract's, not the routes'); this keeps
    it from naming a path that does not exist."""
    served = {route.path_format.rstrip("/") for route in app.routes}
    listed = {path.rstrip("/") for group in ENDPOINT_GROUPS.values() for path in group.values()}
    assert listed - served == set()


def test_a_quote_counts_like_a_read_of_orders_not_like_an_order(app: Litestar) -> None:
    """Decision 0033: a storefront re-quotes on every cart change; like GET /orders/, only the caller's tier."""
    routes = declared(app)
    for key in (
        "POST /orders/quote/",
        "POST /carts/store/{store_id}/coupon/",
        "DELETE /carts/store/{store_id}/coupon/",
    ):
        assert routes[key].limits == () and not routes[key].tier_exempt and not routes[key].unlimited
    assert amounts(routes["POST /orders/"]) == [(10, 60, "order")]
