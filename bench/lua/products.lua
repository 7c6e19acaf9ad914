-- GET /api/auth/products/?q=... anonymously: BENCH_WORDS (1 or 2) words drawn from the catalog's vocabulary
-- (bench/catalog_file.py), e.g. "basmati" or "basmati premium".
local c = dofile(os.getenv("BENCH_LUA") .. "/common.lua")
local items = c.lines("search_items.txt")
local qualities = c.lines("search_qualities.txt")
local words = tonumber(os.getenv("BENCH_WORDS") or "1")
request = function()
  local q = items[math.random(#items)]
  if words > 1 then q = q .. "+" .. qualities[math.random(#qualities)] end
  return wrk.format("GET", "/api/auth/products/?q=" .. q)
end
