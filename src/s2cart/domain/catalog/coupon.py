"""Coupons and their pure rules: when one applies, and how much it takes off a subtotal."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from enum import StrEnum

from s2cart.domain.catalog.identifiers import count_problem
from s2cart.domain.shared.errors import ValidationFailed
from s2cart.domain.shared.money import MAX_AMOUNT, ZERO, to_paise

_CODE = re.compile(r"[A-Z0-9][A-Z0-9_-]{0,31}")
HUNDRED = Decimal(100)


class CouponKind(StrEnum):
    PERCENT = "PERCENT"
    FLAT = "FLAT"


class CouponRejection(StrEnum):
    """Why a coupon does not apply; checked in this order, so the first reason is reported."""

    UNKNOWN = "UNKNOWN"
    INACTIVE = "INACTIVE"
    NOT_YET_VALID = "NOT_YET_VALID"
    EXPIRED = "EXPIRED"
    EXHAUSTED = "EXHAUSTED"
    USER_LIMIT_REACHED = "USER_LIMIT_REACHED"
    BELOW_MIN_SUBTOTAL = "BELOW_MIN_SUBTOTAL"


_REJECTION_MESSAGES = {
    CouponRejection.UNKNOWN: "This coupon code does not exist.",
    CouponRejection.INACTIVE: "This coupon is not active.",
    CouponRejection.NOT_YET_VALID: "This coupon is not valid yet.",
    CouponRejection.EXPIRED: "This coupon has expired.",
    CouponRejection.EXHAUSTED: "This coupon has been used up.",
    CouponRejection.USER_LIMIT_REACHED: "You have already used this coupon the maximum number of times.",
    CouponRejection.BELOW_MIN_SUBTOTAL: "The subtotal is below this coupon's minimum.",
}


class CouponRejected(ValidationFailed):
    code = "COUPON_001"
    default_message = "Coupon cannot be applied"

    def __init__(self, reason: CouponRejection) -> None:
        super().__init__(errors={"coupon_code": [_REJECTION_MESSAGES[reason]]})
        self.reason = reason


def normalize_code(raw: str) -> str:
    """Codes are matched case-insensitively: ``save10`` finds ``SAVE10``."""
    return raw.strip().upper()


@dataclass(frozen=True)
class Coupon:
    """A discount code.

    - PERCENT takes ``value`` percent of the subtotal, rounded half-up to paise; FLAT takes ``value``.
    - ``max_discount`` caps either kind; a discount never exceeds the subtotal.
    - Valid from ``valid_from`` (inclusive) until ``valid_until`` (exclusive); unset ends are open.
    - ``usage_limit`` caps uses by everyone, ``per_user_limit`` uses by one user; unset means no cap.
    """

    code: str
    kind: CouponKind
    value: Decimal
    min_subtotal: Decimal | None = None
    max_discount: Decimal | None = None
    valid_from: datetime | None = None
    valid_until: datetime | None = None
    usage_limit: int | None = None
    per_user_limit: int | None = None
    active: bool = True

    def __post_init__(self) -> None:
        errors = _problems(self)
        if errors:
            raise ValidationFailed("Invalid coupon", errors=errors)
        for name in ("valid_from", "valid_until"):
            moment: datetime | None = getattr(self, name)
            if moment is not None:
                object.__setattr__(self, name, moment.astimezone(UTC))

    def rejection(
        self, *, now: datetime, subtotal: Decimal, times_used: int = 0, times_used_by_user: int = 0
    ) -> CouponRejection | None:
        """The first reason the coupon does not apply, or None when it does."""
        if not self.active:
            return CouponRejection.INACTIVE
        if self.valid_from is not None and now < self.valid_from:
            return CouponRejection.NOT_YET_VALID
        if self.valid_until is not None and now >= self.valid_until:
            return CouponRejection.EXPIRED
        if self.usage_limit is not None and times_used >= self.usage_limit:
            return CouponRejection.EXHAUSTED
        if self.per_user_limit is not None and times_used_by_user >= self.per_user_limit:
            return CouponRejection.USER_LIMIT_REACHED
        if self.min_subtotal is not None and subtotal < self.min_subtotal:
            return CouponRejection.BELOW_MIN_SUBTOTAL
        return None

    def is_valid(self, *, now: datetime, subtotal: Decimal, times_used: int = 0, times_used_by_user: int = 0) -> bool:
        return (
            self.rejection(now=now, subtotal=subtotal, times_used=times_used, times_used_by_user=times_used_by_user)
            is None
        )

    def discount_for(self, subtotal: Decimal) -> Decimal:
        """The amount taken off ``subtotal``; eligibility is ``rejection``'s business."""
        if subtotal <= 0:
            return ZERO
        raw = to_paise(subtotal * self.value / HUNDRED) if self.kind is CouponKind.PERCENT else self.value
        if self.max_discount is not None:
            raw = min(raw, self.max_discount)
        return to_paise(min(raw, subtotal))

    def apply(self, *, now: datetime, subtotal: Decimal, times_used: int = 0, times_used_by_user: int = 0) -> Decimal:
        """The discount, or CouponRejected naming why the coupon does not apply."""
        reason = self.rejection(
            now=now, subtotal=subtotal, times_used=times_used, times_used_by_user=times_used_by_user
        )
        if reason is not None:
            raise CouponRejected(reason)
        return self.discount_for(subtotal)


def _problems(coupon: Coupon) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}

    def amount_ok(value: object) -> bool:
        return (
            isinstance(value, Decimal)
            and value.is_finite()
            and ZERO <= value <= MAX_AMOUNT
            and to_paise(value) == value
        )

    if not isinstance(coupon.code, str) or not _CODE.fullmatch(coupon.code):
        errors["code"] = ["must be 1 to 32 upper-case letters, digits, '_' or '-'"]
    if not isinstance(coupon.kind, CouponKind):
        errors["kind"] = ["must be PERCENT or FLAT"]
    elif not amount_ok(coupon.value) or coupon.value <= 0:
        errors["value"] = ["must be a positive amount in whole paise"]
    elif coupon.kind is CouponKind.PERCENT and coupon.value > HUNDRED:
        errors["value"] = ["a percentage must be at most 100"]
    if coupon.min_subtotal is not None and not amount_ok(coupon.min_subtotal):
        errors["min_subtotal"] = ["must be an amount of 0.00 or more in whole paise"]
    if coupon.max_discount is not None and (not amount_ok(coupon.max_discount) or coupon.max_discount <= 0):
        errors["max_discount"] = ["must be a positive amount in whole paise"]
    for name in ("valid_from", "valid_until"):
        moment = getattr(coupon, name)
        if moment is not None and (not isinstance(moment, datetime) or moment.tzinfo is None):
            errors[name] = ["must be a timezone-aware date and time"]
    if (
        "valid_from" not in errors
        and "valid_until" not in errors
        and coupon.valid_from is not None
        and coupon.valid_until is not None
        and coupon.valid_from >= coupon.valid_until
    ):
        errors["valid_until"] = ["must be later than valid_from"]
    for name in ("usage_limit", "per_user_limit"):
        problem = count_problem(getattr(coupon, name), minimum=1, meaning_of_null="no limit")
        if problem:
            errors[name] = [problem]
    if not isinstance(coupon.active, bool):
        errors["active"] = ["must be true or false"]
    return errors
