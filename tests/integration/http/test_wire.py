"""The wire rules, written once (wire.py): Decimal as a JSON number, times in whole UTC seconds, at any depth."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal

from s2cart.entrypoints.http.envelope import success
from s2cart.entrypoints.http.wire import WireResponse, encode

AT = datetime(2025, 1, 20, 10, 30, 0, 123456, tzinfo=UTC)


@dataclass(frozen=True)
class Line:
    price: Decimal
    at: datetime


@dataclass(frozen=True)
class Holder:
    total: Decimal
    lines: tuple[Line, ...]
    extra: dict[str, object]


def test_decimal_is_a_number_and_time_has_whole_seconds_at_any_depth() -> None:
    body = Holder(
        total=Decimal("1250.50"),
        lines=(Line(Decimal("1000.00"), AT),),
        extra={"nested": [Decimal("0.10")], "when": AT, "missing": None},
    )
    assert encode(success(body)) == (
        b'{"status":"success","code":200,"message":"Operation completed successfully","data":'
        b'{"total":1250.5,"lines":[{"price":1000.0,"at":"2025-01-20T10:30:00Z"}],'
        b'"extra":{"nested":[0.1],"when":"2025-01-20T10:30:00Z","missing":null}}}'
    )


def test_the_bytes_match_what_the_old_float_fields_wrote() -> None:
    for text in ("0.01", "19.076000", "1250.50", "9999999999.99", "100", "0.00"):
        assert encode(Decimal(text)) == encode(float(Decimal(text)))


def test_bodies_that_are_not_json_render_as_litestar_renders_them() -> None:
    assert WireResponse(b"raw").render(b"raw", "text/plain") == b"raw"
    assert WireResponse("text").render("text", "text/plain") == b"text"
