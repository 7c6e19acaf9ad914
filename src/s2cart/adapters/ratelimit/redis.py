"""Limits shared by every process through Redis: one script, one round trip, all limits at once.

Sliding window counter (the algorithm of ``limits``' SlidingWindowCounterRateLimiter): the previous
window's count, weighted by how much of it still overlaps, plus the current window's count.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

from redis.asyncio import Redis

from s2cart.application.ports.ratelimit import LimitCheck, LimitState, RateDecision

# KEYS: one per check. ARGV: now_ms, then amount and window_ms per check.
# Returns, per check: weighted count after the request (or what it would have been), ms until reset;
# then a final 1 (counted) or 0 (refused, nothing counted).
_SCRIPT = """
local now = tonumber(ARGV[1])
local out = {}
local refused = false
local current = {}
for i, key in ipairs(KEYS) do
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
  out[2 * i - 1] = used
  out[2 * i] = window - (now % window)
end
if not refused then
  for i = 1, #current do
    redis.call('INCR', current[i][1])
    redis.call('PEXPIRE', current[i][1], current[i][2] * 2)
  end
end
out[#out + 1] = refused and 0 or 1
return out
"""


class RedisRateLimiter:
    def __init__(self, client: Redis, prefix: str = "s2cart:rl:") -> None:
        self._client = client
        self._prefix = prefix
        self._script: Any = client.register_script(_SCRIPT)

    async def hit(self, checks: Sequence[LimitCheck]) -> RateDecision:
        if not checks:
            return RateDecision(allowed=True, states=[])
        # The amount is part of the key (as in ``limits``): a changed limit, e.g. a new tier, starts afresh.
        keys = [f"{self._prefix}{c.key}:{c.limit.amount}/{c.limit.seconds}" for c in checks]
        args: list[int] = [int(time.time() * 1000)]
        for check in checks:
            args += [check.limit.amount, check.limit.seconds * 1000]
        result = await self._script(keys=keys, args=args)
        allowed = int(result[-1]) == 1
        states = []
        for i, check in enumerate(checks):
            states.append(LimitState(check, used=int(result[2 * i]), reset_after=int(result[2 * i + 1]) / 1000))
        return RateDecision(allowed=allowed, states=states)
