"""What ``make bench`` measures, and the targets each figure is held to (issue 10)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Scenario:
    name: str
    server: str  # "ref" (the ceilings) or "s2cart"
    script: str  # bench/lua/<script>
    env: dict[str, str] = field(default_factory=dict)
    ceiling: str | None = None  # the reference scenario this one is a ratio of
    min_ratio: float | None = None
    connections: int | None = None  # default: --connections
    warmup: bool = True
    requires_route: str | None = None  # skipped, with a message, while S2Cart has no such route


REFERENCES = [
    Scenario("ref_json", "ref", "get.lua", {"BENCH_PATH": "/ref/json"}),
    Scenario("ref_read", "ref", "ref_read.lua"),
    Scenario("ref_write", "ref", "ref_write.lua"),
]

S2CART = [
    Scenario("health", "s2cart", "get.lua", {"BENCH_PATH": "/api/auth/health/"}, ceiling="ref_json"),
    Scenario("carts_get", "s2cart", "carts.lua", ceiling="ref_read", min_ratio=0.70),
    Scenario("cart_items_post", "s2cart", "cart_items.lua", ceiling="ref_write", min_ratio=0.50),
    # No warm-up: a warm-up run would spend tokens whose successors only it knows.
    Scenario("jwt_refresh", "s2cart", "refresh.lua", ceiling="ref_write", min_ratio=0.50, warmup=False),
    Scenario("jwt_signin", "s2cart", "signin.lua"),
    Scenario("orders_page_1", "s2cart", "orders.lua", {"BENCH_PAGE": "1"}, requires_route="/api/auth/orders/"),
    Scenario("orders_page_500", "s2cart", "orders.lua", {"BENCH_PAGE": "500"}, requires_route="/api/auth/orders/"),
    # 100,000 more products over 50 stores are loaded for these (issue 18); anonymous, as shoppers browse.
    Scenario("products_search_1", "s2cart", "products.lua", {"BENCH_WORDS": "1"}, requires_route="/api/auth/products/"),
    Scenario("products_search_2", "s2cart", "products.lua", {"BENCH_WORDS": "2"}, requires_route="/api/auth/products/"),
]
# products_search_1 again with S2CART_SEARCH_CACHE_SECONDS=0 (a server of its own on --port + 3), right after it.
UNCACHED_SEARCH = Scenario("products_search_1_uncached", "s2cart", "products.lua", {"BENCH_WORDS": "1"})
PRODUCT_SCENARIOS = ("products_search_1", "products_search_2", "products_half_rate")
SEARCH_STORES, SEARCH_PRODUCTS = 50, 100_000

# The mixed scenario: GET /carts/ from a few connections, alone and then while sign-ins run flat out.
MIXED_CART_CONNECTIONS = 8
MIXED_SIGNIN_CONNECTIONS = 16

TARGETS = {
    "carts_get_ratio": ">= 0.70 of the read ceiling",
    "carts_half_rate_p99": "< 50 ms at half the carts saturation rate",
    "cart_items_post_ratio": ">= 0.50 of the write ceiling",
    "jwt_refresh_ratio": ">= 0.50 of the write ceiling",
    "jwt_signin_ratio": ">= 0.90 of what argon2 allows on the cores",
    "mixed_p99_ratio": "carts p99 during a sign-in storm <= 2x its idle p99",
    "orders_page_ratio": "page 500 <= 1.5x the time of page 1",
    "products_search_ratio": "one-word search >= 0.5 of GET /carts/ req/s in the same run",
    "products_half_rate_p99": "< 50 ms at half the one-word search saturation rate",
    "peak_rss": "< 150 MB per worker",
}
