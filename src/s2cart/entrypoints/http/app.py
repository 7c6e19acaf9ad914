"""create_app: the Litestar application, built from a container; no import-time side effects."""

from __future__ import annotations

from litestar import Litestar, Router
from litestar.di import Provide
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import SwaggerRenderPlugin
from litestar.openapi.spec import Components, SecurityScheme

from s2cart import __version__
from s2cart.entrypoints.container import Container, build_container, close_resources
from s2cart.entrypoints.http.errors import EXCEPTION_HANDLERS
from s2cart.entrypoints.http.pagination import provide_page_request
from s2cart.entrypoints.http.request_id import add_request_id_header, request_id_middleware
from s2cart.entrypoints.http.routes import BASE_PATH
from s2cart.entrypoints.http.system.controllers import SystemController
from s2cart.entrypoints.logs import configure_logging
from s2cart.entrypoints.settings import Settings


def _dependencies(container: Container) -> dict[str, Provide]:
    """Zero-argument providers that ask the container per request, so overrides reach the handlers."""

    def provide_check_health():  # type: ignore[no-untyped-def]
        return container.check_health()

    def provide_version() -> str:
        return str(container.version())

    return {
        "check_health": Provide(provide_check_health, sync_to_thread=False),
        "version": Provide(provide_version, sync_to_thread=False),
        "page_request": Provide(provide_page_request, sync_to_thread=False),
    }


def create_app(
    settings: Settings | None = None,
    container: Container | None = None,
    extra_route_handlers: list[object] | None = None,
) -> Litestar:
    if container is None:
        container = build_container(settings or Settings.from_env())
    settings = container.settings()

    async def shutdown() -> None:
        await close_resources(container)

    api = Router(path=BASE_PATH, route_handlers=[SystemController, *(extra_route_handlers or [])])
    app = Litestar(
        route_handlers=[api],
        dependencies=_dependencies(container),
        exception_handlers=dict(EXCEPTION_HANDLERS),  # type: ignore[arg-type]
        middleware=[request_id_middleware],
        before_send=[add_request_id_header],
        on_shutdown=[shutdown],
        request_max_body_size=settings.max_body_bytes,
        openapi_config=OpenAPIConfig(
            title="S2Cart API",
            version=__version__,
            description="Customer API of S2Cart: the contract's envelopes, error codes and pagination.",
            path="/api/docs",
            render_plugins=[SwaggerRenderPlugin()],
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
    app.state.container = container
    return app


def app_from_env() -> Litestar:
    """Factory for the ASGI server: each worker process builds its own app, pools and clients."""
    settings = Settings.from_env()
    configure_logging(settings.log_level, settings.log_format)
    return create_app(settings)
