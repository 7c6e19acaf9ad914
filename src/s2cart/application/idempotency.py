"""Idempotent requests: a retry with the same key and body gets the first answer, byte for byte."""

from __future__ import annotations

import math
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from s2cart.application.ports.orders import IdempotencyStore, KeyClaim
from s2cart.application.ports.system import Clock
from s2cart.domain.shared.errors import Conflict, Unprocessable, ValidationFailed

MAX_KEY_LENGTH = 255
KEEP_FOR = timedelta(hours=24)
DEFAULT_LEASE = timedelta(seconds=30)


@dataclass(frozen=True)
class Replay:
    status_code: int
    body: bytes


class KeyInUse(Conflict):
    """The key's first request may still be running (409); ``retry_after`` seconds until its lease lapses."""

    code = "IDEMPOTENCY_002"
    default_message = "A request with this idempotency key is still being processed"

    def __init__(self, retry_after: int) -> None:
        super().__init__()
        self.retry_after = max(1, retry_after)
        self.headers = {"Retry-After": str(self.retry_after)}


def _new_token() -> str:
    return secrets.token_hex(16)


class Idempotency:
    """- Keys are per user and per operation, kept at least 24 hours.
    - Same key, same body: the stored answer. Same key, another body: 422, nothing done.
    - A key whose request has not answered holds it for a lease (``lease``, from the claim): a retry within the
      lease is 409 with Retry-After, nothing done; after it, a retry with the same body takes the key over and
      runs (the first request's worker is presumed dead). Exactly one of several racing retries wins.
    - Only the current holder's answer is stored: a first request that finishes after a takeover answers its
      own connection but neither stores nor frees anything.
    - Only successful answers are stored; a failed attempt frees the key so the client may retry."""

    def __init__(
        self,
        store: IdempotencyStore,
        clock: Clock,
        lease: timedelta = DEFAULT_LEASE,
        new_token: Callable[[], str] = _new_token,
    ) -> None:
        if lease <= timedelta(0):
            raise ValueError("the idempotency lease must be positive")
        self._store = store
        self._clock = clock
        self._lease = lease
        self._new_token = new_token

    async def begin(self, user_id: int, scope: str, key: str, fingerprint: str) -> Replay | KeyClaim:
        """The stored answer to replay, or the claim under which the caller runs the request."""
        if not key or len(key) > MAX_KEY_LENGTH:
            raise ValidationFailed.on("Idempotency-Key", f"Must be 1 to {MAX_KEY_LENGTH} characters.")
        claim = KeyClaim(user_id, scope, key, self._new_token())
        now = self._clock.now()
        stored = await self._store.claim(claim, fingerprint, now, now + self._lease)
        if stored is None:
            return claim
        if stored.fingerprint != fingerprint:
            raise Unprocessable(
                "Idempotency key reused with a different request",
                code="IDEMPOTENCY_001",
                errors={"Idempotency-Key": ["This key was already used for a different request."]},
            )
        if not stored.complete or stored.body is None or stored.status_code is None:
            left = (stored.lease_until - now).total_seconds() if stored.lease_until is not None else 1
            raise KeyInUse(retry_after=math.ceil(left))
        return Replay(stored.status_code, stored.body)

    async def finish(self, claim: KeyClaim, status_code: int, body: bytes) -> bool:
        """Store the answer; False when a retry took the key over meanwhile (its answer stands, not this one)."""
        return await self._store.complete(claim, status_code, body)

    async def abandon(self, claim: KeyClaim) -> None:
        await self._store.release(claim)

    async def purge(self) -> int:
        return await self._store.purge(self._clock.now() - KEEP_FOR)
