-- POST /api/auth/cart/items/: one more unit of a line the user already has (a merge, not a new line).
local c = dofile(os.getenv("BENCH_LUA") .. "/common.lua")
local lines = c.lines("lines.txt")
request = function()
  local f = c.fields(lines[math.random(#lines)])
  local body = string.format('{"store_id":"%s","product_id":"%s","quantity":1}', f[4], f[5])
  return wrk.format("POST", "/api/auth/cart/items/", c.bearer(f[1]), body)
end
