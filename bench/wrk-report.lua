-- wrk script for bench/run.sh: POSTs the body in $BENCH_BODY_FILE with $BENCH_AUTH (optional)
-- and prints one `key=value` line with throughput and p50/p90/p99/p99.9/max latency in ms.
-- Only 2xx/3xx answers count as successful (wrk counts the rest in errors.status).

local body_file = os.getenv("BENCH_BODY_FILE")
if body_file then
  local f = assert(io.open(body_file, "rb"))
  wrk.body = f:read("*a")
  f:close()
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
end
local auth = os.getenv("BENCH_AUTH")
if auth and auth ~= "" then
  wrk.headers["Authorization"] = "Bearer " .. auth
end

done = function(summary, latency, requests)
  local secs = summary.duration / 1e6
  local e = summary.errors
  local failed = e.connect + e.read + e.write + e.timeout
  local ok = summary.requests - e.status - failed
  io.write(string.format(
    "mode=wrk requests=%d ok=%d non2xx=%d errors=%d duration_s=%.2f rps=%.1f " ..
    "lat_p50=%.3f lat_p90=%.3f lat_p99=%.3f lat_p999=%.3f lat_max=%.3f\n",
    summary.requests, ok, e.status, failed, secs, ok / secs,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency:percentile(99.9) / 1000, latency.max / 1000))
end
