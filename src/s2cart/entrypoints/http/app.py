"""create_app: the Litestar application, built from a container; no import-time side effects."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
from typing import Any

from litestar import Litestar, Request, Router
from litestar.di import Provide
from litestar.openapi import OpenAPIConfig
from litestar.openapi.spec import Components, SecurityScheme

from s2cart import __version__
from s2cart.entrypoints.container import Container, build_container, close_resources
from s2cart.entrypoints.http.accounts.controllers import AccountController
from s2cart.entrypoints.http.addresses.controllers import AddressController
from s2cart.entrypoints.http.auth.controllers import JwtController, LegacyAuthController
from s2cart.entrypoints.http.body import S2CartRequest
from s2cart.entrypoints.http.carts.controllers import CartController
from s2cart.entrypoints.http.client_address import client_ip, parse_networks
from s2cart.entrypoints.http.cors import cors_config
from s2cart.entrypoints.http.docs_page import DOCS_PATH, docs_assets, swagger_page
from s2cart.entrypoints.http.errors import EXCEPTION_HANDLERS
from s2cart.entrypoints.http.inject import bind, resolve_one_at_a_time
from s2cart.entrypoints.http.invoices.controllers import InvoiceController
from s2cart.entrypoints.http.observability import liveness, metrics_route, observe
from s2cart.entrypoints.http.openapi import document_errors
from s2cart.entrypoints.http.openapi_document import operation_id, polish_document
from s2cart.entrypoints.http.orders.controllers import OrderController
from s2cart.entrypoints.http.pagination import provide_page_request
from s2cart.entrypoints.http.payments.controllers import GatewayCallbackController, PaymentController
from s2cart.entrypoints.http.payments.method_controllers import PaymentMethodController
from s2cart.entrypoints.http.principal import principal_providers
from s2cart.entrypoints.http.ratelimit import rate_limit_hooks
from s2cart.entrypoints.http.refused_characters import refused_characters_middleware
from s2cart.entrypoints.http.routes import BASE_PATH
from s2cart.entrypoints.http.search.controllers import SearchHistoryController
from s2cart.entrypoints.http.storefront.controllers import StorefrontController
from s2cart.entrypoints.http.support.controllers import SupportController
from s2cart.entrypoints.http.system.controllers import SystemController
from s2cart.entrypoints.http.wire import DecimalAsNumber, ViewsByContractName, WireResponse
from s2cart.entrypoints.logs import configure_logging, quiet_noisy_loggers
from s2cart.entrypoints.settings import Settings
from s2cart.entrypoints.settings_env import warn_unknown_variables

logger = logging.getLogger(__name__)

CONTROLLERS = [
    SystemController,
    AccountController,
    JwtController,
    LegacyAuthController,
    CartController,
    OrderController,
    InvoiceController,
    PaymentController,
    GatewayCallbackController,
    PaymentMethodController,
    AddressController,
    SearchHistoryController,
    SupportController,
    StorefrontController,
]


def _dependencies(container: Container) -> dict[str, Provide]:
    """The request's own values, by name; what the container provides is bound by type (inject.bind)."""
    trusted = parse_networks(container.settings().trusted_proxies)

    def provide_client_ip(request: Request[Any, Any, Any]) -> str | None:
        return client_ip(request, trusted)

    def provide_version() -> str:
        return str(container.version())

    provide_principal, provide_any_principal = principal_providers(container.authenticate)
    return {
        "version": Provide(provide_version, sync_to_thread=False),
        "page_request": Provide(provide_page_request, sync_to_thread=False),
        "client_ip": Provide(provide_client_ip, sync_to_thread=False),
        "principal": Provide(provide_principal),
        "any_principal": Provide(provide_any_principal),
    }


def _outbox_pump(container: Container, interval: float) -> tuple[Any, Any]:
    """Each worker delivers due outbox messages every ``interval`` seconds (claims keep workers apart)."""
    state: dict[str, asyncio.Task[None]] = {}

    async def pump() -> None:
        while True:
            await asyncio.sleep(interval)
            try:
                await container.deliver_outbox()()
            except Exception:
                logger.exception("outbox delivery round failed")

    async def start() -> None:
        if interval > 0:
            state["task"] = asyncio.create_task(pump(), name="s2cart-outbox-pump")

    async def stop() -> None:
        task = state.pop("task", None)
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    return start, stop


def create_app(
    settings: Settings | None = None,
    container: Container | None = None,
    extra_route_handlers: list[object] | None = None,
) -> Litestar:
    if container is None:
        container = build_container(settings or Settings.from_env())
    settings = container.settings()
    quiet_noisy_loggers()
    start_pump, stop_pump = _outbox_pump(container, settings.outbox_interval_seconds)

    async def shutdown() -> None:
        await stop_pump()
        await close_resources(container)
        logger.info("shutdown complete: pools closed")

    limit_requests, add_rate_limit_headers = rate_limit_hooks(
        container.rate_limiter(),
        container.rate_limit_table(),
        container.authenticate,
        parse_networks(settings.trusted_proxies),
        enforce=settings.rate_limit_enabled,
    )
    api = Router(
        path=BASE_PATH, route_handlers=bind([*CONTROLLERS, liveness, *(extra_route_handlers or [])], container)
    )
    metrics = container.metrics()
    app = Litestar(
        route_handlers=[
            api,
            metrics_route(metrics, container.measure_outbox_backlog, container.measure_payment_backlog),
            docs_assets(),
        ],
        request_class=S2CartRequest,
        # Handlers return views carrying Decimal and datetime; wire.py writes them as the contract does.
        response_class=WireResponse,
        plugins=[DecimalAsNumber(), ViewsByContractName()],
        cors_config=cors_config(settings.cors_allowed_origins),
        dependencies=_dependencies(container),
        exception_handlers=dict(EXCEPTION_HANDLERS),  # type: ignore[arg-type]
        # The request id, the X-RateLimit-* headers, the metrics and the access line are one pass around the
        # whole app (observe, below); what needs routing (path parameters, the route's limits) runs after it.
        middleware=[refused_characters_middleware],
        before_request=limit_requests,
        on_startup=[start_pump],
        on_shutdown=[shutdown],
        request_max_body_size=settings.max_body_bytes,
        # Litestar's default logging config would replace the root handler configure_logging() set up:
        # workers would log in Litestar's format, without JSON and without secret redaction.
        logging_config=None,
        openapi_config=OpenAPIConfig(
            title="S2Cart API",
            version=__version__,
            description="Customer API of S2Cart: the contract's envelopes, error codes and pagination.",
            path=DOCS_PATH,
            render_plugins=[swagger_page()],
            operation_id_creator=operation_id,
            components=Components(
                security_schemes={
                    "BearerAuth": SecurityScheme(type="http", scheme="bearer", bearer_format="JWT"),
                    "TokenAuth": SecurityScheme(
                        type="apiKey",
                        name="Authorization",
                        security_scheme_in="header",
                        description="Legacy token: 'Token <key>'",
                    ),
                }
            ),
        ),
        debug=False,
    )
    observe(app, metrics, access_log=settings.access_log, rate_limit_headers=add_rate_limit_headers)
    resolve_one_at_a_time(app)
    app.state.container = container
    document_errors(app)
    polish_document(app)
    return app


def app_from_env() -> Litestar:
    """Factory for the ASGI server: each worker process builds its own app, pools and clients."""
    settings = Settings.from_env()
    configure_logging(settings.log_level, settings.log_format)
    warn_unknown_variables()
    app = create_app(settings)
    app.on_startup.append(freeze_the_startup_heap)
    return app


def freeze_the_startup_heap() -> None:
    """What a worker builds at startup (modules, routes, the container, SQLAlchemy's tables and caches) lives as
    long as the worker. Frozen out of the collector's generations, it is no longer walked by full collections:
    a worker tracks ~139,000 objects after startup, and one full collection of them stopped the event loop for
    72 ms in the middle of serving GET /carts/ (bench/README.md)."""
    gc.collect()
    gc.freeze()
