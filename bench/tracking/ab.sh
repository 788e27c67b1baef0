#!/usr/bin/env bash
# Alternates two hangar binaries on one tracking scenario, to judge a change on a noisy machine:
# each round starts a fresh `hangar up` per binary, creates an experiment and 8 runs, warms up
# 2 s and measures 5 s with the same wrk Lua script the tracking benchmark uses.
#
#   bench/tracking/ab.sh BEFORE_BIN AFTER_BIN SCRIPT CONNECTIONS [ROUNDS]
#   bench/tracking/ab.sh /tmp/hangar-old .build-release/release/hangar log_metric.lua 1 3
#
# SCRIPT is one of log_metric.lua, log_batch.lua, create_run.lua. Prints one line per run:
# binary, script, connections, requests/s. Needs wrk, curl and python3.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
[ $# -ge 4 ] || { sed -n 2,9p "$0" >&2; exit 2; }
BEFORE=$1 AFTER=$2 SCRIPT=$3 CONNS=$4 ROUNDS=${5:-3}
PORT=${AB_PORT:-5733}
WORK="$(mktemp -d -t hangar-ab.XXXXXX)"
PID=""
cleanup() { [ -n "$PID" ] && kill "$PID" 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT
api() { curl -sf -XPOST "http://127.0.0.1:$PORT/api/2.0/mlflow/$1" -d "$2"; }
field() { python3 -c "import sys, json; d = json.load(sys.stdin); print($1)"; }
THREADS=$(( CONNS < 2 ? CONNS : 2 ))
for _ in $(seq 1 "$ROUNDS"); do
  for BIN in "$BEFORE" "$AFTER"; do
    rm -rf "$WORK/data"
    "$BIN" up --data-dir "$WORK/data" --port "$PORT" > "$WORK/up.log" 2>&1 &
    PID=$!
    for _ in $(seq 1 50); do curl -sf "http://127.0.0.1:$PORT/health" >/dev/null && break; sleep 0.1; done
    EXP=$(api experiments/create '{"name":"ab"}' | field "d['experiment_id']")
    IDS=""
    for _ in 1 2 3 4 5 6 7 8; do
      IDS="$IDS,$(api runs/create "{\"experiment_id\":\"$EXP\"}" | field "d['run']['info']['run_id']")"
    done
    export BENCH_LUA_DIR="$HERE" BENCH_RUN_IDS="${IDS#,}" BENCH_EXPERIMENT_ID="$EXP"
    BENCH_SEQ=1 wrk -t"$THREADS" -c"$CONNS" -d2s -s "$HERE/$SCRIPT" "http://127.0.0.1:$PORT" >/dev/null
    RATE=$(BENCH_SEQ=2 wrk -t"$THREADS" -c"$CONNS" -d5s -s "$HERE/$SCRIPT" "http://127.0.0.1:$PORT" | awk '/Requests\/sec/ {print $2}')
    echo "$BIN $SCRIPT c$CONNS $RATE"
    kill "$PID"; wait "$PID" 2>/dev/null || true; PID=""
  done
done
