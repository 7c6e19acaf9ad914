-- Shared by every scenario: data files, an optional pacing delay, and one JSON line of results.
local M = {}
local data = os.getenv("BENCH_DATA") or "."

function M.lines(name)
  local t = {}
  for line in io.lines(data .. "/" .. name) do
    if #line > 0 then t[#t + 1] = line end
  end
  return t
end

function M.fields(line)
  local t = {}
  for word in line:gmatch("%S+") do t[#t + 1] = word end
  return t
end

M.json = { ["Content-Type"] = "application/json" }

function M.bearer(token)
  return { Authorization = "Bearer " .. token, ["Content-Type"] = "application/json" }
end

math.randomseed(os.time())

-- BENCH_DELAY_MS paces each connection (the half-saturation run): rate ~ connections / delay.
-- wrk delays every connection's first request too, by the same amount, so all of them would fire within the
-- same millisecond and stay bunched: a burst of one request per connection at the start and a queue behind it.
-- BENCH_STAGGER=1 spreads the first request of each of the BENCH_CONNECTIONS connections uniformly over one pacing
-- period instead, as clients arriving independently do; the rate is the same.
local pace = tonumber(os.getenv("BENCH_DELAY_MS") or "0")
local staggered = tonumber(os.getenv("BENCH_STAGGER") == "1" and os.getenv("BENCH_CONNECTIONS") or "0")
if pace > 0 then
  local calls = 0
  delay = function()
    calls = calls + 1
    if calls <= staggered then return math.random(0, pace - 1) end
    return pace
  end
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests":%d,"duration_us":%d,"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d,' ..
    '"p50_us":%d,"p90_us":%d,"p99_us":%d,"max_us":%d}\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))
end

return M
