-- POST /api/2.0/mlflow/runs/search with the body in BENCH_SEARCH_BODY (JSON), the same search
-- bench.py times from Python; driven by wrk at one connection for a native latency.
dofile(os.getenv("BENCH_LUA_DIR") .. "/common.lua")

local body

function init(args)
  bench_init()
  body = os.getenv("BENCH_SEARCH_BODY")
end

function request()
  return wrk.format("POST", "/api/2.0/mlflow/runs/search", nil, body)
end
