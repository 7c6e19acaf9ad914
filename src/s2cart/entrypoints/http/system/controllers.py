from __future__ import annotations

import msgspec
from litestar import Controller, Response, get
from litestar.di import NamedDependency
from litestar.openapi.datastructures import ResponseSpec

from s2cart.application.system.check_health import CheckHealth
from s2cart.entrypoints.http.answers import errors
from s2cart.entrypoints.http.inject import Inject
from s2cart.entrypoints.http.limits import MINUTE, limit
from s2cart.entrypoints.http.routes import ENDPOINT_GROUPS
from s2cart.entrypoints.http.system.schemas import ApiRoot, HealthBody


class SystemController(Controller):
    tags = ["System"]

    @get(
        "/health/",
        summary="Readiness: database and cache",
        responses={503: ResponseSpec(data_container=HealthBody, description="Unhealthy: the database is down")},
        opt=limit(100, MINUTE, "health", "ip") | errors(storage=False),
    )
    async def health(self, check_health: Inject[CheckHealth]) -> Response[HealthBody]:
        """Readiness: is the database reachable and the cache usable? 200 with `healthy`, else 503 with the same body
        naming the part that is down (a load balancer takes the instance out). Reads no user data.
        """
        report = await check_health()
        body = HealthBody(
            status=report.status,
            timestamp=report.timestamp.replace(microsecond=0),
            version=report.version,
            database=report.database,
            cache=report.cache,
            replicas=msgspec.UNSET if report.replicas is None else report.replicas,
        )
        return Response(body, status_code=200 if report.status == "healthy" else 503)

    @get(
        "/", summary="API root: the endpoint groups", opt=limit(100, MINUTE, "anonymous", "ip") | errors(storage=False)
    )
    async def root(self, version: NamedDependency[str]) -> ApiRoot:
        """The API's name, version and endpoint groups (the contract's URLs, trailing slashes included)."""
        return ApiRoot(
            name="S2Cart API",
            description="Backend API for S2Cart Android App",
            version=version,
            endpoints=ENDPOINT_GROUPS,
        )
