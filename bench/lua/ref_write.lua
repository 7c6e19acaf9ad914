-- The write ceiling: conditional update of a random user's line plus one insert, raw driver, one transaction.
local c = dofile(os.getenv("BENCH_LUA") .. "/common.lua")
local lines = c.lines("lines.txt")
request = function()
  local f = c.fields(lines[math.random(#lines)])
  return wrk.format("POST", "/ref/cart-items?user=" .. f[2] .. "&item=" .. f[3])
end
