-- GET /api/auth/carts/ as a random signed-in user (3 carts of 5 lines each).
local c = dofile(os.getenv("BENCH_LUA") .. "/common.lua")
local tokens = c.lines("access.txt")
request = function()
  return wrk.format("GET", "/api/auth/carts/", c.bearer(tokens[math.random(#tokens)]))
end
