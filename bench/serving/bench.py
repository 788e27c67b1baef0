#!/usr/bin/env python3
"""Serving benchmark: one LightGBM booster (model/model.lgb, 100 trees, committed) served by
Hangar (imported natively), by `mlflow models serve --env-manager local` and by a plain
FastAPI + lightgbm app (fastapi_app.py), plus Hangar's own GBDT trained on the same data, all in
one run on this machine.

Steps
  1. setup      regenerate the training data (make_model.py's seeded make_classification), check
                that lightgbm still predicts expected.json, start the three servers, register the
                booster in Hangar as `lgb` and train `hangar_gbdt` with `hangar train` (alias
                production on both), and wait until every server answers the 16 sample rows
                correctly (lgb: expected.json to 1e-6 on all three servers)
  2. throughput wrk -c1 / -c8 / -c64 with a single-row dataframe_split body against each target:
                requests/s, p50, p99; ratios Hangar/MLflow and Hangar/FastAPI. wrk runs one thread
                (--wrk-threads): on a 2-core machine a second wrk thread takes time slices from the
                server under test, and one thread drives several times what any server here answers
                (floor/floor.sh measures both; numbers in docs/benchmarks.md)
  3. alias      8 Python threads with persistent connections: a steady period, then 20 moves of
                the production alias between versions 1, 2, 3 of `lgb`: steady p99, p99 of the
                requests started within +-1 s of each move, non-2xx, versions seen, swap lag
  4. log        dropped prediction log records (/metrics) and logged vs served requests
  5. memory     a fresh `hangar up` serving the booster as 10 models (lgb_0..lgb_9): RSS
  Also: TCP_NODELAY on each server's accepted socket, RSS of each server after its load, load
  average at start and end.

Usage: bench.py [--quick] [--duration 10] [--warmup 2] [--connections 1,8,64] [--wrk-threads 1]
                [--targets hangar,hangar_gbdt,fastapi,mlflow] [--skip alias,memory] [--strict]
                [--out results.json]
Environment: HANGAR_BIN (default <repo>/.build-release/release/hangar), BENCH_DURATION,
             BENCH_WARMUP, BENCH_WRK_THREADS, BENCH_TRAIN_ROWS, BENCH_STEADY, BENCH_MOVES, BENCH_MOVE_INTERVAL.
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import http.client
import json
import logging
import math
import os
import platform
import re
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

os.environ.update({"MLFLOW_DISABLE_TELEMETRY": "true", "DO_NOT_TRACK": "true"})

import requests  # noqa: E402

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
MODEL_DIR = HERE / "model"
FEATURES = [f"f{i}" for i in range(28)]
TRAIN_ROWS = 100_000  # make_model.py: the first 100,000 rows train the booster, the last 16 are requests
REQUEST_ROWS = 16
TARGET_COLUMN = "label"
PIDFILE = os.environ.get("BENCH_PIDFILE")  # run.sh kills what is listed here if we die
DEFAULT_HANGAR = REPO / ".build-release" / "release" / "hangar"
VENV_BIN = Path(sys.executable).parent  # `mlflow models serve` shells out to uvicorn: needs it on PATH

TARGETS = {
    # key: (label, server, path)
    "hangar": ("Hangar (LightGBM imported)", "hangar", "/models/lgb/invocations"),
    "hangar_gbdt": ("Hangar own GBDT", "hangar", "/models/hangar_gbdt/invocations"),
    "fastapi": ("FastAPI + lightgbm", "fastapi", "/invocations"),
    "mlflow": ("mlflow models serve", "mlflow", "/invocations"),
}

# the targets
TARGET_VS_MLFLOW = 100.0
TARGET_VS_FASTAPI = 10.0
TARGET_P99_C8_MS = 1.0
TARGET_MOVE_RATIO = 2.0
TARGET_RSS_MB = 200.0


def log(msg: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def record_pid(pid: int) -> None:
    if PIDFILE:
        with open(PIDFILE, "a") as f:
            f.write(f"{pid}\n")


def hangar_bin() -> str:
    binary = os.environ.get("HANGAR_BIN", str(DEFAULT_HANGAR))
    if not Path(binary).exists():
        raise SystemExit(f"Hangar binary {binary} not found: the lead builds it with "
                         "`swift build -c release --build-path .build-release`; or set HANGAR_BIN")
    return binary


# ----------------------------------------------------------------------------- servers


class Server:
    """A server process in its own process group (so it and its children can be stopped together)."""

    def __init__(self, kind: str, workdir: Path, command: list[str], ready_path: str,
                 env: dict | None = None):
        self.kind = kind
        self.dir = workdir / kind
        self.dir.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.command = [c.replace("{port}", str(self.port)).replace("{dir}", str(self.dir)) for c in command]
        self.ready_path = ready_path
        self.env = dict(os.environ, **(env or {}))
        self.proc: subprocess.Popen | None = None
        self.logfile = workdir / f"{kind}.log"
        self.ready_s: float | None = None

    def start(self, timeout: float = 180) -> "Server":
        log(f"starting {self.kind}: {' '.join(self.command)}")
        with open(self.logfile, "wb") as out:
            self.proc = subprocess.Popen(self.command, stdout=out, stderr=subprocess.STDOUT,
                                         stdin=subprocess.DEVNULL, cwd=str(self.dir), env=self.env,
                                         start_new_session=True)
        record_pid(self.proc.pid)
        self._t0 = time.monotonic()
        self._timeout = timeout
        return self

    def wait_ready(self) -> None:
        deadline = self._t0 + self._timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.kind} exited during start-up ({self.proc.returncode}); "
                                   f"see {self.logfile}:\n" + self.tail())
            try:
                if requests.get(self.url + self.ready_path, timeout=2).status_code == 200:
                    self.ready_s = time.monotonic() - self._t0
                    log(f"{self.kind} ready on {self.url} after {self.ready_s:.2f}s")
                    return
            except requests.RequestException:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"{self.kind} not ready after {self._timeout}s; see {self.logfile}:\n" + self.tail())

    def tail(self, n: int = 3000) -> str:
        try:
            return self.logfile.read_text(errors="replace")[-n:]
        except OSError:
            return ""

    def pids(self) -> list[int]:
        """The server's processes: everything in its process group (mlflow runs uvicorn as a child)."""
        if self.proc is None:
            return []
        out = []
        for d in Path("/proc").iterdir():
            if d.name.isdigit():
                try:
                    if os.getpgid(int(d.name)) == self.proc.pid:
                        out.append(int(d.name))
                except (OSError, ProcessLookupError):
                    pass
        return sorted(out)

    def rss_mb(self) -> float | None:
        total = 0
        for pid in self.pids():
            total += vm_rss_kb(pid) or 0
        return total / 1024 if total else None

    def stop(self) -> None:
        if self.proc is None:
            return
        for sig, wait in ((signal.SIGTERM, 20), (signal.SIGKILL, 10)):
            try:
                os.killpg(self.proc.pid, sig)
            except ProcessLookupError:
                break
            try:
                self.proc.wait(timeout=wait)
            except subprocess.TimeoutExpired:
                continue
            try:  # children left in the group go too
                os.killpg(self.proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            break
        log(f"{self.kind} stopped")
        self.proc = None


def vm_rss_kb(pid: int) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def hangar_server(workdir: Path, kind: str = "hangar") -> Server:
    return Server(kind, workdir, [hangar_bin(), "up", "--data-dir", "{dir}/data", "--host", "127.0.0.1",
                                  "--port", "{port}"], "/health")


def tcp_nodelay(server: Server) -> dict:
    """Whether the server set TCP_NODELAY on the socket it accepted: connect, find the server side of
    the connection in /proc/net/tcp, copy the server's file descriptor with pidfd_getfd (Linux >= 5.6,
    needs ptrace rights: root or the same user) and read the option."""
    try:
        client = socket.create_connection(("127.0.0.1", server.port), timeout=5)
    except OSError as e:
        return {"nodelay": None, "why": f"connect: {e}"}
    try:
        cport = client.getsockname()[1]
        inode = None
        for _ in range(20):
            for table in ("/proc/net/tcp", "/proc/net/tcp6"):
                try:
                    lines = Path(table).read_text().splitlines()[1:]
                except OSError:
                    continue
                for line in lines:
                    p = line.split()
                    if (int(p[1].rsplit(":", 1)[1], 16) == server.port
                            and int(p[2].rsplit(":", 1)[1], 16) == cport and p[9] != "0"):
                        inode = p[9]
            if inode:
                break
            time.sleep(0.05)
        if not inode:
            return {"nodelay": None, "why": "server side of the connection not found"}
        time.sleep(0.2)  # let the server accept it
        libc = ctypes.CDLL(None, use_errno=True)
        for pid in server.pids():
            try:
                fds = os.listdir(f"/proc/{pid}/fd")
            except OSError:
                continue
            for fd in fds:
                try:
                    if os.readlink(f"/proc/{pid}/fd/{fd}") != f"socket:[{inode}]":
                        continue
                except OSError:
                    continue
                pidfd = libc.syscall(434, pid, 0)  # pidfd_open
                if pidfd < 0:
                    return {"nodelay": None, "why": f"pidfd_open: {os.strerror(ctypes.get_errno())}"}
                try:
                    mine = libc.syscall(438, pidfd, int(fd), 0)  # pidfd_getfd
                    if mine < 0:
                        return {"nodelay": None, "why": f"pidfd_getfd: {os.strerror(ctypes.get_errno())}"}
                    try:
                        s = socket.socket(fileno=mine)
                        value = s.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)
                        s.detach()
                    finally:
                        os.close(mine)
                    return {"nodelay": bool(value), "pid": pid}
                finally:
                    os.close(pidfd)
        return {"nodelay": None, "why": "no process of the server holds the accepted socket"}
    finally:
        client.close()


# ----------------------------------------------------------------------------- data and model


def training_data():
    """make_model.py's data, regenerated: same generator, seed and rounding."""
    import numpy as np
    from sklearn.datasets import make_classification
    x, y = make_classification(n_samples=TRAIN_ROWS + REQUEST_ROWS, n_features=28, n_informative=14, n_redundant=4,
                               n_clusters_per_class=4, flip_y=0.05, class_sep=0.8, random_state=42)
    return np.round(x, 4), y


def write_csv(path: Path, x, y, rows: int) -> None:
    with open(path, "w") as f:
        f.write(",".join(FEATURES + [TARGET_COLUMN]) + "\n")
        for r, label in zip(x[:rows], y[:rows]):
            f.write(",".join(repr(float(v)) for v in r) + f",{int(label)}\n")


def probabilities(payload) -> list[float]:
    """Positive-class probabilities from any server's answer: [p, ...] (MLflow, FastAPI),
    [{"proba_1": p, ...}, ...] (Hangar), [[p0, p1], ...]."""
    preds = payload["predictions"] if isinstance(payload, dict) else payload
    out = []
    for p in preds:
        if isinstance(p, dict):
            key = next((k for k in ("proba_1", "probability", "prediction") if k in p), None)
            if key is None:
                raise ValueError(f"no probability in {p}")
            out.append(float(p[key]))
        elif isinstance(p, list):
            out.append(float(p[-1]))
        else:
            out.append(float(p))
    return out


class Checked(Exception):
    pass


def check_answer(url: str, body: bytes, expected: list[float] | None, tol: float = 1e-6) -> dict:
    r = requests.post(url, data=body, headers={"Content-Type": "application/json"}, timeout=30)
    if r.status_code != 200:
        raise Checked(f"POST {url} -> {r.status_code}: {r.text[:500]}")
    got = probabilities(r.json())
    res = {"n": len(got), "version": r.headers.get("X-Hangar-Model-Version"), "sample": r.text[:300]}
    if expected is not None:
        if len(got) != len(expected):
            raise Checked(f"POST {url}: {len(got)} predictions, expected {len(expected)}")
        diff = max(abs(a - b) for a, b in zip(got, expected))
        res["max_abs_diff"] = diff
        if diff > tol:
            raise Checked(f"POST {url}: predictions differ from expected.json by up to {diff:.3g} (> {tol}): "
                          f"{got} vs {expected}")
    res["probabilities"] = got
    return res


def wait_served(url: str, name: str, version: str, timeout: float) -> dict:
    """Until /models/{name}/info is ready at `version`; raises on a load failure of that version."""
    deadline = time.monotonic() + timeout
    info: dict = {}
    while time.monotonic() < deadline:
        try:
            r = requests.get(f"{url}/models/{name}/info", timeout=5)
            info = r.json() if r.headers.get("content-type", "").startswith("application/json") else {}
        except (requests.RequestException, ValueError):
            info = {}
        if info.get("ready") and str(info.get("version")) == str(version):
            return info
        failure = info.get("last_load_failure")
        if failure and str(failure.get("version")) == str(version):
            raise Checked(f"Hangar could not load {name} version {version}: {failure.get('reason')} "
                          f"(GET /models/{name}/info -> {json.dumps(info)})")
        time.sleep(0.1)
    raise Checked(f"{name} version {version} not served after {timeout}s: GET /models/{name}/info -> {json.dumps(info)}")


def mlflow_quiet():
    import mlflow
    for name in ("mlflow", "alembic", "urllib3"):
        logging.getLogger(name).setLevel(logging.WARNING)
    return mlflow


def log_booster(tracking_uri: str, booster, name: str, signature, experiment: str = "bench-serving") -> str:
    """mlflow.lightgbm.log_model into Hangar, registered as `name`; returns the new version."""
    mlflow = mlflow_quiet()
    mlflow.set_tracking_uri(tracking_uri)
    mlflow.set_experiment(experiment)
    # the MLflow client prints "View run ..." to stdout: keep stdout for the report
    with contextlib.redirect_stdout(sys.stderr), mlflow.start_run(run_name=f"log-{name}"):
        info = mlflow.lightgbm.log_model(booster, name="model", registered_model_name=name, signature=signature,
                                         pip_requirements=[f"lightgbm=={booster_version()}"])
    return str(info.registered_model_version)


def booster_version() -> str:
    import lightgbm
    return lightgbm.__version__


def set_alias(tracking_uri: str, name: str, version: str, alias: str = "production") -> None:
    from mlflow import MlflowClient
    MlflowClient(tracking_uri=tracking_uri).set_registered_model_alias(name, alias, str(version))


# ----------------------------------------------------------------------------- metrics


def prometheus(url: str) -> dict[str, dict[str, float]]:
    text = requests.get(url + "/metrics", timeout=10).text
    out: dict[str, dict[str, float]] = {}
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        series, _, value = line.rpartition(" ")
        name = series.split("{", 1)[0]
        try:
            out.setdefault(name, {})[series[len(name):]] = float(value)
        except ValueError:
            pass
    return out


def prom_sum(m: dict, name: str, contains: str = "") -> float:
    return sum(v for k, v in m.get(name, {}).items() if contains in k)


def percentile(sorted_values: list[float], q: float) -> float | None:
    """Nearest-rank percentile of an already sorted list."""
    if not sorted_values:
        return None
    k = max(0, min(len(sorted_values) - 1, math.ceil(q / 100 * len(sorted_values)) - 1))
    return sorted_values[k]


# ----------------------------------------------------------------------------- wrk

_UNITS_MS = {"us": 1e-3, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def _ms(token: str) -> float:
    m = re.fullmatch(r"([\d.]+)(us|ms|s|m)", token)
    if not m:
        raise ValueError(f"not a wrk duration: {token}")
    return float(m[1]) * _UNITS_MS[m[2]]


def wrk(url: str, body_file: Path, connections: int, duration: int, threads: int) -> dict:
    threads = max(1, min(threads, connections))
    cmd = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--timeout", "10s", "--latency",
           "-s", str(HERE / "post.lua"), url]
    out = subprocess.run(cmd, env=dict(os.environ, BENCH_BODY_FILE=str(body_file)), capture_output=True,
                         text=True, timeout=duration + 60)
    text = out.stdout
    if out.returncode != 0 or "Requests/sec:" not in text:
        raise RuntimeError(f"wrk failed ({out.returncode}): {text[-2000:]} {out.stderr[-2000:]}")
    res: dict = {"cmd": " ".join(cmd), "threads": threads, "connections": connections, "duration_s": duration}
    for line in text.splitlines():
        s = line.strip()
        if s.startswith("Requests/sec:"):
            res["rps"] = float(s.split()[1])
        elif re.match(r"^(50|75|90|99)%\s", s):
            pct, val = s.split()
            res[f"p{pct[:-1]}_ms"] = _ms(val)
        elif re.match(r"^\d+ requests in ", s):
            res["requests"] = int(s.split()[0])
        elif s.startswith("Non-2xx or 3xx responses:"):
            res["non2xx"] = int(s.split(":")[1])
        elif s.startswith("Socket errors:"):
            res["socket_errors"] = {k: int(v) for k, v in re.findall(r"(\w+) (\d+)", s.split(":", 1)[1])}
    res.setdefault("non2xx", 0)
    res.setdefault("socket_errors", {})
    res["errors"] = res["non2xx"] + sum(res["socket_errors"].values())
    res["text"] = text
    return res


# ----------------------------------------------------------------------------- alias moves


def alias_moves(url: str, name: str, versions: list[str], body: bytes, threads: int, warm: float, steady: float,
                moves: int, interval: float, tracking_uri: str) -> dict:
    """8 threads, each with one persistent connection, POST the single-row body in a closed loop and record
    (start, latency, status, X-Hangar-Model-Version) for every request; after `warm` + `steady` seconds the
    production alias of `name` moves `moves` times, every `interval` seconds, cycling through `versions`."""
    from mlflow import MlflowClient
    client = MlflowClient(tracking_uri=tracking_uri)
    host, port = "127.0.0.1", int(url.rsplit(":", 1)[1])
    path = f"/models/{name}/invocations"
    stop = threading.Event()
    per_thread: list[list[tuple]] = [[] for _ in range(threads)]
    headers = {"Content-Type": "application/json", "Connection": "keep-alive"}

    def connect() -> http.client.HTTPConnection:
        c = http.client.HTTPConnection(host, port, timeout=30)
        c.connect()
        c.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return c

    def worker(i: int) -> None:
        out = per_thread[i]
        conn = connect()
        while not stop.is_set():
            t = time.perf_counter()
            try:
                conn.request("POST", path, body=body, headers=headers)
                resp = conn.getresponse()
                resp.read()
                status, version = resp.status, resp.getheader("X-Hangar-Model-Version")
            except (OSError, http.client.HTTPException) as e:
                status, version = -1, type(e).__name__
                conn.close()
                try:
                    conn = connect()
                except OSError:
                    time.sleep(0.01)
            out.append((t, time.perf_counter() - t, status, version))
        conn.close()

    set_alias(tracking_uri, name, versions[0])
    wait_served(url, name, versions[0], 60)
    old_switch = sys.getswitchinterval()
    sys.setswitchinterval(0.001)  # the threads' GIL hand-offs add less to the measured latency
    pool = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(threads)]
    t0 = time.perf_counter()
    for th in pool:
        th.start()
    move_log = []
    try:
        time.sleep(warm + steady)
        t_moves = time.perf_counter()
        for i in range(moves):
            target = versions[(i + 1) % len(versions)]
            delay = t_moves + i * interval - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            ts = time.perf_counter()
            client.set_registered_model_alias(name, "production", target)
            move_log.append({"i": i, "version": target, "t": ts, "call_s": time.perf_counter() - ts})
        time.sleep(max(interval, 1.5))
    finally:
        stop.set()
        for th in pool:
            th.join(timeout=35)
        sys.setswitchinterval(old_switch)

    recs = sorted((r for lst in per_thread for r in lst), key=lambda r: r[0])
    steady_from, steady_to = t0 + warm, t0 + warm + steady
    steady_lat = sorted(r[1] for r in recs if steady_from <= r[0] < steady_to)
    steady_p99 = percentile(steady_lat, 99)
    per_move = []
    for k, mv in enumerate(move_log):
        lat = sorted(r[1] for r in recs if mv["t"] - 1.0 <= r[0] <= mv["t"] + 1.0)
        p99 = percentile(lat, 99)
        end = move_log[k + 1]["t"] if k + 1 < len(move_log) else float("inf")
        first_new = next((r for r in recs if mv["t"] <= r[0] < end and r[3] == mv["version"] and r[2] == 200), None)
        lag = None if first_new is None else max(0.0, first_new[0] + first_new[1] - (mv["t"] + mv["call_s"]))
        per_move.append({"version": mv["version"], "alias_call_ms": mv["call_s"] * 1000, "n": len(lat),
                         "p50_ms": percentile(lat, 50) * 1000 if lat else None,
                         "p99_ms": p99 * 1000 if p99 is not None else None,
                         "max_ms": lat[-1] * 1000 if lat else None,
                         "ratio": (p99 / steady_p99) if (p99 is not None and steady_p99) else None,
                         "swap_lag_ms": lag * 1000 if lag is not None else None})
    move_recs = [r for r in recs if r[0] >= t_moves - 1.0]
    bad = [r for r in recs if r[2] != 200]
    ratios = [m["ratio"] for m in per_move if m["ratio"] is not None]
    lags = [m["swap_lag_ms"] for m in per_move if m["swap_lag_ms"] is not None]
    statuses: dict[str, int] = {}
    for r in bad:
        statuses[str(r[2]) if r[2] != -1 else f"error:{r[3]}"] = statuses.get(str(r[2]) if r[2] != -1 else f"error:{r[3]}", 0) + 1
    moves_lat = sorted(r[1] for r in move_recs)
    return {
        "threads": threads, "model": name, "versions": versions, "moves": len(move_log), "interval_s": interval,
        "steady_s": steady, "requests": len(recs),
        "steady": {"n": len(steady_lat), "rps": len(steady_lat) / steady if steady else None,
                   "p50_ms": percentile(steady_lat, 50) * 1000 if steady_lat else None,
                   "p99_ms": steady_p99 * 1000 if steady_p99 is not None else None},
        "during_moves": {"n": len(moves_lat), "p50_ms": percentile(moves_lat, 50) * 1000 if moves_lat else None,
                         "p99_ms": percentile(moves_lat, 99) * 1000 if moves_lat else None,
                         "max_ms": moves_lat[-1] * 1000 if moves_lat else None},
        "per_move": per_move,
        "max_ratio": max(ratios) if ratios else None,
        "non2xx": len(bad), "bad_statuses": statuses,
        "versions_seen": sorted({r[3] for r in move_recs if r[2] == 200 and r[3]}),
        "swap_lag_ms": {"median": statistics.median(lags) if lags else None, "max": max(lags) if lags else None,
                        "unobserved": sum(1 for m in per_move if m["swap_lag_ms"] is None)},
    }


# ----------------------------------------------------------------------------- prediction log


def prediction_log_counts(server: Server, timeout: float = 120) -> dict:
    """Waits until the prediction log's queue is empty, then compares what was logged (rows in the SQLite
    prediction_log table, distinct request ids) with what /metrics says was served and dropped."""
    deadline = time.monotonic() + timeout
    m = prometheus(server.url)
    while time.monotonic() < deadline and prom_sum(m, "hangar_prediction_log_queue_depth") > 0:
        time.sleep(0.2)
        m = prometheus(server.url)
    db = server.dir / "data" / "hangar.db"
    logged_rows = logged_requests = None
    last = None
    while time.monotonic() < deadline:  # the writer may still be committing its last batch
        try:
            with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=30) as conn:
                logged_rows, logged_requests = conn.execute(
                    "SELECT count(*), count(DISTINCT request_id) FROM prediction_log WHERE shadow = 0").fetchone()
        except sqlite3.Error as e:
            log(f"  reading prediction_log: {e}")
            break
        if (logged_rows, logged_requests) == last:
            break
        last = (logged_rows, logged_requests)
        time.sleep(1.0)
    served = prom_sum(m, "hangar_serving_requests_total")
    errors = prom_sum(m, "hangar_serving_errors_total")
    search = requests.get(f"{server.url}/api/2.0/hangar/predictions/search",
                          params={"model": "lgb", "max_results": 1}, timeout=30)
    return {"served_requests": int(served), "serving_errors": int(errors),
            "dropped": int(prom_sum(m, "hangar_prediction_log_dropped_total")),
            "dropped_metric_present": "hangar_prediction_log_dropped_total" in m,
            "queue_depth": prom_sum(m, "hangar_prediction_log_queue_depth"),
            "logged_rows": logged_rows, "logged_requests": logged_requests,
            "swaps": int(prom_sum(m, "hangar_serving_swaps_total")),
            "swaps_metric_present": "hangar_serving_swaps_total" in m,
            "load_failures": int(prom_sum(m, "hangar_serving_load_failures_total")),
            "search_status": search.status_code}


# ----------------------------------------------------------------------------- memory


def memory_test(workdir: Path, booster, signature, subject: str, csv_path: Path, body16: bytes,
                expected: list[float]) -> dict:
    """A fresh `hangar up` serving 10 models: the booster logged 10 times (lgb_0..lgb_9), or, when Hangar
    cannot load LightGBM yet, Hangar's own GBDT trained once and registered under 10 names (gbdt_0..gbdt_9)."""
    srv = hangar_server(workdir, "hangar-memory")
    res: dict = {"models": 10, "subject": subject}
    try:
        srv.start()
        srv.wait_ready()
        time.sleep(1.0)
        res["idle_rss_mb"] = vm_rss_kb(srv.proc.pid) / 1024
        names = []
        if subject == "lgb":
            for i in range(10):
                name = f"lgb_{i}"
                v = log_booster(srv.url, booster, name, signature, experiment="bench-memory")
                set_alias(srv.url, name, v)
                names.append((name, v))
        else:
            v0 = hangar_train(srv.url, csv_path, "gbdt_0", srv.dir / "train", experiment="bench-memory")
            from mlflow import MlflowClient
            c = MlflowClient(tracking_uri=srv.url)
            src = c.get_model_version("gbdt_0", v0)
            set_alias(srv.url, "gbdt_0", v0)
            names.append(("gbdt_0", v0))
            for i in range(1, 10):
                c.create_registered_model(f"gbdt_{i}")
                nv = c.create_model_version(f"gbdt_{i}", src.source, run_id=src.run_id)
                set_alias(srv.url, f"gbdt_{i}", nv.version)
                names.append((f"gbdt_{i}", nv.version))
        t = time.monotonic()
        for name, v in names:
            wait_served(srv.url, name, v, 120)
        res["all_served_after_s"] = time.monotonic() - t
        for name, _ in names:
            for _ in range(20):
                check_answer(f"{srv.url}/models/{name}/invocations", body16, expected if subject == "lgb" else None)
        time.sleep(1.0)
        res["rss_mb"] = vm_rss_kb(srv.proc.pid) / 1024
        res["served"] = [n for n, _ in names]
    finally:
        srv.stop()
    return res


def hangar_train(url: str, csv_path: Path, name: str, workdir: Path, experiment: str = "bench-serving",
                 proc_out: dict | None = None) -> str:
    workdir.mkdir(parents=True, exist_ok=True)
    cmd = [hangar_bin(), "train", str(csv_path), "--target", TARGET_COLUMN, "--learner", "gbdt", "--trees", "100",
           "--leaves", "31", "--learning-rate", "0.1", "--output", str(workdir / f"{name}.hangar"),
           "--tracking-uri", url, "--experiment", experiment, "--register", name]
    log(f"training: {' '.join(cmd)}")
    t = time.monotonic()
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=str(workdir),
                         start_new_session=True)
    record_pid(p.pid)
    out, _ = p.communicate(timeout=3600)
    if p.returncode != 0:
        raise RuntimeError(f"hangar train failed ({p.returncode}):\n{out[-3000:]}")
    m = re.search(rf"registered {re.escape(name)} version (\S+)", out)
    if not m:
        raise RuntimeError(f"hangar train did not say which version it registered:\n{out[-3000:]}")
    if proc_out is not None:
        proc_out.update({"train_s": time.monotonic() - t, "output": out.strip().splitlines()[-4:]})
    return m[1]


# ----------------------------------------------------------------------------- report


def fmt_ms(v: float | None) -> str:
    if v is None:
        return "-"
    return f"{v * 1000:.0f} us" if v < 1 else f"{v:.2f} ms"


def fmt_rps(v: float | None) -> str:
    return "-" if v is None else f"{v:,.0f}"


def table(rows: list[tuple]) -> str:
    widths = [max(len(str(r[i])) for r in rows) for i in range(len(rows[0]))]
    lines = []
    for n, row in enumerate(rows):
        lines.append("| " + " | ".join(str(c).ljust(widths[i]) for i, c in enumerate(row)) + " |")
        if n == 0:
            lines.append("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(lines)


def report(results: dict) -> str:
    meta = results["meta"]
    out = [f"Serving benchmark, {meta['date']}, {meta['cpus']} CPUs, load average "
           f"{'/'.join(f'{v:.2f}' for v in meta['loadavg_start'])} at start, "
           f"{'/'.join(f'{v:.2f}' for v in meta.get('loadavg_end', [0, 0, 0]))} at end",
           f"Model: model/model.lgb (LightGBM {meta.get('lightgbm')}, 100 trees, 28 features); body: one row as "
           f"dataframe_split; wrk {meta['duration_s']:g}s per run after {meta['warmup_s']:g}s warm-up, "
           f"-t1 at c=1, -t2 otherwise, on 127.0.0.1; Hangar prediction log on; model logged "
           f"{'with' if meta.get('signature') else 'without'} a signature",
           f"Hangar: {meta['hangar_bin']}; MLflow: mlflow models serve --env-manager local (mlflow {meta.get('mlflow')}, "
           f"1 uvicorn worker); FastAPI: uvicorn --workers 1 fastapi_app:app; both with "
           + ("OMP_NUM_THREADS unset" if meta.get("omp_threads_python_servers") == "default"
              else f"OMP_NUM_THREADS={meta.get('omp_threads_python_servers')}"), ""]
    setup = results.get("setup", {})
    for key, s in setup.items():
        if s.get("error"):
            out.append(f"!! {key}: {s['error']}")
    if any(s.get("error") for s in setup.values()):
        out.append("")
    tp = results.get("throughput", {})
    if tp:
        rows = [("target", "conns", "req/s", "p50", "p99", "errors")]
        for key in TARGETS:
            if key not in tp:
                continue
            for c, r in tp[key].items():
                if "error" in r:
                    rows.append((TARGETS[key][0], c, "failed", "", "", r["error"][:60]))
                    continue
                err = str(r["errors"]) if r["errors"] else "0"
                if r.get("log_dropped"):
                    err += f" (log dropped {r['log_dropped']})"
                rows.append((TARGETS[key][0], c, fmt_rps(r.get("rps")), fmt_ms(r.get("p50_ms")), fmt_ms(r.get("p99_ms")),
                             err))
        out += [table(rows), ""]
        rr = results.get("ratios", {})
        if rr:
            rows = [("conns", "Hangar/MLflow", "Hangar/FastAPI", "Hangar GBDT/MLflow", "Hangar GBDT/FastAPI")]
            for c, r in rr.items():
                rows.append((c, *(f"{r[k]:.1f}x" if r.get(k) else "-" for k in
                                  ("hangar/mlflow", "hangar/fastapi", "hangar_gbdt/mlflow", "hangar_gbdt/fastapi"))))
            out += [table(rows), ""]
    nd = results.get("tcp_nodelay", {})
    if nd:
        out.append("TCP_NODELAY on the accepted socket: " + ", ".join(
            f"{k} {'yes' if v.get('nodelay') else ('no' if v.get('nodelay') is False else '? (' + v.get('why', '') + ')')}"
            for k, v in nd.items()))
    rss = results.get("rss_after_load_mb", {})
    if rss:
        out.append("RSS after load: " + ", ".join(f"{k} {v:.0f} MB" for k, v in rss.items() if v))
    am = results.get("alias_moves")
    if am and "error" not in am:
        s = am["steady"]
        out += ["", f"Alias moves ({am['model']}, {am['threads']} Python threads with keep-alive connections, "
                    f"{am['moves']} moves every {am['interval_s']:g}s through versions {','.join(am['versions'])}):",
                f"  steady {am['steady_s']:g}s: {s['n']} requests ({fmt_rps(s['rps'])}/s), p50 {fmt_ms(s['p50_ms'])}, "
                f"p99 {fmt_ms(s['p99_ms'])}",
                f"  during moves: p50 {fmt_ms(am['during_moves']['p50_ms'])}, p99 {fmt_ms(am['during_moves']['p99_ms'])}, "
                f"max {fmt_ms(am['during_moves']['max_ms'])}",
                "  p99 within +-1 s of each move (ratio to steady p99): " + ", ".join(
                    f"{fmt_ms(m['p99_ms'])} ({m['ratio']:.2f})" if m["ratio"] is not None else "-" for m in am["per_move"]),
                f"  slowest request within +-1 s of a move: {fmt_ms(max((m['max_ms'] or 0) for m in am['per_move']))}",
                f"  max ratio {am['max_ratio']:.2f}; non-2xx/errors {am['non2xx']}"
                f"{' ' + json.dumps(am['bad_statuses']) if am['bad_statuses'] else ''}; "
                f"versions seen {','.join(am['versions_seen'])}; swap lag (alias call returned -> first answer by the "
                f"new version) median {fmt_ms(am['swap_lag_ms']['median'])}, max {fmt_ms(am['swap_lag_ms']['max'])}"
                + (f", {am['swap_lag_ms']['unobserved']} moves not seen" if am['swap_lag_ms']['unobserved'] else "")]
    elif am:
        out += ["", f"Alias moves: FAILED: {am['error']}"]
    pl = results.get("prediction_log")
    if pl:
        out += ["", f"Prediction log: served {pl['served_requests']:,} requests, logged {pl['logged_requests']:,} "
                    f"requests ({pl['logged_rows']:,} rows), dropped {pl['dropped']}"
                    f"{'' if pl['dropped_metric_present'] else ' (metric absent from /metrics)'}; swaps "
                    f"{pl['swaps'] if pl.get('swaps_metric_present') else '? (hangar_serving_swaps_total absent from /metrics)'}"]
    mem = results.get("memory")
    if mem and "error" not in mem:
        out += [f"Memory: fresh hangar up serving 10 models ({mem['subject']}_0..9): RSS {mem['rss_mb']:.0f} MB "
                f"(idle before registering {mem['idle_rss_mb']:.0f} MB; all served {mem['all_served_after_s']:.1f}s "
                f"after the last alias set)"]
    elif mem:
        out += [f"Memory: FAILED: {mem['error']}"]
    tg = results.get("targets", [])
    if tg:
        out += ["", "Targets:"]
        for t in tg:
            mark = {True: "MET   ", False: "MISSED", None: "n/a   "}[t["met"]]
            out.append(f"  [{mark}] {t['name']}: {t['value']}")
    if results.get("subject") and results["subject"] != "lgb":
        out += ["", f"NOTE: Hangar could not serve the LightGBM booster; the alias-move and memory tests used "
                    f"{results['subject']} (Hangar's own GBDT) instead, and every Hangar-vs-X target is n/a."]
    return "\n".join(out)


def evaluate_targets(results: dict) -> list[dict]:
    tp = results.get("throughput", {})
    h = tp.get("hangar", {})
    t = []

    def rps(key, c):
        r = tp.get(key, {}).get(str(c))
        return r.get("rps") if r and "error" not in r else None

    hr, mr, fr = rps("hangar", 64), rps("mlflow", 64), rps("fastapi", 64)
    t.append({"name": f"c=64 Hangar >= {TARGET_VS_MLFLOW:g}x MLflow requests/s",
              "met": (hr / mr >= TARGET_VS_MLFLOW) if hr and mr else None,
              "value": f"{hr / mr:.1f}x ({fmt_rps(hr)} vs {fmt_rps(mr)})" if hr and mr else "not measured"})
    t.append({"name": f"c=64 Hangar >= {TARGET_VS_FASTAPI:g}x FastAPI requests/s",
              "met": (hr / fr >= TARGET_VS_FASTAPI) if hr and fr else None,
              "value": f"{hr / fr:.1f}x ({fmt_rps(hr)} vs {fmt_rps(fr)})" if hr and fr else "not measured"})
    h64 = h.get("64")
    pl = results.get("prediction_log")
    if pl:
        ok = pl["dropped"] == 0 and pl["logged_requests"] == pl["served_requests"]
        t.append({"name": "zero dropped prediction log records (whole run: logged == served)",
                  "met": ok if h64 and "error" not in h64 else None,
                  "value": f"dropped {pl['dropped']}, logged {pl['logged_requests']:,} of {pl['served_requests']:,} "
                           f"served requests"})
    h8 = h.get("8")
    p99 = h8.get("p99_ms") if h8 and "error" not in h8 else None
    t.append({"name": f"c=8 Hangar p99 < {TARGET_P99_C8_MS:g} ms", "met": (p99 < TARGET_P99_C8_MS) if p99 is not None else None,
              "value": fmt_ms(p99) if p99 is not None else "not measured"})
    am = results.get("alias_moves")
    if am and "error" not in am and am.get("max_ratio") is not None:
        ok = am["max_ratio"] <= TARGET_MOVE_RATIO and am["non2xx"] == 0
        t.append({"name": f"{am['moves']} alias moves: p99 within +-1 s of each move <= {TARGET_MOVE_RATIO:g}x steady p99, "
                          "no non-2xx",
                  "met": ok if am["model"] == "lgb" else None,
                  "value": f"max {am['max_ratio']:.2f}x of {fmt_ms(am['steady']['p99_ms'])}, non-2xx {am['non2xx']}"
                           + ("" if am["model"] == "lgb" else f" (measured on {am['model']})")})
    else:
        t.append({"name": "alias moves", "met": None, "value": "not measured"})
    mem = results.get("memory")
    if mem and "error" not in mem:
        t.append({"name": f"10 models served under {TARGET_RSS_MB:g} MB RSS",
                  "met": (mem["rss_mb"] < TARGET_RSS_MB) if mem["subject"] == "lgb" else None,
                  "value": f"{mem['rss_mb']:.0f} MB" + ("" if mem["subject"] == "lgb" else f" (measured on {mem['subject']})")})
    else:
        t.append({"name": "memory", "met": None, "value": "not measured"})
    nd = results.get("tcp_nodelay", {}).get("hangar")
    if nd:
        t.append({"name": "Hangar sets TCP_NODELAY", "met": nd.get("nodelay"),
                  "value": {True: "yes", False: "no"}.get(nd.get("nodelay"), nd.get("why", "?"))})
    return t


# ----------------------------------------------------------------------------- main


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    env = os.environ.get
    ap.add_argument("--quick", action="store_true",
                    help="short runs for testing the harness: 2 s per wrk run, 1 s warm-up, 10,000 training rows, "
                         "3 s steady + 6 alias moves")
    ap.add_argument("--duration", type=float, default=None, help="seconds per wrk run (BENCH_DURATION, 10)")
    ap.add_argument("--warmup", type=float, default=None, help="seconds of wrk warm-up before each run (BENCH_WARMUP, 2)")
    ap.add_argument("--connections", default="1,8,64")
    ap.add_argument("--wrk-threads", type=int, default=int(env("BENCH_WRK_THREADS", "1")),
                    help="wrk threads (at most one per connection; BENCH_WRK_THREADS, 1: see step 2 above)")
    ap.add_argument("--targets", default="hangar,hangar_gbdt,fastapi,mlflow")
    ap.add_argument("--skip", default="", help="comma list of: throughput, alias, memory")
    ap.add_argument("--train-rows", type=int, default=None, help="rows for Hangar's GBDT (BENCH_TRAIN_ROWS, 100000)")
    ap.add_argument("--steady", type=float, default=None, help="steady seconds before the alias moves (BENCH_STEADY, 10)")
    ap.add_argument("--moves", type=int, default=None, help="alias moves (BENCH_MOVES, 20)")
    ap.add_argument("--move-interval", type=float, default=None, help="seconds between moves (BENCH_MOVE_INTERVAL, 1.5)")
    ap.add_argument("--omp-threads", default=env("BENCH_OMP_THREADS", "1"),
                    help="OMP_NUM_THREADS for the MLflow and FastAPI servers (LightGBM predicts with OpenMP); "
                         "'default' leaves it unset (BENCH_OMP_THREADS, 1)")
    ap.add_argument("--signature", action="store_true",
                    help="log/save the model with a signature (MLflow then enforces the schema on every request)")
    ap.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    ap.add_argument("--out", help="write the raw results as JSON here")
    args = ap.parse_args()
    q = args.quick
    duration = args.duration or float(env("BENCH_DURATION", "2" if q else "10"))
    warmup = args.warmup if args.warmup is not None else float(env("BENCH_WARMUP", "1" if q else "2"))
    train_rows = args.train_rows or int(env("BENCH_TRAIN_ROWS", "10000" if q else str(TRAIN_ROWS)))
    steady = args.steady or float(env("BENCH_STEADY", "3" if q else "10"))
    moves = args.moves or int(env("BENCH_MOVES", "6" if q else "20"))
    interval = args.move_interval or float(env("BENCH_MOVE_INTERVAL", "1.5"))
    conns = [int(c) for c in args.connections.split(",") if c.strip()]
    targets = [t.strip() for t in args.targets.split(",") if t.strip()]
    skip = {s.strip() for s in args.skip.split(",") if s.strip()}
    for t in targets:
        if t not in TARGETS:
            raise SystemExit(f"unknown target {t}: one of {', '.join(TARGETS)}")
    if shutil.which("wrk") is None:
        raise SystemExit("wrk not found (Debian: apt-get install -y wrk)")
    binary = hangar_bin()

    # SIGTERM (run.sh's trap, `timeout`) -> SystemExit -> the finally blocks stop the servers
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))

    import lightgbm as lgb
    import numpy as np
    mlflow = mlflow_quiet()
    from mlflow.models import infer_signature

    results: dict = {"meta": {
        "date": time.strftime("%Y-%m-%d %H:%M:%S"), "cpus": os.cpu_count(), "loadavg_start": list(os.getloadavg()),
        "python": platform.python_version(), "mlflow": mlflow.__version__, "lightgbm": lgb.__version__,
        "hangar_bin": binary, "duration_s": duration, "warmup_s": warmup, "connections": conns, "targets": targets,
        "train_rows": train_rows, "quick": q, "omp_threads_python_servers": args.omp_threads,
        "wrk_threads": args.wrk_threads,
        "signature": args.signature}, "setup": {}}
    py_env = {} if args.omp_threads == "default" else {"OMP_NUM_THREADS": str(args.omp_threads)}
    workdir = Path(tempfile.mkdtemp(prefix="hangar-serving-bench-"))
    servers: dict[str, Server] = {}
    try:
        # ---- data, model, bodies
        x, y = training_data()
        req = json.loads((MODEL_DIR / "requests.json").read_text())
        expected = json.loads((MODEL_DIR / "expected.json").read_text())["predictions"]
        rows = np.asarray(req["dataframe_split"]["data"], dtype=np.float64)
        if req["dataframe_split"]["columns"] != FEATURES or not np.array_equal(rows, x[TRAIN_ROWS:]):
            raise SystemExit("model/requests.json is not the last 16 rows of make_model.py's data: regenerate model/")
        booster = lgb.Booster(model_file=str(MODEL_DIR / "model.lgb"))
        local = booster.predict(rows)
        if booster.num_trees() != 100 or float(np.max(np.abs(local - np.asarray(expected)))) > 1e-12:
            raise SystemExit("lightgbm does not reproduce model/expected.json: check the lightgbm version")
        import pandas as pd
        # no signature by default: MLflow then skips schema enforcement, its fastest path (about 2x a model
        # with one); --signature logs one (as mlflow.lightgbm.autolog does) for MLflow and Hangar alike
        signature = infer_signature(pd.DataFrame(rows, columns=FEATURES), local) if args.signature else None
        body16 = (MODEL_DIR / "requests.json").read_bytes()
        one = {"dataframe_split": {"columns": FEATURES, "data": [req["dataframe_split"]["data"][0]]}}
        body1 = json.dumps(one).encode()
        body1_file = workdir / "one_row.json"
        body1_file.write_bytes(body1)
        csv_path = workdir / "train.csv"
        write_csv(csv_path, x, y, train_rows)
        log(f"data: {train_rows} training rows -> {csv_path}")

        # ---- servers
        need = {TARGETS[t][1] for t in targets}
        servers["hangar"] = hangar_server(workdir).start()  # also for the alias, log and memory steps
        if "mlflow" in need:
            model_path = workdir / "mlflow-model"
            mlflow.lightgbm.save_model(booster, str(model_path), signature=signature,
                                       pip_requirements=[f"lightgbm=={lgb.__version__}"])
            servers["mlflow"] = Server("mlflow", workdir, [str(VENV_BIN / "mlflow"), "models", "serve", "-m", str(model_path),
                                                           "--env-manager", "local", "-h", "127.0.0.1", "-p", "{port}"],
                                       "/ping", env={"PATH": f"{VENV_BIN}{os.pathsep}{os.environ.get('PATH', '')}", **py_env}).start()
        if "fastapi" in need:
            servers["fastapi"] = Server("fastapi", workdir, [sys.executable, "-m", "uvicorn", "--app-dir", str(HERE),
                                                             "--host", "127.0.0.1", "--port", "{port}", "--workers", "1",
                                                             "fastapi_app:app"],
                                        "/ping", env={"MODEL_PATH": str(MODEL_DIR / "model.lgb"), **py_env}).start()
        for s in servers.values():
            s.wait_ready()
        results["servers"] = {k: {"url": s.url, "ready_s": s.ready_s, "cmd": " ".join(s.command)} for k, s in servers.items()}

        hangar = servers.get("hangar")
        served_ok: dict[str, bool] = {}
        if hangar:
            h = hangar.url
            try:  # the booster as lgb
                t = time.monotonic()
                v = log_booster(h, booster, "lgb", signature)
                set_alias(h, "lgb", v)
                info = wait_served(h, "lgb", v, 60)
                ans = check_answer(f"{h}{TARGETS['hangar'][2]}", body16, expected)
                results["setup"]["hangar"] = {"version": v, "info": info, "check": ans, "ready_s": time.monotonic() - t}
                served_ok["hangar"] = True
                log(f"Hangar serves lgb v{v} (max |diff| to expected.json {ans['max_abs_diff']:.2g})")
            except Exception as e:  # noqa: BLE001 - reported, the run goes on
                results["setup"]["hangar"] = {"error": str(e)}
                served_ok["hangar"] = False
                log(f"!! {e}")
            if "hangar_gbdt" in targets or not served_ok.get("hangar"):  # also the stand-in for lgb
                try:  # Hangar's own GBDT on the same data
                    tr: dict = {}
                    v = hangar_train(h, csv_path, "hangar_gbdt", workdir / "train", proc_out=tr)
                    set_alias(h, "hangar_gbdt", v)
                    info = wait_served(h, "hangar_gbdt", v, 60)
                    ans = check_answer(f"{h}{TARGETS['hangar_gbdt'][2]}", body16, None)
                    agree = sum((a > 0.5) == (b > 0.5) for a, b in zip(ans["probabilities"], expected))
                    results["setup"]["hangar_gbdt"] = {"version": v, "info": info, "check": ans, "train": tr,
                                                       "class_agreement_with_lightgbm": f"{agree}/{len(expected)}"}
                    served_ok["hangar_gbdt"] = True
                    log(f"Hangar serves hangar_gbdt v{v} (trained in {tr['train_s']:.1f}s; same class as LightGBM "
                        f"on {agree}/{len(expected)} sample rows)")
                except Exception as e:  # noqa: BLE001 - reported, the run goes on
                    results["setup"]["hangar_gbdt"] = {"error": str(e)}
                    served_ok["hangar_gbdt"] = False
                    log(f"!! {e}")
        for key in ("mlflow", "fastapi"):
            if key in servers:
                try:
                    ans = check_answer(f"{servers[key].url}{TARGETS[key][2]}", body16, expected)
                    results["setup"][key] = {"check": ans}
                    served_ok[key] = True
                    log(f"{key} answers the sample rows (max |diff| {ans['max_abs_diff']:.2g})")
                except Exception as e:  # noqa: BLE001 - reported, the run goes on
                    results["setup"][key] = {"error": str(e)}
                    served_ok[key] = False
                    log(f"!! {e}")
        results["tcp_nodelay"] = {k: tcp_nodelay(s) for k, s in servers.items()}

        # ---- throughput
        tp: dict = {}
        if "throughput" not in skip:
            for key in targets:
                if not served_ok.get(key):
                    tp[key] = {str(c): {"error": "not served (see setup)"} for c in conns}
                    continue
                srv = servers[TARGETS[key][1]]
                url = srv.url + TARGETS[key][2]
                tp[key] = {}
                log(f"=== {key}: {url}")
                for c in conns:
                    try:
                        before = prometheus(srv.url) if TARGETS[key][1] == "hangar" else None
                        if warmup > 0:
                            wrk(url, body1_file, c, max(1, round(warmup)), args.wrk_threads)
                        r = wrk(url, body1_file, c, max(1, round(duration)), args.wrk_threads)
                        if before is not None:
                            after = prometheus(srv.url)
                            r["log_dropped"] = int(prom_sum(after, "hangar_prediction_log_dropped_total")
                                                   - prom_sum(before, "hangar_prediction_log_dropped_total"))
                            r["log_queue_depth_after"] = prom_sum(after, "hangar_prediction_log_queue_depth")
                        tp[key][str(c)] = r
                        log(f"  c={c}: {r['rps']:,.0f} req/s, p50 {fmt_ms(r.get('p50_ms'))}, p99 {fmt_ms(r.get('p99_ms'))}, "
                            f"errors {r['errors']}" + (f", log dropped {r['log_dropped']}" if r.get("log_dropped") else ""))
                    except (RuntimeError, subprocess.TimeoutExpired) as e:
                        tp[key][str(c)] = {"error": str(e)}
                        log(f"  c={c}: FAILED {e}")
                if TARGETS[key][1] != "hangar":
                    results.setdefault("rss_after_load_mb", {})[key] = srv.rss_mb()
            results["throughput"] = tp
            ratios = {}
            for c in conns:
                def v(k):
                    r = tp.get(k, {}).get(str(c))
                    return r.get("rps") if r and "error" not in r else None
                ratios[str(c)] = {f"{a}/{b}": (v(a) / v(b)) if v(a) and v(b) else None
                                  for a in ("hangar", "hangar_gbdt") for b in ("mlflow", "fastapi")}
            results["ratios"] = ratios

        # ---- alias moves: the booster itself when Hangar serves it, else Hangar's own GBDT
        subject = "lgb" if served_ok.get("hangar") else ("hangar_gbdt" if served_ok.get("hangar_gbdt") else None)
        results["subject"] = subject
        if hangar and subject and "alias" not in skip:
            log(f"=== alias moves on {subject}")
            try:
                from mlflow import MlflowClient
                c = MlflowClient(tracking_uri=hangar.url)
                v1 = results["setup"]["hangar" if subject == "lgb" else "hangar_gbdt"]["version"]
                versions = [v1]
                for _ in range(2):
                    if subject == "lgb":
                        versions.append(log_booster(hangar.url, booster, "lgb", signature))
                    else:
                        src = c.get_model_version(subject, v1)
                        versions.append(str(c.create_model_version(subject, src.source, run_id=src.run_id).version))
                for v in versions[1:]:  # every version loads (then back to the first)
                    set_alias(hangar.url, subject, v)
                    wait_served(hangar.url, subject, v, 60)
                am = alias_moves(hangar.url, subject, versions, body1, 8, 1.0, steady, moves, interval, hangar.url)
                results["alias_moves"] = am
                log(f"  steady p99 {fmt_ms(am['steady']['p99_ms'])}, max ratio around moves "
                    f"{am['max_ratio'] if am['max_ratio'] is None else round(am['max_ratio'], 2)}, non-2xx {am['non2xx']}, "
                    f"versions seen {am['versions_seen']}")
            except Exception as e:  # noqa: BLE001 - reported, the run goes on
                results["alias_moves"] = {"error": str(e)}
                log(f"!! alias moves: {e}")

        if hangar:
            results["prediction_log"] = prediction_log_counts(hangar)
            results.setdefault("rss_after_load_mb", {})["hangar"] = hangar.rss_mb()
        for key in ("mlflow", "fastapi"):
            if key in servers:
                servers.pop(key).stop()

        # ---- memory
        if "memory" not in skip and subject:
            log("=== memory: a fresh hangar up serving 10 models")
            try:
                results["memory"] = memory_test(workdir, booster, signature, "lgb" if subject == "lgb" else "gbdt",
                                                csv_path, body16, expected)
                log(f"  RSS {results['memory']['rss_mb']:.0f} MB")
            except Exception as e:  # noqa: BLE001 - reported, the run goes on
                results["memory"] = {"error": str(e)}
                log(f"!! memory: {e}")
    finally:
        for s in servers.values():
            s.stop()
        results["meta"]["loadavg_end"] = list(os.getloadavg())
        results["meta"]["workdir"] = str(workdir)
        if os.environ.get("BENCH_KEEP_WORKDIR"):
            log(f"kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)

    results["targets"] = evaluate_targets(results)
    print()
    print(report(results))
    if args.out:
        Path(args.out).write_text(json.dumps(results, indent=2, default=str))
        print(f"\nraw results: {args.out}")
    if args.strict and any(t["met"] is False for t in results["targets"]):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
