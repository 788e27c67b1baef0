-- POST /api/2.0/mlflow/runs/create the way mlflow.start_run does (name, start time and the
-- four system tags) into experiment BENCH_EXPERIMENT_ID.
dofile(os.getenv("BENCH_LUA_DIR") .. "/common.lua")

local counter = 0
local exp_id
local seq

function init(args)
  bench_init()
  exp_id = os.getenv("BENCH_EXPERIMENT_ID")
  seq = tonumber(os.getenv("BENCH_SEQ") or "0")
end

function request()
  counter = counter + 1
  local name = string.format("bench-%d-%d-%d", seq, tid, counter)
  local body = string.format(
    '{"experiment_id":"%s","user_id":"bench","run_name":"%s","start_time":%d,"tags":[' ..
    '{"key":"mlflow.user","value":"bench"},{"key":"mlflow.source.name","value":"bench.py"},' ..
    '{"key":"mlflow.source.type","value":"LOCAL"},{"key":"mlflow.runName","value":"%s"}]}',
    exp_id, name, 1700000000000 + seq * 100000000 + counter, name)
  return wrk.format("POST", "/api/2.0/mlflow/runs/create", nil, body)
end
