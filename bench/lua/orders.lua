-- GET /api/auth/orders/?page=BENCH_PAGE as the user with 10,000 orders.
local c = dofile(os.getenv("BENCH_LUA") .. "/common.lua")
local token = c.lines("orders_user.txt")[1]
local path = "/api/auth/orders/?page=" .. os.getenv("BENCH_PAGE")
request = function() return wrk.format("GET", path, c.bearer(token)) end
