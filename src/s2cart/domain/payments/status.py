"""What a gateway said, read gateway-neutrally, and the S2Cart statuses it leads to."""

from __future__ import annotations

from enum import StrEnum


class PaymentStatus(StrEnum):
    """Statuses a gateway conversation can lead a payment attempt to (the refund flow adds its own)."""

    PENDING = "PENDING"
    COMPLETED = "COMPLETED"
    FAILED = "FAILED"
    EXPIRED = "EXPIRED"


class RefundStatus(StrEnum):
    PENDING = "PENDING"
    COMPLETED = "COMPLETED"
    FAILED = "FAILED"


class InitiateOutcome(StrEnum):
    ACCEPTED = "ACCEPTED"  # Paytm resultStatus S; PhonePe PAYMENT_INITIATED
    REJECTED = "REJECTED"  # Paytm resultStatus F; PhonePe success=false with a definite code
    UNKNOWN = "UNKNOWN"  # timeout, 5xx, unparsable or unverifiable reply: the gateway may have acted


class GatewaySignal(StrEnum):
    """The gateway's verdict on a transaction (a payment or a refund), before S2Cart's own checks."""

    SUCCESS = "SUCCESS"
    FAILURE = "FAILURE"
    PENDING = "PENDING"
    NOT_FOUND = "NOT_FOUND"  # the gateway has no record of the id
    UNKNOWN = "UNKNOWN"  # the gateway answered but could not say (Paytm 501, PhonePe INTERNAL_SERVER_ERROR)


AMOUNT_MISMATCH = "AMOUNT_MISMATCH"
