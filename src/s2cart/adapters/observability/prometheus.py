"""Prometheus metrics of one process, and their exposition for the whole service.

Each ``PrometheusMetrics`` owns a registry of its own, so several apps in one process (tests) never
collide. When ``PROMETHEUS_MULTIPROC_DIR`` is set (``s2cart serve`` with several workers sets it before any
worker starts), prometheus_client writes every value to per-process files in that directory and a scrape,
answered by whichever worker accepted it, sums the files of all workers.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.metrics_core import GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
# Latency buckets (seconds) around what a shopping API should answer in: 1 ms to 10 s.
BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


@dataclass(frozen=True)
class Gauge:
    """A value measured at scrape time (a database count), rendered beside the process metrics."""

    name: str
    documentation: str
    value: float


class _Snapshot:
    def __init__(self, gauges: Iterable[Gauge]) -> None:
        self._gauges = tuple(gauges)

    def collect(self) -> Iterator[Metric]:
        for gauge in self._gauges:
            yield GaugeMetricFamily(gauge.name, gauge.documentation, value=gauge.value)


def multiprocess_dir() -> str | None:
    return os.environ.get(MULTIPROC_ENV) or None


class PrometheusMetrics:
    """HTTP request metrics, rate-limit refusals and the payment counters (``PaymentMetrics``)."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        labels = ("method", "route", "status")
        self._requests = Counter("s2cart_http_requests", "HTTP requests answered", labels, registry=self.registry)
        self._latency = Histogram(
            "s2cart_http_request_duration_seconds",
            "Time from the request's arrival to the last byte of its answer",
            labels,
            buckets=BUCKETS,
            registry=self.registry,
        )
        self._rate_limited = Counter(
            "s2cart_rate_limited", "Requests refused with 429", ("route", "limit_type"), registry=self.registry
        )
        self._payments = Counter(
            "s2cart_payments", "Payments that reached a status", ("gateway", "status"), registry=self.registry
        )
        self._callbacks_rejected = Counter(
            "s2cart_payment_callbacks_rejected",
            "Gateway callbacks refused (bad signature, unknown order, amount mismatch...)",
            ("gateway", "reason"),
            registry=self.registry,
        )
        # labels() costs a lock and string conversions; a request reuses the children of its label set.
        self._children: dict[tuple[str, str, int], tuple[Counter, Histogram]] = {}

    def observe_request(self, method: str, route: str, status: int, seconds: float) -> None:
        key = (method if method in _METHODS else "OTHER", route, status)  # a client's method is unbounded
        children = self._children.get(key)
        if children is None:
            values = (key[0], route, str(status))
            children = (self._requests.labels(*values), self._latency.labels(*values))
            self._children[key] = children
        children[0].inc()
        children[1].observe(seconds)

    def rate_limited(self, route: str, limit_type: str) -> None:
        self._rate_limited.labels(route, limit_type).inc()

    def payment_finished(self, gateway: str, status: str) -> None:
        self._payments.labels(gateway, status).inc()

    def callback_rejected(self, gateway: str, reason: str) -> None:
        self._callbacks_rejected.labels(gateway, reason).inc()

    def exposition(self, gauges: Sequence[Gauge] = ()) -> tuple[bytes, str]:
        """The text a scrape gets: every worker's metrics (or this process's), then the gauges."""
        directory = multiprocess_dir()
        if directory:
            registry = CollectorRegistry()
            MultiProcessCollector(registry, path=directory)
        else:
            registry = self.registry
        snapshot = CollectorRegistry()
        snapshot.register(_Snapshot(gauges))  # type: ignore[arg-type]
        return generate_latest(registry) + generate_latest(snapshot), CONTENT_TYPE_LATEST
