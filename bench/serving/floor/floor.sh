#!/usr/bin/env bash
# What this machine allows an HTTP server at all, measured the way bench/serving measures: a no-work epoll server
# (epoll_server.c, 2 threads like Hangar's event loops) under wrk with one and with two wrk threads, at 8 and 64
# connections. Prints wrk's requests/s and p99 per setting. Needs cc and wrk.
#
#   bench/serving/floor/floor.sh [DURATION_S]
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
DURATION=${1:-5}
PORT=${FLOOR_PORT:-5811}
WORK="$(mktemp -d -t hangar-floor.XXXXXX)"
PID=""
cleanup() { [ -n "$PID" ] && kill "$PID" 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT
cc -O2 -o "$WORK/epoll_server" "$HERE/epoll_server.c" -lpthread
"$WORK/epoll_server" "$PORT" 2 &
PID=$!
for _ in $(seq 1 50); do curl -sf "http://127.0.0.1:$PORT/" >/dev/null && break; sleep 0.1; done
wrk -t1 -c8 -d1s "http://127.0.0.1:$PORT/" >/dev/null
for CONNS in 8 64; do
  for THREADS in 1 2; do
    OUT=$(wrk -t"$THREADS" -c"$CONNS" -d"${DURATION}s" --latency "http://127.0.0.1:$PORT/")
    RPS=$(echo "$OUT" | awk '/Requests\/sec/ {print $2}')
    P99=$(echo "$OUT" | awk '$1 == "99%" {print $2}')
    echo "no-work server, wrk -t$THREADS -c$CONNS: $RPS req/s, p99 $P99"
  done
done
