#!/usr/bin/env bash
# Alternates Hangar and the default `mlflow server` on one tracking scenario, round after round, and prints each
# round's ratio: on a noisy machine one ratio from one run says little, a row of them says how the two compare.
# Both servers run the whole time on fresh data dirs (the one not being measured sits idle); each measurement is
# a 2 s warm-up and a 5 s `wrk` run with the same Lua script bench/tracking uses.
#
#   bench/tracking/alternate.sh SCRIPT CONNECTIONS [ROUNDS]
#   VENV=/tmp/venv HANGAR_BIN=.build-release/release/hangar bench/tracking/alternate.sh create_run.lua 1 6
#
# SCRIPT is one of log_metric.lua, log_batch.lua, create_run.lua. Env: HANGAR_BIN (default
# <repo>/.build/release/hangar), VENV (a venv with mlflow 3.17.2; default <repo>/.venv). Needs wrk, curl, python3.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
[ $# -ge 2 ] || { sed -n 2,11p "$0" >&2; exit 2; }
SCRIPT=$1 CONNS=$2 ROUNDS=${3:-5}
HANGAR_BIN="${HANGAR_BIN:-$REPO/.build/release/hangar}"
VENV="${VENV:-$REPO/.venv}"
export MLFLOW_DISABLE_TELEMETRY=true DO_NOT_TRACK=true
WORK="$(mktemp -d -t hangar-alternate.XXXXXX)"
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill -- "-$pid" 2>/dev/null || kill "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
wait_up() { for _ in $(seq 1 600); do curl -sf "$1" >/dev/null && return 0; sleep 0.1; done; echo "no answer from $1" >&2; exit 1; }
api() { curl -sf -XPOST -H 'Content-Type: application/json' "$1/api/2.0/mlflow/$2" -d "$3"; }
field() { python3 -c "import sys, json; d = json.load(sys.stdin); print($1)"; }

HPORT=$(free_port)
mkdir -p "$WORK/hangar" "$WORK/mlflow"
setsid "$HANGAR_BIN" up --data-dir "$WORK/hangar/data" --host 127.0.0.1 --port "$HPORT" > "$WORK/hangar.log" 2>&1 &
PIDS+=($!)
MPORT=$(free_port)
(cd "$WORK/mlflow" && exec setsid "$VENV/bin/python" -m mlflow server --host 127.0.0.1 --port "$MPORT" --workers 4 \
  --backend-store-uri "sqlite:///$WORK/mlflow/mlflow.db" --artifacts-destination "$WORK/mlflow/mlartifacts") \
  > "$WORK/mlflow.log" 2>&1 &
PIDS+=($!)
wait_up "http://127.0.0.1:$HPORT/health"
wait_up "http://127.0.0.1:$MPORT/health"

# An experiment and 8 runs per server, as bench.py sets them up.
declare -A EXP IDS
for side in hangar mlflow; do
  url="http://127.0.0.1:$HPORT"; [ "$side" = mlflow ] && url="http://127.0.0.1:$MPORT"
  EXP[$side]=$(api "$url" experiments/create '{"name":"alternate"}' | field "d['experiment_id']")
  ids=""
  for _ in 1 2 3 4 5 6 7 8; do
    ids="$ids,$(api "$url" runs/create "{\"experiment_id\":\"${EXP[$side]}\"}" | field "d['run']['info']['run_id']")"
  done
  IDS[$side]=${ids#,}
done

SEQ=0
measure() {  # side url -> requests/s
  export BENCH_LUA_DIR="$HERE" BENCH_RUN_IDS="${IDS[$1]}" BENCH_EXPERIMENT_ID="${EXP[$1]}"
  SEQ=$((SEQ + 1)); BENCH_SEQ=$SEQ wrk -t"$CONNS" -c"$CONNS" -d2s -s "$HERE/$SCRIPT" "$2" > /dev/null
  SEQ=$((SEQ + 1)); BENCH_SEQ=$SEQ wrk -t"$CONNS" -c"$CONNS" -d5s -s "$HERE/$SCRIPT" "$2" | awk '/Requests\/sec/ {print $2}'
}
echo "round hangar_rps mlflow_rps ratio ($SCRIPT, $CONNS connection(s))"
for round in $(seq 1 "$ROUNDS"); do
  H=$(measure hangar "http://127.0.0.1:$HPORT")
  M=$(measure mlflow "http://127.0.0.1:$MPORT")
  echo "$round $H $M $(python3 -c "print(f'{$H / $M:.1f}x')")"
done
