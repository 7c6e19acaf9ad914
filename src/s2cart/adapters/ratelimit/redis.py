"""Limits shared by every process through Redis: one script, one round trip, all limits at once.

Sliding window counter (the algorithm of ``limits``' SlidingWindowCounterRateLimiter): the previous
window's count, weighted by how much of it still overlaps, plus the current window's count.

The same script can read the AuthEpoch (decision 0022) in that round trip (decision 0040): an authenticated
request whose session a worker has cached is counted and its cache entry vouched for by one call. It counts only
in the epoch the entry was read in; in any other epoch it counts nothing and answers the epoch, and the caller
checks the session and counts again with what the check found.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Sequence
from typing import Any

from redis.asyncio import Redis

from s2cart.adapters.ratelimit.script_client import LeanScript, lean_script
from s2cart.application.ports.ratelimit import EpochRead, LimitCheck, LimitState, RateDecision

# KEYS[1]: the AuthEpoch, then one per check. ARGV: now_ms; the epoch the caller expects ('' for a plain
# count, which reads no epoch); a fresh epoch for an empty key; then amount and window_ms per check.
# Returns, per check: weighted count after the request (or what it would have been), ms until reset;
# then 1 (counted) or 0 (refused, nothing counted); then the epoch read (or false).
# When the epoch read is not the one expected: {-1, epoch}, nothing counted.
_SCRIPT = """
local epoch = false
if ARGV[2] ~= '' then
  epoch = redis.call('GET', KEYS[1])
  if not epoch then
    redis.call('SET', KEYS[1], ARGV[3], 'NX')
    epoch = redis.call('GET', KEYS[1])
  end
  if epoch ~= ARGV[2] then return {-1, epoch} end
end
local now = tonumber(ARGV[1])
local out = {}
local refused = false
local current = {}
for i = 2, #KEYS do
  local key = KEYS[i]
  local amount = tonumber(ARGV[2 * i])
  local window = tonumber(ARGV[2 * i + 1])
  local index = math.floor(now / window)
  local cur_key = key .. ':' .. index
  local cur = tonumber(redis.call('GET', cur_key) or '0')
  local prev = tonumber(redis.call('GET', key .. ':' .. (index - 1)) or '0')
  local into = (now % window) / window
  local used = math.floor(prev * (1 - into)) + cur + 1
  if used > amount then refused = true end
  current[i] = {cur_key, window}
  out[2 * i - 3] = used
  out[2 * i - 2] = window - (now % window)
end
if not refused then
  for i = 2, #KEYS do
    redis.call('INCR', current[i][1])
    redis.call('PEXPIRE', current[i][1], current[i][2] * 2)
  end
end
out[#out + 1] = refused and 0 or 1
out[#out + 1] = epoch
return out
"""
FENCED = "!"  # an epoch written while a revocation commits (adapters/system/auth_epoch.py): unknown


class RedisRateLimiter:
    """``lean``: the script goes through this module's own small client (script_client.py, decision 0045) when
    ``client`` talks plain TCP; otherwise, or with ``lean=False``, through redis-py's ``register_script``."""

    def __init__(
        self, client: Redis, prefix: str = "s2cart:rl:", epoch_key: str = "s2cart:auth-epoch", lean: bool = True
    ) -> None:
        self._client = client
        self._prefix = prefix
        self._epoch_key = epoch_key
        self._lean: LeanScript | None = lean_script(client, _SCRIPT) if lean else None
        self._script: Any = self._lean or client.register_script(_SCRIPT)

    async def aclose(self) -> None:
        """Close the lean client's connection (redis-py's client is closed by its own pool)."""
        if self._lean is not None:
            await self._lean.aclose()

    async def hit(self, checks: Sequence[LimitCheck]) -> RateDecision:
        if not checks:
            return RateDecision(allowed=True, states=[])
        decision, _ = await self._run(checks, "")
        assert decision is not None
        return decision

    async def hit_in_epoch(self, checks: Sequence[LimitCheck], expected: str) -> tuple[RateDecision | None, EpochRead]:
        decision, epoch = await self._run(checks, expected)
        if epoch is None or epoch.startswith(FENCED):
            return decision, EpochRead(None)
        return decision, EpochRead(epoch)

    async def _run(self, checks: Sequence[LimitCheck], expected: str) -> tuple[RateDecision | None, str | None]:
        # The amount is part of the key (as in ``limits``): a changed limit, e.g. a new tier, starts afresh.
        keys = [self._epoch_key, *(f"{self._prefix}{c.key}:{c.limit.amount}/{c.limit.seconds}" for c in checks)]
        args: list[int | str] = [int(time.time() * 1000), expected, secrets.token_hex(8) if expected else ""]
        for check in checks:
            args += [check.limit.amount, check.limit.seconds * 1000]
        result = await self._script(keys=keys, args=args)
        raw = result[-1]
        epoch = raw.decode() if isinstance(raw, bytes) else None  # a Lua false comes back as None
        if int(result[-2]) == -1:
            return None, epoch
        allowed = int(result[-2]) == 1
        states = [
            LimitState(check, used=int(result[2 * i]), reset_after=int(result[2 * i + 1]) / 1000)
            for i, check in enumerate(checks)
        ]
        return RateDecision(allowed=allowed, states=states), epoch
