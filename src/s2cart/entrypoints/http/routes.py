"""The base path and the endpoint groups the API root lists; each area adds its entries as it lands."""

from __future__ import annotations

BASE_PATH = "/api/auth"

ENDPOINT_GROUPS: dict[str, dict[str, str]] = {
    "system": {
        "health": f"{BASE_PATH}/health/",
        "docs": "/api/docs",
        "openapi": "/api/docs/openapi.json",
    },
}
