#!/usr/bin/env bash
# Tracking benchmark: Hangar (`hangar up`, release build, default durability) vs the default
# `mlflow server` (4 workers, SQLite), same workload, one after the other, fresh data dirs.
#
#   bench/tracking/run.sh [--servers hangar,mlflow] [--duration 5] [--out results.json]
#
# Env: HANGAR_BIN (default <repo>/.build/release/hangar), BENCH_TIMEOUT (whole run, default
# 1800 s), BENCH_DURATION, BENCH_WARMUP, BENCH_SEARCH_N, BENCH_SEARCH_RUNS, VENV.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
VENV="${VENV:-$REPO/.venv}"
export HANGAR_BIN="${HANGAR_BIN:-$REPO/.build/release/hangar}"
export MLFLOW_DISABLE_TELEMETRY=true DO_NOT_TRACK=true

if [ ! -x "$VENV/bin/python" ]; then
  echo "creating venv $VENV" >&2
  python3 -m venv "$VENV"
fi
if ! "$VENV/bin/python" -c 'import mlflow, requests' 2>/dev/null; then
  "$VENV/bin/pip" install -q -r "$REPO/tests/requirements.txt"
fi
if ! command -v wrk >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    apt-get install -y wrk >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y wrk >/dev/null; }
  else
    echo "wrk is required: apt-get install -y wrk" >&2
    exit 2
  fi
fi

PIDFILE="$(mktemp -t hangar-bench-pids.XXXXXX)"
export BENCH_PIDFILE="$PIDFILE"
BENCH_PID=""

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  if [ -n "$BENCH_PID" ] && kill -0 "$BENCH_PID" 2>/dev/null; then
    kill -TERM "$BENCH_PID" 2>/dev/null || true   # bench.py stops its servers on SIGTERM
    for _ in $(seq 1 40); do kill -0 "$BENCH_PID" 2>/dev/null || break; sleep 0.5; done
    kill -KILL "$BENCH_PID" 2>/dev/null || true
  fi
  # any server still alive (bench.py died hard): kill its process group, by the id we recorded
  while read -r pid; do
    [ -n "$pid" ] && kill -KILL -- "-$pid" 2>/dev/null || true
  done < "$PIDFILE"
  rm -f "$PIDFILE"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

timeout --signal=TERM --kill-after=60 "${BENCH_TIMEOUT:-1800}" \
  "$VENV/bin/python" "$HERE/bench.py" "$@" &
BENCH_PID=$!
wait "$BENCH_PID"
