"""What the application counts for operators; the adapter decides how it is exposed (Prometheus).

Calls sit where the thing happens (Settlement, the callback use case, Refunds, the reconciler) and pass
closed sets only: a gateway name such as ``PAYTM``, an S2Cart state such as ``COMPLETED``, a ``Rejection``.
Metric names, label names and buckets belong to the adapter.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol


class Rejection(StrEnum):
    """Why a gateway's notification changed nothing."""

    INVALID_SIGNATURE = "invalid_signature"  # 401: forged, or the key is wrong
    INVALID_CALLBACK = "invalid_callback"  # 400: malformed, or names another merchant
    MISMATCH = "mismatch"  # 400: amount or transaction id disagrees with the attempt
    UNKNOWN_PAYMENT = "unknown_payment"  # acknowledged, ignored: no attempt has this id


@dataclass(frozen=True)
class Gauge:
    """A value measured at scrape time (a database count), rendered by the adapter beside the process metrics."""

    name: str
    documentation: str
    value: float


class PaymentMetrics(Protocol):
    def payment_settled(self, gateway: str, state: str) -> None:
        """A gateway's verdict (or S2Cart giving up at the horizon) moved an attempt to ``state``."""

    def callback_rejected(self, gateway: str, reason: Rejection) -> None: ...

    def refund_changed(self, gateway: str, state: str) -> None:
        """A refund was requested (``REQUESTED``) or settled (``COMPLETED``, ``FAILED``)."""

    def reconcile_finished(self) -> None:
        """One reconciler round went through (its runs and last-run time live in its own process)."""


class NoPaymentMetrics:
    """Counts nothing: the default where no adapter is wired (the container always wires Prometheus)."""

    def payment_settled(self, gateway: str, state: str) -> None:
        pass

    def callback_rejected(self, gateway: str, reason: Rejection) -> None:
        pass

    def refund_changed(self, gateway: str, state: str) -> None:
        pass

    def reconcile_finished(self) -> None:
        pass


NO_METRICS: PaymentMetrics = NoPaymentMetrics()


class SearchCacheMetrics(Protocol):
    def search_cache_lookup(self, hit: bool) -> None:
        """A product search was answered from the search cache (``hit``) or read from the database."""


class NoSearchCacheMetrics:
    def search_cache_lookup(self, hit: bool) -> None:
        pass


class SearchRankingMetrics(Protocol):
    def search_ranking_lookup(self, result: str) -> None:
        """A product search that missed the search cache, by what its kept ranking did: ``hit`` (a page read by
        key), ``miss`` (no ranking: the full query, kept), ``stale`` (the catalog moved on: dropped, full query),
        ``bypass`` (never kept: stock filter, a page beyond the kept positions, or off)."""


class NoSearchRankingMetrics:
    def search_ranking_lookup(self, result: str) -> None:
        pass


class SearchMetrics(SearchCacheMetrics, SearchRankingMetrics, Protocol):
    """What the product search's two layers report."""
