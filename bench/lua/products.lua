-- GET /api/auth/products/?q=... anonymously.
-- BENCH_WORDS=1: a shop's one-word searches (bench/catalog_file.py shop_searches: item words and qualities, pages
-- 1-3 and the orderings), each drawn with its share from search_shop.txt: a few are asked very often, most rarely.
-- BENCH_WORDS=2: two words drawn uniformly from the catalog's vocabulary, e.g. "basmati premium".
local c = dofile(os.getenv("BENCH_LUA") .. "/common.lua")
local items = c.lines("search_items.txt")
local qualities = c.lines("search_qualities.txt")
local words = tonumber(os.getenv("BENCH_WORDS") or "1")
local paths, upto = {}, {}
if words == 1 then
  local total = 0
  for _, line in ipairs(c.lines("search_shop.txt")) do
    local share, path = line:match("^(%S+) (%S+)$")
    total = total + tonumber(share)
    paths[#paths + 1] = path
    upto[#upto + 1] = total
  end
end

local function shop_search()
  local x = math.random() * upto[#upto]
  local lo, hi = 1, #upto
  while lo < hi do
    local mid = math.floor((lo + hi) / 2)
    if upto[mid] < x then lo = mid + 1 else hi = mid end
  end
  return paths[lo]
end

request = function()
  if words == 1 then return wrk.format("GET", shop_search()) end
  local q = items[math.random(#items)] .. "+" .. qualities[math.random(#qualities)]
  return wrk.format("GET", "/api/auth/products/?q=" .. q)
end
