"""The API's documentation page, served whole by S2Cart: no CDN, so it works on a machine without internet.

Swagger UI's scripts and stylesheet come from the `swagger-ui-py` package (a dependency of the project), whose
`swagger_ui/static` folder holds Swagger UI's own distribution; they are served under `/api/docs/static/`."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from litestar import Router
from litestar.datastructures import CacheControlHeader
from litestar.openapi.plugins import SwaggerRenderPlugin
from litestar.static_files import create_static_files_router

DOCS_PATH = "/api/docs"
ASSETS_PATH = f"{DOCS_PATH}/static"
# The files the page loads: a test checks that each one is in the package and is served.
ASSETS = ("swagger-ui-bundle.js", "swagger-ui-standalone-preset.js", "swagger-ui.css", "favicon-32x32.png")


def swagger_ui_directory() -> Path:
    """Swagger UI's distribution inside the installed package, found without importing the package's Python code."""
    spec = importlib.util.find_spec("swagger_ui")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the swagger-ui-py package is missing: reinstall S2Cart (pip install -e .)")
    directory = Path(next(iter(spec.submodule_search_locations))) / "static"
    missing = [name for name in ASSETS if not (directory / name).is_file()]
    if missing:
        raise RuntimeError(f"swagger-ui-py's static folder {directory} lacks {', '.join(missing)}")
    return directory


def swagger_page() -> SwaggerRenderPlugin:
    """Swagger UI at /api/docs, loading its assets from S2Cart itself (Litestar's default loads them from a CDN)."""
    return SwaggerRenderPlugin(
        js_url=f"{ASSETS_PATH}/swagger-ui-bundle.js",
        css_url=f"{ASSETS_PATH}/swagger-ui.css",
        standalone_preset_js_url=f"{ASSETS_PATH}/swagger-ui-standalone-preset.js",
        favicon=f"<link rel='icon' type='image/png' href='{ASSETS_PATH}/favicon-32x32.png'>",
    )


def docs_assets() -> Router:
    return create_static_files_router(
        path=ASSETS_PATH,
        directories=[swagger_ui_directory()],
        name="docs-assets",
        include_in_schema=False,
        cache_control=CacheControlHeader(max_age=86400, public=True),
    )
