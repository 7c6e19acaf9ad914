-- POST /api/auth/jwt/: sign in as a random user (one argon2 verify each).
local c = dofile(os.getenv("BENCH_LUA") .. "/common.lua")
local emails = c.lines("emails.txt")
local password = os.getenv("BENCH_PASSWORD")
request = function()
  local body = string.format('{"email":"%s","password":"%s"}', emails[math.random(#emails)], password)
  return wrk.format("POST", "/api/auth/jwt/", c.json, body)
end
