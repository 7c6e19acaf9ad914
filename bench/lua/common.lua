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
-- wrk delays every connection's first request too, by the same amount, so with a fixed delay all of them fire
-- within the same millisecond, and each later request follows its own answer by the same fixed delay: the
-- connections stay bunched in convoys, a burst of one request per connection that queues behind itself.
-- BENCH_STAGGER=1 makes the connections independent, as real clients are: the first request of each of the
-- BENCH_CONNECTIONS connections falls at a uniformly random point of the first period, and every later delay is
-- drawn uniformly from [delay/2, 3*delay/2]; the mean delay, and so the rate asked, is unchanged.
local pace = tonumber(os.getenv("BENCH_DELAY_MS") or "0")
local staggered = tonumber(os.getenv("BENCH_STAGGER") == "1" and os.getenv("BENCH_CONNECTIONS") or "0")
if pace > 0 then
  local calls = 0
  delay = function()
    calls = calls + 1
    if staggered == 0 then return pace end
    if calls <= staggered then return math.random(0, pace - 1) end
    return math.random(math.floor(pace / 2), math.floor(pace * 3 / 2))
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
