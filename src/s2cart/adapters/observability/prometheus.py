"""Prometheus metrics of one process, and their exposition for the whole service.

Each ``PrometheusMetrics`` owns a registry of its own, so several apps in one process (tests) never
collide. When ``PROMETHEUS_MULTIPROC_DIR`` is set (``s2cart serve`` with several workers sets it before any
worker starts), prometheus_client writes every value to per-process files in that directory and a scrape,
answered by whichever worker accepted it, sums the files of all workers.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    start_http_server,
)
from prometheus_client import Gauge as ProcessGauge
from prometheus_client.metrics_core import GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector

from s2cart.application.ports.metrics import Gauge

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
# Latency buckets (seconds) around what a shopping API should answer in: 1 ms to 10 s.
BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
# A gateway call takes tens of milliseconds to seconds; the adapters give up at 30 s.
GATEWAY_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


class _Snapshot:
    def __init__(self, gauges: Iterable[Gauge]) -> None:
        self._gauges = tuple(gauges)

    def collect(self) -> Iterator[Metric]:
        for gauge in self._gauges:
            yield GaugeMetricFamily(gauge.name, gauge.documentation, value=gauge.value)


def multiprocess_dir() -> str | None:
    return os.environ.get(MULTIPROC_ENV) or None


class PrometheusMetrics:
    """HTTP request metrics, rate-limit refusals, the payment counters (``PaymentMetrics``) and gateway
    call latency (``GatewayCallObserver``)."""

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
            "s2cart_payments",
            "Payment attempts a gateway's verdict (or the 20-minute horizon) settled, by final state",
            ("gateway", "status"),
            registry=self.registry,
        )
        self._callbacks_rejected = Counter(
            "s2cart_payment_callbacks_rejected",
            "Gateway notifications that changed nothing: invalid_signature, invalid_callback, mismatch, "
            "unknown_payment",
            ("gateway", "reason"),
            registry=self.registry,
        )
        self._refunds = Counter(
            "s2cart_refunds", "Refunds requested and settled", ("gateway", "state"), registry=self.registry
        )
        self._reconcile_runs = Counter(
            "s2cart_reconcile_runs", "Reconciler rounds completed (in the reconciler's process)", registry=self.registry
        )
        self._reconcile_last = ProcessGauge(
            "s2cart_reconcile_last_run_timestamp_seconds",
            "When the reconciler last completed a round (Unix time)",
            registry=self.registry,
            multiprocess_mode="max",
        )
        self._gateway_latency = Histogram(
            "s2cart_gateway_request_duration_seconds",
            "Time a gateway took to answer one call (or to fail), by operation",
            ("gateway", "operation"),
            buckets=GATEWAY_BUCKETS,
            registry=self.registry,
        )
        lookups = Counter(
            "s2cart_search_cache_lookups",
            "Product searches answered from the search cache (result=hit) or read from the database (miss)",
            ("result",),
            registry=self.registry,
        )
        self._search_cache = (lookups.labels("miss"), lookups.labels("hit"))
        rankings = Counter(
            "s2cart_search_rankings_lookups",
            "Product searches read from the database, by what the kept ranking did: hit (page read by key), miss "
            "(full query, ranking kept), stale (catalog changed: full query), bypass (stock filter, deep page, off)",
            ("result",),
            registry=self.registry,
        )
        self._search_rankings = {result: rankings.labels(result) for result in ("hit", "miss", "stale", "bypass")}
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

    def search_cache_lookup(self, hit: bool) -> None:
        self._search_cache[hit].inc()

    def search_ranking_lookup(self, result: str) -> None:
        self._search_rankings[result].inc()

    def rate_limited(self, route: str, limit_type: str) -> None:
        self._rate_limited.labels(route, limit_type).inc()

    def payment_settled(self, gateway: str, state: str) -> None:
        self._payments.labels(gateway, state).inc()

    def callback_rejected(self, gateway: str, reason: str) -> None:
        self._callbacks_rejected.labels(gateway, reason).inc()

    def refund_changed(self, gateway: str, state: str) -> None:
        self._refunds.labels(gateway, state).inc()

    def reconcile_finished(self) -> None:
        self._reconcile_runs.inc()
        self._reconcile_last.set_to_current_time()

    def gateway_call(self, gateway: str, operation: str, seconds: float) -> None:
        self._gateway_latency.labels(gateway, operation).observe(seconds)

    def serve(self, host: str, port: int) -> None:
        """Expose this process's metrics on their own port (the reconciler has no HTTP server of its own)."""
        start_http_server(port, addr=host, registry=self.registry)

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
