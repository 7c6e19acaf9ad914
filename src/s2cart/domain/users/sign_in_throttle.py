"""Failed sign-ins counted per address AND account, with an escalating block, under a far higher per-address ceiling.

One address is often many people: a mobile carrier's NAT puts thousands of customers behind a few addresses. A block
on the address alone lets one person's typos (or one attacker) lock every other customer out. So the tight count is
per (address, account): it slows guessing at one account and touches no one else; its block starts short and doubles
with each block in a row. The address alone keeps a ceiling an order of magnitude higher, for credential stuffing
across many accounts. Both follow the rate-limit multiplier like every other limit.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta


@dataclass(frozen=True)
class ThrottleRule:
    """``max_failures`` inside ``window`` block the key; block n in a row lasts ``first_block * 2**(n-1)``, at most
    ``longest_block``; the run of blocks is forgotten ``forget_after`` a window started without one."""

    limit_type: str
    max_failures: int
    window: timedelta
    first_block: timedelta
    longest_block: timedelta
    forget_after: timedelta = timedelta(hours=1)

    def scaled(self, multiplier: float) -> ThrottleRule:
        return replace(self, max_failures=max(1, round(self.max_failures * multiplier)))

    def block_for(self, strikes: int) -> timedelta:
        return min(self.first_block * (1 << max(0, min(strikes - 1, 20))), self.longest_block)


@dataclass(frozen=True)
class ThrottleState:
    failures: int
    window_started_at: datetime
    strikes: int = 0
    blocked_until: datetime | None = None

    def blocked(self, now: datetime) -> datetime | None:
        return self.blocked_until if self.blocked_until is not None and self.blocked_until > now else None

    def after_failure(self, rule: ThrottleRule, now: datetime) -> ThrottleState:
        if self.blocked(now) is not None:
            return replace(self, failures=self.failures + 1)
        strikes = self.strikes if now - self.window_started_at < rule.forget_after else 0
        failures, started = self.failures, self.window_started_at
        if self.blocked_until is not None or now - started >= rule.window:
            failures, started = 0, now  # a block served or a window past: counting starts again
        failures += 1
        if failures < rule.max_failures:
            return ThrottleState(failures, started, strikes, None)
        return ThrottleState(failures, started, strikes + 1, now + rule.block_for(strikes + 1))

    @staticmethod
    def first(now: datetime) -> ThrottleState:
        return ThrottleState(failures=0, window_started_at=now)


@dataclass(frozen=True)
class ThrottleCheck:
    rule: ThrottleRule
    key: str


@dataclass(frozen=True)
class SignInThrottlePolicy:
    per_address_and_account: ThrottleRule = field(
        default_factory=lambda: ThrottleRule(
            "login_address_account",
            max_failures=10,  # above the account lockout (5): a real account answers AUTH_003 first
            window=timedelta(minutes=15),
            first_block=timedelta(minutes=1),
            longest_block=timedelta(minutes=15),
        )
    )
    per_address: ThrottleRule = field(
        default_factory=lambda: ThrottleRule(
            "login_address",
            max_failures=200,
            window=timedelta(minutes=15),
            first_block=timedelta(minutes=15),
            longest_block=timedelta(minutes=60),
        )
    )

    def scaled(self, multiplier: float) -> SignInThrottlePolicy:
        return SignInThrottlePolicy(
            self.per_address_and_account.scaled(multiplier), self.per_address.scaled(multiplier)
        )

    def checks(self, address: str, account: str | None) -> list[ThrottleCheck]:
        """The keys one sign-in counts under, tightest first. The account (its normalised email or username) is
        kept as a digest: the table names no one."""
        found = [ThrottleCheck(self.per_address, f"ip:{address}")]
        if account:
            digest = hashlib.sha256(account.encode()).hexdigest()[:32]
            found.insert(0, ThrottleCheck(self.per_address_and_account, f"ip+account:{address}|{digest}"))
        return found
