-- POST /api/auth/jwt/refresh/: every token is spent once. A queue of pre-issued tokens feeds the first
-- requests; each answer's new refresh token goes back in the queue, so chains rotate as real clients do.
-- Run with one wrk thread: the queue lives in that thread's Lua state.
-- When the run ends, the tokens not yet spent replace refresh.txt, so a next run (--rounds) continues the
-- chains instead of presenting spent tokens (which reuse detection would answer with 401 and a revoked family).
-- Chains whose request was in flight at the end are lost: at most one a connection per run.
local c = dofile(os.getenv("BENCH_LUA") .. "/common.lua")
queue = c.lines("refresh.txt")
head, tail = 1, #queue
request = function()
  local token = queue[head] or "exhausted"  -- only when more chains broke than spares exist: a 401, counted
  queue[head] = nil
  head = head + 1
  return wrk.format("POST", "/api/auth/jwt/refresh/", c.json, string.format('{"refresh":"%s"}', token))
end
response = function(status, headers, body)
  local token = body:match('"refresh":"([^"]+)"')
  if token then
    tail = tail + 1
    queue[tail] = token
  end
end

local threads = {}
setup = function(thread) threads[#threads + 1] = thread end
local report = done
done = function(summary, latency, requests)
  local out = io.open((os.getenv("BENCH_DATA") or ".") .. "/refresh.txt", "w")
  for _, thread in ipairs(threads) do
    local q, h, t = thread:get("queue"), thread:get("head"), thread:get("tail")
    for i = h, t do
      if q[i] then out:write(q[i], "\n") end
    end
  end
  out:close()
  report(summary, latency, requests)
end
