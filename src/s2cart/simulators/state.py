"""What a simulator remembers: orders, refunds, scripts, faults, and every request and notification.

Scripted behaviour, most specific first: a scenario for the order, the ``*`` scenario, then the last two
paise digits of the amount (``..01`` fails, ``..02`` stays pending, ``..03`` is pending for one status call
and then succeeds, ``..04`` makes the status API hang), and otherwise success.
"""

from __future__ import annotations

import itertools
import re
import secrets
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, fields
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

OUTCOMES = frozenset({"success", "failure", "pending", "pending_then_success", "pending_then_failure"})
DELIVERIES = frozenset({"callback", "webhook", "both", "none", "duplicate", "late"})
REFUND_OUTCOMES = frozenset({"success", "failure", "pending"})
FAULT_MODES = frozenset({"http_500", "timeout", "malformed_json", "drop"})
ENDPOINTS = frozenset({"token", "initiate", "pay", "status", "refund", "refund_status"})


@dataclass
class Scenario:
    outcome: str = "success"
    deliver: str = "callback"
    delay_ms: int = 0  # wait before notifying
    amount_override: str | None = None  # rupees the gateway reports instead of the real amount
    tamper_signature: bool = False  # notifications carry a corrupted signature
    wrong_mid: bool = False  # notifications and status replies name another merchant
    pending_polls: int = 1  # status calls answered PENDING before a pending_then_* settles
    refund_outcome: str = "success"  # how refunds end once asked about
    webhook_url: str | None = None  # Paytm's dashboard-configured webhook
    status_hangs: bool = False  # the status API holds every reply for this order

    @classmethod
    def parse(cls, data: dict[str, Any], base: Scenario | None = None) -> Scenario:
        known = {f.name for f in fields(cls)}
        unknown = set(data) - known - {"order_id"}
        if unknown:
            raise ValueError(f"unknown scenario fields: {sorted(unknown)}")
        values = {**asdict(base or cls()), **{k: v for k, v in data.items() if k in known}}
        scenario = cls(**values)
        if scenario.outcome not in OUTCOMES:
            raise ValueError(f"outcome must be one of {sorted(OUTCOMES)}")
        if scenario.deliver not in DELIVERIES:
            raise ValueError(f"deliver must be one of {sorted(DELIVERIES)}")
        if scenario.refund_outcome not in REFUND_OUTCOMES:
            raise ValueError(f"refund_outcome must be one of {sorted(REFUND_OUTCOMES)}")
        if scenario.amount_override is not None and not re.fullmatch(r"\d{1,9}\.\d{2}", scenario.amount_override):
            raise ValueError("amount_override must be rupees with two decimals, e.g. '1.00'")
        return scenario


@dataclass
class Fault:
    mode: str
    count: int


@dataclass
class Notification:
    order_id: str
    url: str
    body: str
    headers: dict[str, str]
    sent_at: str
    status_code: int | None = None
    error: str | None = None


@dataclass
class Order:
    order_id: str
    amount: Decimal
    customer_id: str
    callback_url: str
    token: str
    request_text: str  # the exact signed request, to tell a retry from a conflicting re-use
    created_at: datetime
    redirect_url: str | None = None
    redirect_mode: str | None = None
    state: str = "CREATED"  # CREATED, PENDING, SUCCESS, FAILURE
    settles_to: str | None = None  # where a pending_then_* payment goes
    pending_polls_left: int = 0
    txn_id: str | None = None
    paid_at: datetime | None = None
    refunded: Decimal = Decimal("0.00")
    scenario: Scenario = field(default_factory=Scenario)
    last_notification: Notification | None = None
    protocol: str = "v1"  # PhonePe: which API created the order, so it is notified in kind


@dataclass
class Refund:
    refund_id: str
    order_id: str
    amount: Decimal
    gateway_refund_id: str
    created_at: datetime
    outcome: str
    state: str = "PENDING"  # PENDING, SUCCESS, FAILURE


class Ledger:
    def __init__(
        self,
        clock: Callable[[], datetime] | None = None,
        new_id: Callable[[str], str] | None = None,
    ) -> None:
        self.clock = clock or (lambda: datetime.now(UTC))
        self._counter = itertools.count(1)
        self.new_id = new_id or self._default_id
        self.orders: dict[str, Order] = {}
        self.refunds: dict[str, Refund] = {}
        self.scenarios: dict[str, Scenario] = {}
        self.faults: dict[str, Fault] = {}
        self.requests: list[dict[str, Any]] = []
        self.notifications: list[Notification] = []

    def _default_id(self, prefix: str) -> str:
        return f"{prefix}{self.clock():%Y%m%d%H%M%S}{next(self._counter):06d}{secrets.token_hex(3)}"

    def reset(self) -> None:
        for store in (self.orders, self.refunds, self.scenarios, self.faults):
            store.clear()
        self.requests.clear()
        self.notifications.clear()

    def scenario_for(self, order: Order) -> Scenario:
        chosen = self.scenarios.get(order.order_id) or self.scenarios.get("*")
        if chosen is not None:
            return chosen
        digits = int(order.amount.scaleb(2)) % 100
        by_amount: dict[int, dict[str, Any]] = {
            1: {"outcome": "failure"},
            2: {"outcome": "pending"},
            3: {"outcome": "pending_then_success"},
            4: {"status_hangs": True},
        }
        return Scenario.parse(by_amount.get(digits, {}))

    def take_fault(self, endpoint: str) -> Fault | None:
        fault = self.faults.get(endpoint)
        if fault is None or fault.count <= 0:
            return None
        fault.count -= 1
        return fault

    def settle(self, order: Order, scenario: Scenario, now: datetime) -> None:
        """The customer has paid (or tried): fix the order's outcome as the scenario says."""
        order.scenario = scenario
        order.paid_at = now
        order.txn_id = order.txn_id or self.new_id("TXN")
        order.settles_to = None
        if scenario.outcome == "success":
            order.state = "SUCCESS"
        elif scenario.outcome == "failure":
            order.state = "FAILURE"
        else:
            order.state = "PENDING"
            if scenario.outcome.startswith("pending_then_"):
                order.settles_to = "SUCCESS" if scenario.outcome.endswith("success") else "FAILURE"
                order.pending_polls_left = max(0, scenario.pending_polls)

    def poll(self, order: Order) -> str:
        """The state a status call reports; a pending_then_* payment settles after its pending polls."""
        if order.settles_to is not None:
            if order.pending_polls_left > 0:
                order.pending_polls_left -= 1
            else:
                order.state, order.settles_to = order.settles_to, None
        return order.state

    def poll_refund(self, refund: Refund) -> str:
        if refund.state == "PENDING" and refund.outcome != "pending":
            refund.state = "SUCCESS" if refund.outcome == "success" else "FAILURE"
        return refund.state
