-- POST /api/auth/jwt/refresh/: every token is spent once. A queue of pre-issued tokens feeds the first
-- requests; each answer's new refresh token goes back in the queue, so chains rotate as real clients do.
-- Run with one wrk thread: the queue lives in that thread's Lua state.
local c = dofile(os.getenv("BENCH_LUA") .. "/common.lua")
local queue = c.lines("refresh.txt")
local head, tail = 1, #queue
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
