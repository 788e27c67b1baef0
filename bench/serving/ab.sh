#!/usr/bin/env bash
# Alternates two hangar binaries on the serving benchmark's prediction request, to judge a change on a noisy
# machine: each round copies a prepared data dir, starts `hangar up` on it per binary, warms up 2 s and measures
# 5 s with the same wrk Lua script and body as bench/serving.
#
#   bench/serving/ab.sh BEFORE_BIN AFTER_BIN DATA_DIR BODY_FILE CONNECTIONS [ROUNDS]
#
# DATA_DIR: a data dir in which model `lgb` has alias `production` (keep one from a bench run with
# BENCH_KEEP_WORKDIR=1: <workdir>/hangar/data; BODY_FILE: <workdir>/one_row.json). Prints one line per run:
# binary, connections, requests/s, p99, and the server's CPU time (user + system, all threads) per request, which
# moves far less than requests/s when other work shares the machine. AB_WRK_THREADS sets wrk's threads (default 1,
# as bench/serving).
# AB_AFTER_DATA gives the AFTER binary a data dir of its own (to compare two schemas with one binary: pass the
# same binary twice). Needs wrk and curl.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
[ $# -ge 5 ] || { sed -n 2,10p "$0" >&2; exit 2; }
BEFORE=$1 AFTER=$2 DATA=$3 BODY=$4 CONNS=$5 ROUNDS=${6:-3}
PORT=${AB_PORT:-5744}
THREADS=${AB_WRK_THREADS:-1}
WORK="$(mktemp -d -t hangar-serving-ab.XXXXXX)"
PID=""
cleanup() { [ -n "$PID" ] && kill "$PID" 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT
# User + system CPU time of process $1 so far, in clock ticks.
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
URL="http://127.0.0.1:$PORT/models/lgb/invocations"
for _ in $(seq 1 "$ROUNDS"); do
  for SIDE in before after; do
    BIN=$BEFORE SOURCE=$DATA
    [ "$SIDE" = after ] && BIN=$AFTER SOURCE=${AB_AFTER_DATA:-$DATA}
    rm -rf "$WORK/data" && cp -r "$SOURCE" "$WORK/data"
    "$BIN" up --data-dir "$WORK/data" --port "$PORT" > "$WORK/up.log" 2>&1 &
    PID=$!
    for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$PORT/models/lgb/ping" >/dev/null && break; sleep 0.1; done
    export BENCH_BODY_FILE="$BODY"
    wrk -t"$THREADS" -c"$CONNS" -d2s -s "$HERE/post.lua" "$URL" > /dev/null
    CPU0=$(cpu_ticks "$PID")
    OUT=$(wrk -t"$THREADS" -c"$CONNS" -d5s --latency -s "$HERE/post.lua" "$URL")
    CPU1=$(cpu_ticks "$PID")
    RPS=$(echo "$OUT" | awk '/Requests\/sec/ {print $2}')
    P99=$(echo "$OUT" | awk '$1 == "99%" {print $2}')
    COUNT=$(echo "$OUT" | awk '/requests in/ {print $1}')
    CPU=$(awk -v t=$((CPU1 - CPU0)) -v n="$COUNT" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.1f", t / hz * 1e6 / n }')
    echo "$SIDE $BIN c$CONNS $RPS p99 $P99 cpu/request ${CPU}us"
    kill "$PID"; wait "$PID" 2>/dev/null || true; PID=""
  done
done
