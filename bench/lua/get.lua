-- GET BENCH_PATH, anonymous (health, the framework ceiling).
local c = dofile(os.getenv("BENCH_LUA") .. "/common.lua")
local path = os.getenv("BENCH_PATH")
request = function() return wrk.format("GET", path) end
