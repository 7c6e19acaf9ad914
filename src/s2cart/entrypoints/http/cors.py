"""CORS for browser clients on other origins (S2CART_CORS_ALLOWED_ORIGINS), through Litestar's CORSConfig.

- No origins set: no CORSConfig, so nothing changes (a preflight is the router's plain 204 with ``Allow``).
- Exact origins are matched as given; ``scheme://host:*`` allows any port of that host (``make run`` allows
  ``http://localhost:*`` and ``http://127.0.0.1:*``); ``*`` allows every origin. Other origins get no
  ``Access-Control-Allow-Origin`` (their preflight is a 400), so the browser keeps the answer from the page.
- No credentials (cookies): the API authenticates with the ``Authorization`` header.
- Litestar's CORS middleware wraps the application's router: a preflight is answered before routing, the
  refused-characters middleware and the rate limiter (it costs no database or Redis call, and counting it
  would spend the shopper's budget twice a request). The observer around it (http/observability.py) still
  gives it a request id, an access line and its metrics; it adds no X-RateLimit-* headers to it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Literal, cast

from litestar.config.cors import CORSConfig
from litestar.types import Method

ALLOWED_METHODS: tuple[Method, ...] = cast(
    tuple[Method, ...], ("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD")
)
ALLOWED_HEADERS = ("Authorization", "Content-Type", "Idempotency-Key", "X-Device-Type", "X-Device-ID", "X-Request-ID")
EXPOSED_HEADERS = ("X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset", "Retry-After", "X-Request-ID")


def cors_config(origins: Sequence[str]) -> CORSConfig | None:
    if not origins:
        return None
    exact: list[str] = []
    any_port: list[str] = []
    for origin in origins:
        if origin == "*":
            exact = ["*"]
            break
        if origin.endswith(":*"):
            any_port.append(re.escape(origin[:-2]) + r"(?::[0-9]{1,5})?")
        else:
            exact.append(origin.lower())
    allow_methods = cast(list[Literal["*"] | Method], list(ALLOWED_METHODS))
    return CORSConfig(
        # Litestar reads '*' inside an entry as a wildcard; exact entries never hold one (Settings.check).
        allow_origins=exact,
        allow_origin_regex="|".join(any_port) or None,
        allow_methods=allow_methods,
        allow_headers=list(ALLOWED_HEADERS),
        expose_headers=list(EXPOSED_HEADERS),
        allow_credentials=False,
    )
