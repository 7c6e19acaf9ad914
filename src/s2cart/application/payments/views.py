"""What the payment pages and answers return, shaped for the contract, free of gateway secrets."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any


@dataclass(frozen=True)
class PaymentData:
    """What the client SDK needs to take the customer to the gateway."""

    gateway: str
    merchant_id: str
    gateway_order_id: str
    amount: Decimal
    callback_url: str
    token: str | None = None  # Paytm txnToken
    redirect_url: str | None = None  # PhonePe pay page


@dataclass(frozen=True)
class StartedPayment:
    payment_id: int
    transaction_id: str
    order_id: int
    amount: Decimal
    currency: str
    gateway: str
    payment_data: PaymentData
    expires_at: datetime


@dataclass(frozen=True)
class PaymentStatusView:
    payment_id: int
    order_id: int
    transaction_id: str
    status: str
    amount: Decimal
    gateway: str
    gateway_transaction_id: str | None
    completed_at: datetime | None
    created_at: datetime
    last_checked_at: datetime | None
    failure_reason: str | None


@dataclass(frozen=True)
class TransactionView:
    id: int
    action: str
    status: str
    amount: Decimal
    created_at: datetime


@dataclass(frozen=True)
class PaymentHistoryView:
    id: int
    transaction_id: str
    amount: Decimal
    currency: str
    status: str
    payment_type: str | None
    gateway_name: str
    gateway_transaction_id: str | None
    order_id: int
    created_at: datetime
    completed_at: datetime | None
    billing_address_details: dict[str, Any]
    transactions: tuple[TransactionView, ...]


@dataclass(frozen=True)
class HistoryFilter:
    status: str | None = None
    payment_type: str | None = None
    from_date: date | None = None
    to_date: date | None = None


@dataclass(frozen=True)
class CardView:
    id: int
    card_type: str
    last_four: str
    expiry_month: int
    expiry_year: int
    card_holder_name: str
    card_nickname: str | None
    is_default: bool
    created_at: datetime


@dataclass(frozen=True)
class UpiView:
    id: int
    upi_id: str
    upi_nickname: str | None
    is_default: bool
    created_at: datetime
