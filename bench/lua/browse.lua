-- The browse-heavy mix, anonymous as shoppers browse: 50% one-word product search, 25% a product's page,
-- 15% a store's page, 10% the store list. Product and store ids follow bench/catalog_file.py
-- (BENCH_STORES stores named BENCH_PREFIX001..., BENCH_PRODUCTS products prod_000001...).
local c = dofile(os.getenv("BENCH_LUA") .. "/common.lua")
local items = c.lines("search_items.txt")
local stores = tonumber(os.getenv("BENCH_STORES") or "50")
local products = tonumber(os.getenv("BENCH_PRODUCTS") or "20000")
local prefix = os.getenv("BENCH_PREFIX") or "browse_"
local function store_of(n) return prefix .. string.format("%03d", 1 + n % stores) end
request = function()
  local roll = math.random(100)
  if roll <= 50 then
    return wrk.format("GET", "/api/auth/products/?q=" .. items[math.random(#items)])
  elseif roll <= 75 then
    local n = math.random(products)
    return wrk.format("GET", "/api/auth/stores/" .. store_of(n) .. "/products/" .. string.format("prod_%06d", n) .. "/")
  elseif roll <= 90 then
    return wrk.format("GET", "/api/auth/stores/" .. store_of(math.random(stores)) .. "/")
  end
  return wrk.format("GET", "/api/auth/stores/?page=" .. math.random(3))
end
