from __future__ import annotations

from s2cart.application.system.check_health import CheckHealth
from tests.fakes import FakeCacheProbe, FakeClock, FakeDatabaseProbe


async def test_healthy_when_the_database_answers() -> None:
    clock = FakeClock()
    report = await CheckHealth(FakeDatabaseProbe(True), FakeCacheProbe(), clock, "1.0.0")()
    assert report.status == "healthy"
    assert report.database == "connected"
    assert report.cache == "operational"
    assert report.timestamp == clock.now()
    assert report.version == "1.0.0"


async def test_unhealthy_when_the_database_is_down() -> None:
    report = await CheckHealth(FakeDatabaseProbe(False), FakeCacheProbe(), FakeClock(), "1.0.0")()
    assert (report.status, report.database) == ("unhealthy", "disconnected")


async def test_a_hanging_database_is_reported_down_after_the_timeout() -> None:
    probe = FakeDatabaseProbe(hang=True)
    report = await CheckHealth(probe, FakeCacheProbe(), FakeClock(), "1.0.0", timeout_seconds=0.01)()
    assert report.status == "unhealthy"
    assert probe.calls == 1


async def test_a_degraded_cache_does_not_make_the_service_unhealthy() -> None:
    report = await CheckHealth(FakeDatabaseProbe(True), FakeCacheProbe("degraded"), FakeClock(), "1.0.0")()
    assert (report.status, report.cache) == ("healthy", "degraded")
