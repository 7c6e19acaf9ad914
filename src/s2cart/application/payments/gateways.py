"""The gateways S2Cart may use now (those with credentials), and the URLs it gives them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from s2cart.application.ports.payments import PaymentGateway
from s2cart.domain.payments.errors import PaymentMethodUnavailable

KNOWN = ("PAYTM", "PHONEPE")


class Gateways:
    def __init__(self, enabled: Mapping[str, PaymentGateway]) -> None:
        self._enabled = dict(enabled)

    def choose(self, method: str) -> PaymentGateway:
        """The client's choice; an unknown or disabled gateway is a 400 (PAY_002)."""
        gateway = self._enabled.get(method.strip().upper())
        if gateway is None:
            raise PaymentMethodUnavailable(method, sorted(self._enabled))
        return gateway

    def get(self, name: str) -> PaymentGateway | None:
        return self._enabled.get(name)


@dataclass(frozen=True)
class PaymentLinks:
    """Where gateways send their notifications and the customer's browser comes back to."""

    api_base_url: str  # e.g. https://api.s2cart.in/api/auth

    def callback_url(self, gateway: str) -> str:
        return f"{self.api_base_url.rstrip('/')}/payments/{gateway.lower()}/callback/"

    @property
    def return_url(self) -> str:
        return f"{self.api_base_url.rstrip('/')}/payments/return/"
