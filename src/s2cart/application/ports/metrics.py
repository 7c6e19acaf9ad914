"""What the application counts for operators; the adapter decides how it is exposed (Prometheus)."""

from __future__ import annotations

from typing import Protocol


class PaymentMetrics(Protocol):
    """Counters the payment flows move. Labels are closed sets chosen by the caller (a gateway name such as
    ``PAYTM``, a payment status such as ``SUCCESS``, a reason such as ``bad_signature``), never request data."""

    def payment_finished(self, gateway: str, status: str) -> None: ...

    def callback_rejected(self, gateway: str, reason: str) -> None: ...
