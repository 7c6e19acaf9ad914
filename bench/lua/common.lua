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
local pace = tonumber(os.getenv("BENCH_DELAY_MS") or "0")
if pace > 0 then
  delay = function() return pace end
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
