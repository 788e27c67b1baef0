-- POST /api/2.0/mlflow/runs/log-batch with BENCH_BATCH_SIZE (default 1000) metrics per
-- request: 10 keys x 100 steps, new steps on every request.
dofile(os.getenv("BENCH_LUA_DIR") .. "/common.lua")

local counter = 0
local run_id
local size
local base

function init(args)
  bench_init()
  local ids = bench_ids()
  run_id = ids[(tid % #ids) + 1]
  size = tonumber(os.getenv("BENCH_BATCH_SIZE") or "1000")
  base = bench_base()
end

function request()
  counter = counter + 1
  local parts = {}
  local per_key = math.ceil(size / 10)
  for j = 0, size - 1 do
    local step = base + counter * per_key + math.floor(j / 10)
    parts[#parts + 1] = string.format(
      '{"key":"m%d","value":%d.5,"timestamp":%d,"step":%d}',
      j % 10, (j * 7 + counter) % 1000, 1700000000000 + base + counter, step)
  end
  local body = '{"run_id":"' .. run_id .. '","metrics":[' .. table.concat(parts, ",") .. ']}'
  return wrk.format("POST", "/api/2.0/mlflow/runs/log-batch", nil, body)
end
