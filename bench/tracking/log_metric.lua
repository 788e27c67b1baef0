-- POST /api/2.0/mlflow/runs/log-metric, one metric per request; each wrk thread writes to
-- its own run (BENCH_RUN_IDS), every request a new step so no write is a duplicate.
dofile(os.getenv("BENCH_LUA_DIR") .. "/common.lua")

local counter = 0
local run_id
local base

function init(args)
  bench_init()
  local ids = bench_ids()
  run_id = ids[(tid % #ids) + 1]
  base = bench_base()
end

function request()
  counter = counter + 1
  local body = string.format(
    '{"run_id":"%s","key":"loss","value":%d.25,"timestamp":%d,"step":%d}',
    run_id, counter % 1000, 1700000000000 + base + counter, base + counter)
  return wrk.format("POST", "/api/2.0/mlflow/runs/log-metric", nil, body)
end
