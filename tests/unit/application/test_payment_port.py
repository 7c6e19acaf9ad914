"""The port's request types guard what every gateway needs, so an adapter never sends a bad amount or id."""

from __future__ import annotations

from decimal import Decimal

import pytest

from s2cart.application.errors import (
    ApplicationError,
    GatewayRejected,
    GatewayUnavailable,
    InvalidCallback,
    InvalidSignature,
)
from s2cart.application.ports.payments import (
    InboundCallback,
    InitiateRequest,
    RefundRequest,
    StatusQuery,
)


def initiate(**overrides: object) -> InitiateRequest:
    values: dict[str, object] = {
        "gateway_order_id": "PAY_42_1700000000",
        "amount": Decimal("499.00"),
        "customer_id": "USER_7",
        "callback_url": "http://127.0.0.1:8000/cb",
        "redirect_url": "http://127.0.0.1:8000/back",
    }
    values.update(overrides)
    return InitiateRequest(**values)  # type: ignore[arg-type]


def test_a_well_formed_request_is_accepted() -> None:
    assert initiate().amount == Decimal("499.00")


@pytest.mark.parametrize(
    "overrides",
    [
        {"amount": Decimal("499.001")},
        {"amount": Decimal("0.00")},
        {"amount": Decimal("-1.00")},
        {"gateway_order_id": "X" * 35},  # PhonePe allows under 35
        {"gateway_order_id": "ORD 42"},
        {"gateway_order_id": "ORD.42"},  # Paytm allows '.', PhonePe does not
        {"customer_id": ""},
    ],
)
def test_requests_a_gateway_would_refuse_are_refused_here(overrides: dict[str, object]) -> None:
    with pytest.raises(ValueError, match=r"amount|must be"):
        initiate(**overrides)


def test_status_queries_name_a_gateway_id_only_in_the_gateways_rules() -> None:
    with pytest.raises(ValueError, match="gateway_order_id"):
        StatusQuery("PAY 1")
    assert StatusQuery("PAY_1").gateway_order_id == "PAY_1"


def test_refunds_need_whole_paise() -> None:
    with pytest.raises(ValueError, match="amount"):
        RefundRequest("REF_1", "PAY_1", "TXN1", Decimal("0.005"), "USER_7")


def test_callback_headers_are_found_in_any_case() -> None:
    callback = InboundCallback(b"{}", {"x-verify": "abc###1"})
    assert callback.header("X-VERIFY") == "abc###1"
    assert callback.header("Content-Type") is None


def test_gateway_errors_carry_stable_codes_and_safe_messages() -> None:
    errors = [GatewayUnavailable("PAYTM", "TIMEOUT"), GatewayRejected("PHONEPE", "code BAD_REQUEST")]
    errors += [InvalidCallback("PAYTM", "x"), InvalidSignature("PAYTM", "x")]
    assert [e.code for e in errors] == ["PAY_503", "PAY_001", "PAY_400", "PAY_401"]
    assert all(isinstance(e, ApplicationError) and "PAYTM" not in e.message for e in errors)
    assert isinstance(errors[3], InvalidCallback)
    assert (errors[0].gateway, errors[0].detail) == ("PAYTM", "TIMEOUT")
