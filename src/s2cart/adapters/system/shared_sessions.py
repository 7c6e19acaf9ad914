"""Session records any worker read, kept in Redis under the AuthEpoch they were read in (decision 0045).

One script, through the rate limiter's lean client (adapters/ratelimit/script_client.py): ``read`` reads the
epoch (starting one if the key is empty, as ``RedisAuthEpoch.current``) and the entry kept under it, in one round
trip; ``keep`` writes an entry only while its epoch is still the current one. An entry's key holds its epoch, so
once a revocation changes the epoch (decision 0022's fence, then its lift) no entry read before it is ever found
again; they expire with their TTL. While a fence is open (the epoch reads "!...") nothing is read or kept.
"""

from __future__ import annotations

import logging
import secrets
import time
from datetime import UTC, datetime, timedelta

import msgspec
from redis.asyncio import Redis

from s2cart.adapters.ratelimit.script_client import LeanScript, lean_script
from s2cart.adapters.system.auth_epoch import EPOCH_KEY, FENCED, LOG_EVERY_SECONDS, READ_BUDGET_SECONDS, RETRY_SECONDS
from s2cart.application.ports.auth import SessionRecord, SharedSession

logger = logging.getLogger(__name__)
PREFIX = "s2cart:session:"

# KEYS[1] the epoch. ARGV[1] 'read' or 'keep'; ARGV[2] the entry's name (kind:key). read: ARGV[3] a fresh epoch
# for an empty key; returns {epoch, entry or false} ({epoch, false} while fenced). keep: ARGV[3] the epoch it was
# read in, ARGV[4] the entry, ARGV[5] its TTL in ms; returns 1 if kept, 0 if the epoch has moved.
_SCRIPT = (
    """
local prefix = '"""
    + PREFIX
    + """'
local epoch = redis.call('GET', KEYS[1])
if ARGV[1] == 'keep' then
  if epoch ~= ARGV[3] then return 0 end
  redis.call('SET', prefix .. epoch .. ':' .. ARGV[2], ARGV[4], 'PX', ARGV[5])
  return 1
end
if not epoch then
  redis.call('SET', KEYS[1], ARGV[3], 'NX')
  epoch = redis.call('GET', KEYS[1])
end
if string.sub(epoch, 1, 1) == '"""
    + FENCED
    + """' then return {epoch, false} end
return {epoch, redis.call('GET', prefix .. epoch .. ':' .. ARGV[2])}
"""
)


class _Stored(msgspec.Struct, array_like=True):
    session_id: str
    user_id: int
    scheme: str
    device_type: str
    last_activity: datetime
    expires_at: datetime
    tier: str
    is_verified: bool
    cached_at: datetime


_encode = msgspec.json.Encoder().encode
_decode = msgspec.json.Decoder(_Stored).decode


class RedisSharedSessions:
    """The shared session entries (the ``SharedSessions`` port). While Redis fails, ``read`` answers an unknown
    epoch without asking for ``retry_seconds`` (the database answers, as with ``RedisAuthEpoch``); ``keep`` never
    raises."""

    def __init__(self, script: LeanScript, key: str = EPOCH_KEY, retry_seconds: float = RETRY_SECONDS) -> None:
        self._script = script
        self._key = [key]
        self._retry_seconds = retry_seconds
        self._failed_at: float | None = None
        self._logged_at = 0.0

    @classmethod
    def over(cls, client: Redis, key: str = EPOCH_KEY) -> RedisSharedSessions | None:
        """Over the Redis ``client`` talks to; None when it is not plain TCP (the lean client's limit)."""
        script = lean_script(client, _SCRIPT, timeout=READ_BUDGET_SECONDS)
        return cls(script, key) if script is not None else None

    async def read(self, kind: str, key: str) -> tuple[str | None, SharedSession | None]:
        now = time.monotonic()
        if self._failed_at is not None and now - self._failed_at < self._retry_seconds:
            return None, None
        try:
            epoch_bytes, raw = await self._script(self._key, ["read", f"{kind}:{key}", secrets.token_hex(8)])
        except Exception as exc:  # the store failed: the database answers
            self._failed(now, exc)
            return None, None
        self._failed_at = None
        epoch = epoch_bytes.decode()
        if epoch.startswith(FENCED):
            return None, None
        try:
            stored = _decode(raw) if raw is not None else None
        except msgspec.ValidationError:  # written by another release in another shape: read the database
            stored = None
        if stored is None:
            return epoch, None
        record = SessionRecord(
            session_id=stored.session_id,
            user_id=stored.user_id,
            scheme=stored.scheme,
            device_type=stored.device_type,
            last_activity=stored.last_activity,
            expires_at=stored.expires_at,
            revoked_at=None,  # only live sessions are kept
            tier=stored.tier,
            is_verified=stored.is_verified,
            is_active=True,
        )
        return epoch, SharedSession(record, stored.cached_at)

    async def keep(self, kind: str, key: str, entry: SharedSession, epoch: str, ttl: timedelta) -> None:
        record = entry.record
        if record.revoked_at is not None or not record.is_active:
            return
        stored = _Stored(
            session_id=record.session_id,
            user_id=record.user_id,
            scheme=record.scheme,
            device_type=record.device_type,
            last_activity=record.last_activity.astimezone(UTC),
            expires_at=record.expires_at.astimezone(UTC),
            tier=record.tier,
            is_verified=record.is_verified,
            cached_at=entry.cached_at.astimezone(UTC),
        )
        try:
            args = ["keep", f"{kind}:{key}", epoch, _encode(stored).decode(), max(1, ttl // _MS)]
            await self._script(self._key, args)
        except Exception as exc:  # best effort: a worker that cannot share reads the database, as before
            self._failed(time.monotonic(), exc)

    async def aclose(self) -> None:
        await self._script.aclose()

    def _failed(self, now: float, exc: Exception) -> None:
        self._failed_at = now
        if now - self._logged_at >= LOG_EVERY_SECONDS:
            self._logged_at = now
            name = type(exc).__name__
            logger.warning("shared session cache unreachable (%s); authenticating from the database", name)


_MS = timedelta(milliseconds=1)
