"""Business refusals of the payment flows, each with a stable code (the contract's PAY_001..003 and more)."""

from __future__ import annotations

from s2cart.domain.shared.errors import Conflict, NotFound, ValidationFailed


class PaymentRejected(ValidationFailed):
    """The gateway refused to start the payment; the attempt is FAILED and may be retried."""

    code = "PAY_001"
    default_message = "Payment failed"

    def __init__(self, gateway: str, detail: str | None = None) -> None:
        reason = f"{gateway} refused the payment" + (f": {detail[:120]}" if detail else ".")
        super().__init__(errors={"payment_method": [reason]})


class PaymentMethodUnavailable(ValidationFailed):
    code = "PAY_002"
    default_message = "Invalid payment method"

    def __init__(self, method: str, offered: list[str]) -> None:
        choices = ", ".join(offered) if offered else "none at the moment"
        super().__init__(
            errors={"payment_method": [f"'{method[:20]}' is not offered. Available: {choices}."]},
        )


class PaymentMismatch(ValidationFailed):
    """A verified notification whose order id, transaction id or amount disagrees with the stored attempt."""

    code = "PAY_004"
    default_message = "Payment details do not match"

    def __init__(self, what: str) -> None:
        self.what = what
        super().__init__(errors={"non_field_errors": [f"The notification's {what} does not match the payment."]})


class OrderNotPayable(ValidationFailed):
    code = "PAY_005"
    default_message = "Order cannot be paid"

    def __init__(self, why: str) -> None:
        super().__init__(errors={"order_id": [why]})


class PaymentNotRetryable(ValidationFailed):
    code = "PAY_006"
    default_message = "Only a failed or expired payment can be retried"

    def __init__(self, status: str) -> None:
        super().__init__(errors={"payment_id": [f"A payment that is {status} cannot be retried."]})


class RetryLimitReached(ValidationFailed):
    code = "PAY_007"
    default_message = "Payment retry limit reached"

    def __init__(self, limit: int) -> None:
        super().__init__(errors={"payment_id": [f"An order's payment may be retried at most {limit} times."]})


class AlreadyRetried(Conflict):
    code = "PAY_008"
    default_message = "This payment was already retried"


class RefundNotAllowed(ValidationFailed):
    """An operator's refund the payment's rules refuse (not captured, already refunded, a wrong amount)."""

    default_message = "Refund not allowed"

    def __init__(self, why: str) -> None:
        super().__init__(why, errors={"payment_id": [why]})


class PaymentNotFound(NotFound):
    default_message = "Payment not found"


class CardDataRefused(ValidationFailed):
    """Full card numbers and CVVs never enter S2Cart: the gateway's token and the last four digits do."""

    code = "PAY_010"
    default_message = "Card numbers and CVVs are not accepted"

    def __init__(self, field: str) -> None:
        super().__init__(
            errors={
                field: [
                    "Full card numbers and CVVs are never accepted or stored: send the gateway's card token "
                    "with the brand, last four digits and expiry."
                ]
            }
        )


class PaymentMethodLimit(ValidationFailed):
    code = "PAY_011"
    default_message = "Too many saved payment methods"


class PaymentMethodNotFound(NotFound):
    default_message = "Payment method not found"
