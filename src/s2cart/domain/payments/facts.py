"""What a gateway said about one of its transactions, as facts, before S2Cart judges anything.

Two vocabularies, and only two, describe a payment:
- ``GatewayState``: what the gateway said (here).
- ``PaymentState`` (``payment.py``): what S2Cart believes about the attempt, decided by the ``Payment``
  aggregate from these facts, its own amount and ids, and the use case's clock.

An adapter never decides whether a payment is complete, failed or expired, never compares amounts and never
reads a clock: it translates the gateway's protocol into ``GatewayFacts`` and stops there.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class GatewayState(StrEnum):
    """The gateway's answer about one transaction (an initiation, a payment, or a refund)."""

    SUCCESS = "SUCCESS"  # initiate accepted; paid (Paytm TXN_SUCCESS, PhonePe COMPLETED); refunded
    FAILURE = "FAILURE"  # initiate rejected; payment failed or declined; refund refused
    PENDING = "PENDING"  # the gateway is still working on it
    NOT_FOUND = "NOT_FOUND"  # the gateway has no record of the id (Paytm 331/631, PhonePe TRANSACTION_NOT_FOUND)
    UNKNOWN = "UNKNOWN"  # nothing definite: no answer, a 5xx, an unreadable or unverifiable reply, Paytm 501


@dataclass(frozen=True)
class GatewayFacts:
    """One answer from a gateway, verbatim: the reply to initiate, a status read, a verified callback
    or webhook, a refund or a refund status read.

    Every field is as the gateway reported it; ``None`` means the gateway did not say. Ids are never
    copied in from the request, so the ``Payment`` can check that the gateway talks about the right
    transaction of the right merchant for the right amount.

    - ``gateway``: the adapter's name (``PAYTM``, ``PHONEPE``).
    - ``state``: what the gateway said (see ``GatewayState``).
    - ``gateway_order_id``: S2Cart's id for the transaction at the gateway, as the gateway echoed it: the
      attempt's id (Paytm ``orderId``, PhonePe v1 ``merchantTransactionId``, v2 ``merchantOrderId``), or
      the refund's id for refund answers. ``None`` when the answer did not name it.
    - ``merchant_id``: the merchant the gateway says the transaction belongs to (Paytm ``mid``, PhonePe
      ``merchantId``). A protocol whose calls are authenticated per merchant and whose replies carry no
      merchant id (PhonePe v2) reports the merchant it authenticated as.
    - ``amount_paise``: the amount in integer paise (Paytm's rupee text converted exactly).
    - ``transaction_id``: the gateway's own id for the transaction (Paytm ``TXNID``/``refundId``,
      PhonePe ``transactionId``); Paytm needs it to refund.
    - ``mode``: the payment instrument as the gateway names it (``UPI``, ``CC``, ``NB`` ...).
    - ``code`` / ``message``: the gateway's result code and message (or, when the gateway did not answer,
      why: ``TIMEOUT``, ``NETWORK``, ``HTTP_5xx``, ``BAD_REPLY``, ``DEADLINE``).
    - ``token`` / ``redirect_url``: what the customer's client needs after an accepted initiation (Paytm
      ``txnToken``; PhonePe's pay page).
    """

    gateway: str
    state: GatewayState
    gateway_order_id: str | None = None
    merchant_id: str | None = None
    amount_paise: int | None = None
    transaction_id: str | None = None
    mode: str | None = None
    code: str | None = None
    message: str | None = None
    token: str | None = None
    redirect_url: str | None = None

    def __post_init__(self) -> None:
        paise = self.amount_paise
        if paise is not None and (isinstance(paise, bool) or not isinstance(paise, int) or paise < 0):
            raise ValueError("amount_paise must be a non-negative int")

    @classmethod
    def unanswered(cls, gateway: str, reason: str) -> GatewayFacts:
        """Nothing was learned (timeout, network, 5xx, unreadable reply, the request's deadline)."""
        return cls(gateway, GatewayState.UNKNOWN, code=reason)
