"""The payment endpoints' wire format: the contract's shapes; amounts are JSON numbers except where the
contract writes them as strings (initiate's ``amount`` and Paytm's ``payment_data.amount``)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated

import msgspec

from s2cart.application.payments.views import PaymentStatusView, StartedPayment
from s2cart.domain.payments.amounts import rupee_text

Id = Annotated[int, msgspec.Meta(ge=1, le=2**31 - 1)]


class InitiatePaymentIn(msgspec.Struct, kw_only=True):
    order_id: Id
    # Free text, so an unknown or disabled gateway is the contract's PAY_002 rather than a validation error.
    payment_method: Annotated[str, msgspec.Meta(min_length=1, max_length=20)]


class PaymentDataOut(msgspec.Struct, kw_only=True, omit_defaults=True):
    """What the client SDK needs: Paytm ``mid``/``token``; PhonePe ``redirect_url``. ``order_id`` is the
    gateway-side id of this attempt for both (Paytm ``orderId``, PhonePe ``merchantTransactionId``)."""

    order_id: str
    amount: str
    callback_url: str
    test_mode: bool  # always false: S2Cart has no test mode, only simulators behind the same protocol
    mid: str | None = None
    token: str | None = None
    merchant_id: str | None = None
    redirect_url: str | None = None


class StartedPaymentOut(msgspec.Struct, kw_only=True):
    payment_id: int
    transaction_id: str
    order_id: int
    amount: str
    currency: str
    payment_method: str
    payment_data: PaymentDataOut
    expires_at: datetime
    callback_required: bool = True


def started_out(started: StartedPayment) -> StartedPaymentOut:
    data = started.payment_data
    paytm = data.gateway == "PAYTM"
    return StartedPaymentOut(
        payment_id=started.payment_id,
        transaction_id=started.transaction_id,
        order_id=started.order_id,
        amount=rupee_text(started.amount),
        currency=started.currency,
        payment_method=started.gateway,
        payment_data=PaymentDataOut(
            order_id=data.gateway_order_id,
            amount=rupee_text(data.amount),
            callback_url=data.callback_url,
            test_mode=False,
            mid=data.merchant_id if paytm else None,
            token=data.token,
            merchant_id=None if paytm else data.merchant_id,
            redirect_url=data.redirect_url,
        ),
        expires_at=started.expires_at,
    )


class PaymentStatusOut(msgspec.Struct, kw_only=True):
    payment_id: int
    order_id: int
    transaction_id: str
    status: str
    amount: Decimal
    gateway_transaction_id: str | None
    payment_method: str
    completed_at: datetime | None


def status_out(view: PaymentStatusView) -> PaymentStatusOut:
    return PaymentStatusOut(
        payment_id=view.payment_id,
        order_id=view.order_id,
        transaction_id=view.transaction_id,
        status=view.status,
        amount=view.amount,
        gateway_transaction_id=view.gateway_transaction_id,
        payment_method=view.gateway,
        completed_at=view.completed_at,
    )


class CallbackAckOut(msgspec.Struct, kw_only=True):
    """``applied``, ``already_processed``, ``ignored`` (no such attempt) or ``unconfirmed`` (the status API
    does not report that outcome yet)."""

    result: str
