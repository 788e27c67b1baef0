-- Shared by the wrk scripts of bench/tracking: thread ids, run ids from the environment,
-- and a machine-readable summary line that bench.py parses.
local thread_count = 0

function setup(thread)
  thread:set("tid", thread_count)
  thread_count = thread_count + 1
end

function bench_ids()
  local ids = {}
  for id in string.gmatch(os.getenv("BENCH_RUN_IDS") or "", "[^,]+") do
    table.insert(ids, id)
  end
  return ids
end

-- BENCH_SEQ is different for every wrk invocation (warm-up and measurement included), so
-- steps and timestamps never repeat across invocations: no write is ever a duplicate.
function bench_base()
  return tonumber(os.getenv("BENCH_SEQ") or "0") * 100000000
end

function bench_init()
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["User-Agent"] = "hangar-bench-wrk"
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRK_JSON {"requests":%d,"duration_us":%d,"bytes":%d,"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},"lat_p50_us":%d,"lat_p99_us":%d,"lat_mean_us":%.1f}\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status,
    e.timeout, latency:percentile(50), latency:percentile(99), latency.mean))
end
