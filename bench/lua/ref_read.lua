-- The read ceiling: the same cart rows for a random user, raw driver, nothing else.
local c = dofile(os.getenv("BENCH_LUA") .. "/common.lua")
local ids = c.lines("user_ids.txt")
request = function() return wrk.format("GET", "/ref/carts?user=" .. ids[math.random(#ids)]) end
