#!/usr/bin/env bash
# Serving benchmark: one LightGBM booster (bench/serving/model/model.lgb) served by Hangar
# (imported natively), by `mlflow models serve --env-manager local` and by a plain FastAPI +
# lightgbm app, plus Hangar's own GBDT on the same data; wrk at 1, 8 and 64 connections, alias
# moves under load, prediction log drops, RSS with 10 models. One run, one machine.
#
#   bench/serving/run.sh [--quick] [--duration 10] [--out results.json] [bench.py options]
#
# Env: HANGAR_BIN (default <repo>/.build-release/release/hangar), VENV (default
# bench/serving/.venv), BENCH_TIMEOUT (whole run, default 1800 s), BENCH_DURATION, BENCH_WARMUP,
# BENCH_TRAIN_ROWS, BENCH_STEADY, BENCH_MOVES, BENCH_MOVE_INTERVAL, BENCH_KEEP_WORKDIR.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
VENV="${VENV:-$HERE/.venv}"
export HANGAR_BIN="${HANGAR_BIN:-$REPO/.build-release/release/hangar}"
export MLFLOW_DISABLE_TELEMETRY=true DO_NOT_TRACK=true

if [ ! -x "$VENV/bin/python" ]; then
  echo "creating venv $VENV" >&2
  python3 -m venv "$VENV"
fi
if ! "$VENV/bin/python" -c 'import mlflow, lightgbm, sklearn, fastapi, uvicorn, requests' 2>/dev/null; then
  echo "installing $HERE/requirements.txt into $VENV" >&2
  "$VENV/bin/pip" install -q -r "$HERE/requirements.txt"
fi
# `mlflow models serve` shells out to `uvicorn`: the venv's bin must be on PATH
export PATH="$VENV/bin:$PATH"
if ! command -v wrk >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    apt-get install -y wrk >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y wrk >/dev/null; }
  else
    echo "wrk is required: apt-get install -y wrk" >&2
    exit 2
  fi
fi

PIDFILE="$(mktemp -t hangar-serving-bench-pids.XXXXXX)"
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
  # any server or trainer still alive (bench.py died hard): kill its process group, by the id we recorded
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
