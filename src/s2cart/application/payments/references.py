"""Fresh, unguessable ids for attempts and refunds, within the gateways' id rules (34 of [A-Za-z0-9_-])."""

from __future__ import annotations

import secrets

from s2cart.domain.payments.attempts import References


def _digits() -> str:
    return f"{secrets.randbelow(10**10):010d}"


def attempt_references(gateway: str, order_id: int, retry: bool = False) -> References:
    """``TXN_PAYTM_1_0123456789`` (``TXN_RETRY_...`` for a retry) and ``ORD_PAYTM_1_0123456789``,
    as the contract's examples show them."""
    digits = _digits()
    prefix = "TXN_RETRY" if retry else f"TXN_{gateway}"
    return References(f"{prefix}_{order_id}_{digits}", f"ORD_{gateway}_{order_id}_{digits}")


def refund_reference(payment_id: int) -> str:
    return f"RFD_{payment_id}_{_digits()}"
