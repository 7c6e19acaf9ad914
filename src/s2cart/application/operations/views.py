"""The rows of the operator's lists (``s2cart orders|support|users|payments list``): across all customers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal


@dataclass(frozen=True)
class OrderFilter:
    status: str | None = None
    since: datetime | None = None
    email_key: str | None = None
    limit: int = 50


@dataclass(frozen=True)
class TicketFilter:
    status: str | None = None
    limit: int = 50


@dataclass(frozen=True)
class UserFilter:
    unverified: bool = False
    locked_at: datetime | None = None  # only accounts locked at this moment
    limit: int = 50


@dataclass(frozen=True)
class PaymentFilter:
    status: str | None = None
    gateway: str | None = None
    limit: int = 50


@dataclass(frozen=True)
class OrderRow:
    id: int
    order_number: str
    email: str
    status: str
    total_amount: Decimal
    order_date: datetime
    paid_at: datetime | None


@dataclass(frozen=True)
class TicketRow:
    id: int
    email: str
    status: str
    priority: str
    category: str
    subject: str
    messages: int
    updated_at: datetime


@dataclass(frozen=True)
class UserRow:
    id: int
    email: str
    username: str
    is_verified: bool
    is_active: bool
    tier: str
    failed_login_attempts: int
    locked_until: datetime | None
    date_joined: datetime
    last_login: datetime | None


@dataclass(frozen=True)
class PaymentRow:
    id: int
    order_number: str
    email: str
    gateway: str
    status: str
    amount: Decimal
    refunded_amount: Decimal | None  # what a refund gave back (or asks for, while REFUND_PENDING)
    gateway_order_id: str
    created_at: datetime
