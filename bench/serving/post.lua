-- wrk -s post.lua URL: POSTs the JSON body in the file $BENCH_BODY_FILE to URL on every request
-- (keep-alive connections; wrk counts non-2xx answers and prints them).
local f = assert(io.open(os.getenv("BENCH_BODY_FILE"), "rb"))
wrk.method = "POST"
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = "application/json"
wrk.headers["User-Agent"] = "hangar-bench-wrk"
