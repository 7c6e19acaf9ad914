"""The payment gateway port: one conversation shape for Paytm, PhonePe (v1 and v2) and whatever comes next.

Adapters report facts; they do not judge. Every answer is a ``GatewayFacts`` (``domain/payments/facts.py``):
what the gateway said, with the ids, merchant and amount (paise) exactly as it reported them. The ``Payment``
aggregate decides what the facts mean (amount and ids match, expiry on the use case's clock, what a callback's
claim may confirm); an adapter never compares amounts and never reads a clock.

Requests carry ``Decimal`` rupees quantized to 0.01. Each attempt is identified at the gateway by a
``gateway_order_id`` S2Cart chose (Paytm ``orderId``, PhonePe v1 ``merchantTransactionId``, v2 ``merchantOrderId``).

Failure policy, identical for every adapter:
- Writes (``initiate``, ``refund``) are sent once. A timeout, 5xx or unreadable reply is reported as facts with
  state UNKNOWN (``GatewayFacts.unanswered``): the gateway may have acted, so the caller reconciles through
  the status reads.
- Reads (``fetch_status``, ``fetch_refund_status``) may be retried once. When nothing could be learned they
  raise ``GatewayUnavailable``; when the gateway refuses S2Cart's credentials, ``GatewayRejected``.
- ``verify_callback`` checks the signature (or the cheapest check that rejects a forgery) before any costly or
  fragile parsing, bounds what it parses, and raises ``InvalidSignature`` or ``InvalidCallback`` (never
  anything else) for whatever it cannot verify or read; it never trusts an unverified field. Its facts are the
  notification's claim: a hint, believed only once the status read confirms it.
- Adapters keep their own (long) network timeouts, fit for the reconciler. A customer's request bounds its
  gateway calls with one deadline of its own (the application cancels the call); an adapter must tolerate
  being cancelled mid-call (httpx does).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal, Protocol

from s2cart.domain.payments.amounts import rupees
from s2cart.domain.payments.facts import GatewayFacts

GatewayName = Literal["PAYTM", "PHONEPE"]

# The narrower of both gateways' rules (PhonePe: under 35 of [A-Za-z0-9_-]; Paytm: 50 of [A-Za-z0-9@-_.]).
GATEWAY_ID = re.compile(r"[A-Za-z0-9_-]{1,34}")


def _check_id(name: str, value: str) -> None:
    if not GATEWAY_ID.fullmatch(value):
        raise ValueError(f"{name} must be 1-34 characters of A-Z a-z 0-9 _ -")


def _check_amount(amount: Decimal) -> None:
    if rupees(amount) != amount or amount <= 0:
        raise ValueError("amount must be a positive Decimal quantized to 0.01")


@dataclass(frozen=True)
class InitiateRequest:
    gateway_order_id: str  # unique per attempt
    amount: Decimal
    customer_id: str  # Paytm custId, PhonePe merchantUserId
    callback_url: str  # server-to-server notification target
    redirect_url: str  # where the customer's browser returns (PhonePe; Paytm uses callback_url)
    mobile: str | None = None

    def __post_init__(self) -> None:
        _check_id("gateway_order_id", self.gateway_order_id)
        _check_id("customer_id", self.customer_id)
        _check_amount(self.amount)


@dataclass(frozen=True)
class StatusQuery:
    """What to ask about: the attempt's id at the gateway. Nothing else: the answer is judged by the Payment."""

    gateway_order_id: str

    def __post_init__(self) -> None:
        _check_id("gateway_order_id", self.gateway_order_id)


@dataclass(frozen=True)
class InboundCallback:
    """A notification exactly as it arrived: raw body bytes and headers (names in any case)."""

    body: bytes
    headers: Mapping[str, str] = field(default_factory=dict)

    def header(self, name: str) -> str | None:
        wanted = name.lower()
        return next((v for k, v in self.headers.items() if k.lower() == wanted), None)


@dataclass(frozen=True)
class RefundRequest:
    refund_id: str  # unique per refund (Paytm refId, PhonePe refund merchantTransactionId)
    gateway_order_id: str  # the captured attempt
    gateway_txn_id: str  # the gateway's id of the captured payment (``GatewayFacts.transaction_id``)
    amount: Decimal
    customer_id: str
    callback_url: str | None = None

    def __post_init__(self) -> None:
        _check_id("refund_id", self.refund_id)
        _check_id("gateway_order_id", self.gateway_order_id)
        _check_id("customer_id", self.customer_id)
        _check_amount(self.amount)


@dataclass(frozen=True)
class RefundStatusQuery:
    refund_id: str
    gateway_order_id: str

    def __post_init__(self) -> None:
        _check_id("refund_id", self.refund_id)
        _check_id("gateway_order_id", self.gateway_order_id)


class PaymentGateway(Protocol):
    @property
    def name(self) -> GatewayName: ...

    @property
    def merchant_id(self) -> str:
        """S2Cart's merchant id at this gateway: what its facts' ``merchant_id`` must equal to be believed."""
        ...

    async def initiate(self, request: InitiateRequest) -> GatewayFacts:
        """SUCCESS with ``token`` or ``redirect_url`` (accepted), FAILURE (rejected), or UNKNOWN."""
        ...

    async def fetch_status(self, query: StatusQuery) -> GatewayFacts:
        """The gateway's status of the attempt; raises ``GatewayUnavailable`` / ``GatewayRejected``."""
        ...

    def verify_callback(self, callback: InboundCallback) -> GatewayFacts:
        """The notification's claim, once verified; raises ``InvalidSignature`` / ``InvalidCallback`` only."""
        ...

    async def refund(self, request: RefundRequest) -> GatewayFacts:
        """SUCCESS (refunded), FAILURE (refused), PENDING, or UNKNOWN (may be registered: ask its status)."""
        ...

    async def fetch_refund_status(self, query: RefundStatusQuery) -> GatewayFacts:
        """The refund's status; raises ``GatewayUnavailable`` / ``GatewayRejected``."""
        ...
