"""Idempotent requests: a retry with the same key and body gets the first answer, byte for byte."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from s2cart.application.ports.orders import IdempotencyStore
from s2cart.application.ports.system import Clock
from s2cart.domain.shared.errors import Conflict, Unprocessable, ValidationFailed

MAX_KEY_LENGTH = 255
KEEP_FOR = timedelta(hours=24)


@dataclass(frozen=True)
class Replay:
    status_code: int
    body: bytes


class Idempotency:
    """- Keys are per user and per operation, kept at least 24 hours.
    - Same key, same body: the stored answer. Same key, another body: 422, nothing done.
    - A key whose first request is still running: 409, nothing done.
    - Only successful answers are stored; a failed attempt frees the key so the client may retry."""

    def __init__(self, store: IdempotencyStore, clock: Clock) -> None:
        self._store = store
        self._clock = clock

    async def begin(self, user_id: int, scope: str, key: str, fingerprint: str) -> Replay | None:
        if not key or len(key) > MAX_KEY_LENGTH:
            raise ValidationFailed.on("Idempotency-Key", f"Must be 1 to {MAX_KEY_LENGTH} characters.")
        stored = await self._store.claim(user_id, scope, key, fingerprint, self._clock.now())
        if stored is None:
            return None
        if stored.fingerprint != fingerprint:
            raise Unprocessable(
                "Idempotency key reused with a different request",
                code="IDEMPOTENCY_001",
                errors={"Idempotency-Key": ["This key was already used for a different request."]},
            )
        if not stored.complete or stored.body is None or stored.status_code is None:
            raise Conflict("A request with this idempotency key is still being processed", code="IDEMPOTENCY_002")
        return Replay(stored.status_code, stored.body)

    async def finish(self, user_id: int, scope: str, key: str, status_code: int, body: bytes) -> None:
        await self._store.complete(user_id, scope, key, status_code, body)

    async def abandon(self, user_id: int, scope: str, key: str) -> None:
        await self._store.release(user_id, scope, key)

    async def purge(self) -> int:
        return await self._store.purge(self._clock.now() - KEEP_FOR)
