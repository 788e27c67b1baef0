#!/usr/bin/env python3
"""Tracking benchmark: the same workload against `hangar up` and the default `mlflow server`
(4 workers, SQLite), one after the other, on this machine, in one run.

Throughput scenarios are driven by wrk (Lua scripts beside this file POST the JSON bodies,
bounded by duration); setup is driven from Python (requests), and the search latency from
both Python and wrk (search.lua, one connection).

Scenarios
  log_metric c1     runs/log-metric, 1 connection                         -> requests/s
  log_metric c8     runs/log-metric, 8 connections (one run each)         -> requests/s
  log_batch         runs/log-batch of 1000 metrics, 1 connection          -> metrics/s
  create_run c1     runs/create (as mlflow.start_run sends it), 1 conn.   -> runs/s
  create_run c8     runs/create, 8 connections                            -> runs/s
  search p50        runs/search over 1,000 runs (5 metrics, 3 params, 2 tags each) with
                    filter "metrics.m0 > 0.5 and params.p1 != '3' and tags.team = 'a'"
                    and order_by "metrics.m1 DESC"                        -> p50 latency,
                    timed twice: by wrk at 1 connection (native client, the ratio the
                    target is judged on) and from Python requests (includes ~2 ms of client)

Usage: bench.py [--servers hangar,mlflow] [--duration 5] [--out results.json]
Environment: HANGAR_BIN (default <repo>/.build/release/hangar), BENCH_DURATION,
             BENCH_WARMUP, BENCH_SEARCH_N, BENCH_SEARCH_RUNS.
"""

from __future__ import annotations

import argparse
import concurrent.futures as cf
import json
import os
import platform
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.update({"MLFLOW_DISABLE_TELEMETRY": "true", "DO_NOT_TRACK": "true"})

import requests  # noqa: E402

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
API = "/api/2.0/mlflow"
T0 = 1_700_000_000_000
SEARCH_FILTER = "metrics.m0 > 0.5 and params.p1 != '3' and tags.team = 'a'"
SEARCH_ORDER = ["metrics.m1 DESC"]
PIDFILE = os.environ.get("BENCH_PIDFILE")  # run.sh kills what is listed here if we die


def log(msg: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, kind: str, workdir: Path):
        self.kind = kind
        self.dir = workdir / kind
        self.dir.mkdir(parents=True)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen | None = None
        self.logfile = workdir / f"{kind}.log"

    def command(self) -> list[str]:
        if self.kind == "hangar":
            binary = os.environ.get("HANGAR_BIN", str(REPO / ".build" / "release" / "hangar"))
            if not Path(binary).exists():
                raise SystemExit(f"Hangar binary {binary} not found: build it with "
                                 "`swift build -c release` or set HANGAR_BIN")
            self.binary = binary
            return [binary, "up", "--data-dir", str(self.dir / "data"), "--host", "127.0.0.1",
                    "--port", str(self.port)]
        return [sys.executable, "-m", "mlflow", "server", "--host", "127.0.0.1",
                "--port", str(self.port), "--workers", "4",
                "--backend-store-uri", f"sqlite:///{self.dir}/mlflow.db",
                "--artifacts-destination", str(self.dir / "mlartifacts")]

    def start(self, timeout: float = 180) -> None:
        cmd = self.command()
        log(f"starting {self.kind}: {' '.join(cmd)}")
        with open(self.logfile, "wb") as out:
            self.proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT,
                                         stdin=subprocess.DEVNULL, cwd=str(self.dir),
                                         start_new_session=True)
        if PIDFILE:
            with open(PIDFILE, "a") as f:
                f.write(f"{self.proc.pid}\n")
        t = time.monotonic()
        deadline = t + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.kind} exited during start-up; see {self.logfile}:\n"
                                   + self.logfile.read_text(errors="replace")[-3000:])
            try:
                if requests.get(self.url + "/health", timeout=2).status_code == 200:
                    self.ready_s = time.monotonic() - t
                    log(f"{self.kind} ready on {self.url} after {self.ready_s:.2f}s")
                    return
            except requests.RequestException:
                pass
            time.sleep(0.05)
        raise RuntimeError(f"{self.kind} not ready after {timeout}s; see {self.logfile}")

    def rss_mb(self) -> float | None:
        """RSS of the server and all its processes (mlflow runs several)."""
        if self.proc is None:
            return None
        total = 0
        for pid_dir in Path("/proc").iterdir():
            if not pid_dir.name.isdigit():
                continue
            try:
                if os.getpgid(int(pid_dir.name)) != self.proc.pid:
                    continue
                for line in (pid_dir / "status").read_text().splitlines():
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
            except (OSError, ProcessLookupError):
                continue
        return total / 1024

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
            if sig == signal.SIGTERM:
                # mlflow leaves worker/huey children in the group: make sure they go too
                try:
                    os.killpg(self.proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                break
        log(f"{self.kind} stopped")
        self.proc = None


# ----------------------------------------------------------------------------- helpers


def post(s: requests.Session, url: str, path: str, body: dict) -> dict:
    r = s.post(f"{url}{API}/{path}", json=body, timeout=120)
    if r.status_code != 200:
        raise RuntimeError(f"POST {path} -> {r.status_code}: {r.text[:300]}")
    return r.json()


def create_experiment(url: str, name: str) -> str:
    with requests.Session() as s:
        return post(s, url, "experiments/create", {"name": name})["experiment_id"]


def create_runs(url: str, exp_id: str, n: int) -> list[str]:
    with requests.Session() as s:
        return [post(s, url, "runs/create", {"experiment_id": exp_id, "run_name": f"r{i}",
                                             "start_time": T0})["run"]["info"]["run_id"]
                for i in range(n)]


def prewarm(url: str, run_ids: list[str]) -> None:
    """Touch every endpoint of the workload from 8 threads, so every server worker process
    has done its lazy imports / connection set-up before anything is measured."""
    def one(i: int) -> None:
        with requests.Session() as s:
            rid = run_ids[i % len(run_ids)]
            for j in range(5):
                post(s, url, "runs/log-metric", {"run_id": rid, "key": "warmup", "value": j,
                                                 "timestamp": T0, "step": i * 100 + j})
                post(s, url, "runs/log-batch", {"run_id": rid, "metrics": [
                    {"key": "warmup-b", "value": 1.0, "timestamp": T0, "step": i * 100 + j}]})
                post(s, url, "runs/search", {"experiment_ids": ["0"], "max_results": 1})
    with cf.ThreadPoolExecutor(8) as pool:
        list(pool.map(one, range(16)))


_WRK_SEQ = 0


def wrk(url: str, script: str, connections: int, duration: float, env: dict) -> dict:
    cmd = ["wrk", "-t", str(connections), "-c", str(connections), "-d", f"{max(1, int(round(duration)))}s",
           "--timeout", "30s", "-s", str(HERE / script), url]
    global _WRK_SEQ
    _WRK_SEQ += 1  # every wrk invocation writes steps/timestamps no earlier one used
    full_env = dict(os.environ, BENCH_LUA_DIR=str(HERE), BENCH_SEQ=str(_WRK_SEQ), **env)
    out = subprocess.run(cmd, env=full_env, capture_output=True, text=True,
                         timeout=duration + 120)
    line = next((l for l in out.stdout.splitlines() if l.startswith("WRK_JSON ")), None)
    if out.returncode != 0 or line is None:
        raise RuntimeError(f"wrk failed ({out.returncode}): {out.stdout[-2000:]} {out.stderr[-2000:]}")
    res = json.loads(line[len("WRK_JSON "):])
    res["rps"] = res["requests"] / (res["duration_us"] / 1e6)
    res["error_count"] = sum(res["errors"].values())
    return res


def throughput(url: str, script: str, connections: int, duration: float, warmup: float,
               env: dict, label: str) -> dict:
    if warmup > 0:
        wrk(url, script, connections, warmup, env)
    res = wrk(url, script, connections, duration, env)
    log(f"  {label}: {res['rps']:.1f} req/s, {res['requests']} requests, "
        f"p50 {res['lat_p50_us'] / 1000:.2f} ms, errors {res['errors']}")
    return res


def seed_search_data(url: str, n_runs: int) -> str:
    """1,000 runs, each with 5 metrics, 3 params, 2 tags; seeded so both servers get the
    same data. Created from 8 client threads (setup time is not part of the results)."""
    exp_id = create_experiment(url, "bench-search")
    rng = random.Random(20261123)
    specs = []
    for i in range(n_runs):
        specs.append({
            "name": f"s{i:04d}",
            "metrics": [{"key": f"m{k}", "value": rng.random(), "timestamp": T0 + i, "step": 0}
                        for k in range(5)],
            "params": [{"key": "p0", "value": str(rng.randint(0, 9))},
                       {"key": "p1", "value": str(rng.randint(0, 4))},
                       {"key": "p2", "value": rng.choice(["adam", "sgd", "rmsprop"])}],
            "tags": [{"key": "team", "value": rng.choice(["a", "b", "c"])},
                     {"key": "owner", "value": f"user{rng.randint(0, 20)}"}],
        })

    def worker(chunk: list[dict]) -> None:
        with requests.Session() as s:
            for sp in chunk:
                rid = post(s, url, "runs/create", {"experiment_id": exp_id, "run_name": sp["name"],
                                                   "start_time": T0})["run"]["info"]["run_id"]
                post(s, url, "runs/log-batch", {"run_id": rid, "metrics": sp["metrics"],
                                                "params": sp["params"], "tags": sp["tags"]})

    chunks = [specs[i::8] for i in range(8)]
    with cf.ThreadPoolExecutor(8) as pool:
        list(pool.map(worker, chunks))
    return exp_id


def search_body(exp_id: str) -> dict:
    return {"experiment_ids": [exp_id], "filter": SEARCH_FILTER, "order_by": SEARCH_ORDER,
            "max_results": 1000, "run_view_type": "ACTIVE_ONLY"}


def search_latency(url: str, exp_id: str, n: int) -> dict:
    body = search_body(exp_id)
    times, count = [], None
    with requests.Session() as s:
        for i in range(n + 3):
            t = time.perf_counter()
            r = s.post(f"{url}{API}/runs/search", json=body, timeout=120)
            dt = time.perf_counter() - t
            if r.status_code != 200:
                raise RuntimeError(f"runs/search -> {r.status_code}: {r.text[:300]}")
            runs = r.json().get("runs", [])
            c = len(runs)
            if count is None:
                count = c
                vals = [next(m["value"] for m in run["data"]["metrics"] if m["key"] == "m1") for run in runs]
                if vals != sorted(vals, reverse=True):
                    raise RuntimeError("runs/search result is not ordered by metrics.m1 DESC")
            elif c != count:
                raise RuntimeError(f"runs/search returned {c} runs, earlier {count}")
            if i >= 3:  # 3 warm-up requests
                times.append(dt)
    times.sort()
    return {"p50_ms": statistics.median(times) * 1000, "p95_ms": times[int(len(times) * 0.95) - 1] * 1000,
            "n": len(times), "runs_returned": count}


# ----------------------------------------------------------------------------- main


SCENARIOS = [
    # key, label, unit, higher_is_better
    ("log_metric_c1", "log_metric, 1 client (wrk -c1)", "req/s", True),
    ("log_metric_c8", "log_metric, 8 clients (wrk -c8)", "req/s", True),
    ("log_batch", "log_batch 1000 metrics, 1 client", "metrics/s", True),
    ("create_run_c1", "runs/create, 1 client", "runs/s", True),
    ("create_run_c8", "runs/create, 8 clients", "runs/s", True),
    ("search_p50_wrk", "search_runs filter+order over {runs} runs: p50 (wrk -c1)", "ms", False),
    ("search_p50", "search_runs filter+order over {runs} runs: p50 (Python requests)", "ms", False),
]


def bench_server(kind: str, workdir: Path, duration: float, warmup: float, search_n: int,
                 search_runs: int) -> dict:
    srv = Server(kind, workdir)
    res: dict = {"kind": kind}
    try:
        srv.start()
        res["ready_s"] = srv.ready_s
        res["idle_rss_mb"] = srv.rss_mb()
        url = srv.url
        exp = create_experiment(url, "bench-write")
        runs8 = create_runs(url, exp, 8)
        prewarm(url, runs8)

        r = throughput(url, "log_metric.lua", 1, duration, warmup, {"BENCH_RUN_IDS": runs8[0]}, "log_metric c1")
        res["log_metric_c1"] = {"value": r["rps"], "raw": r}
        r = throughput(url, "log_metric.lua", 8, duration, warmup, {"BENCH_RUN_IDS": ",".join(runs8)}, "log_metric c8")
        res["log_metric_c8"] = {"value": r["rps"], "raw": r}
        batch_run = create_runs(url, exp, 1)[0]
        r = throughput(url, "log_batch.lua", 1, duration, warmup,
                       {"BENCH_RUN_IDS": batch_run, "BENCH_BATCH_SIZE": "1000"}, "log_batch")
        res["log_batch"] = {"value": r["rps"] * 1000, "raw": r}
        run_exp = create_experiment(url, "bench-create")
        r = throughput(url, "create_run.lua", 1, duration, warmup, {"BENCH_EXPERIMENT_ID": run_exp}, "create_run c1")
        res["create_run_c1"] = {"value": r["rps"], "raw": r}
        r = throughput(url, "create_run.lua", 8, duration, warmup, {"BENCH_EXPERIMENT_ID": run_exp}, "create_run c8")
        res["create_run_c8"] = {"value": r["rps"], "raw": r}

        t = time.monotonic()
        sexp = seed_search_data(url, search_runs)
        log(f"  seeded {search_runs} runs in {time.monotonic() - t:.1f}s")
        s = search_latency(url, sexp, search_n)
        res["search_p50"] = {"value": s["p50_ms"], "raw": s}
        log(f"  search: p50 {s['p50_ms']:.2f} ms, p95 {s['p95_ms']:.2f} ms, {s['runs_returned']} runs returned")
        # The same search from a native client: wrk at one connection, after the Python run above checked
        # the answer (count and order). wrk's latency percentiles are in microseconds.
        r = throughput(url, "search.lua", 1, duration, warmup,
                       {"BENCH_SEARCH_BODY": json.dumps(search_body(sexp))}, "search (wrk c1)")
        res["search_p50_wrk"] = {"value": r["lat_p50_us"] / 1000, "raw": r}
        res["loaded_rss_mb"] = srv.rss_mb()
    finally:
        srv.stop()
    return res


def fmt(v: float | None, unit: str) -> str:
    if v is None:
        return "-"
    if unit == "ms":
        return f"{v:.2f} ms"
    return f"{v:,.0f} {unit}" if v >= 100 else f"{v:.1f} {unit}"


def table(results: dict) -> str:
    h, m = results.get("hangar"), results.get("mlflow")
    n_runs = results["meta"].get("search_runs", 1000)
    rows = [("scenario", "Hangar", "MLflow", "Hangar/MLflow", "speed-up")]
    for key, label, unit, higher in SCENARIOS:
        hv = h[key]["value"] if h and key in h else None
        mv = m[key]["value"] if m and key in m else None
        errs = []
        for name, r in (("hangar", h), ("mlflow", m)):
            raw = r[key]["raw"] if r and key in r else {}
            if raw.get("error_count"):
                errs.append(f"{name}: {raw['errors']}")
        ratio = f"{hv / mv:.2f}" if hv and mv else "-"
        speed = "-"
        if hv and mv:
            speed = f"{hv / mv:.1f}x" if higher else f"{mv / hv:.1f}x"
        label = label.format(runs=f"{n_runs:,}")
        rows.append((label + (f"  [ERRORS {'; '.join(errs)}]" if errs else ""),
                     fmt(hv, unit), fmt(mv, unit), ratio, speed))
    extra = []
    for name, r in (("Hangar", h), ("MLflow", m)):
        if r:
            extra.append(f"{name}: ready in {r.get('ready_s', 0):.2f}s, idle RSS "
                         f"{r.get('idle_rss_mb') or 0:.1f} MB, RSS after run {r.get('loaded_rss_mb') or 0:.1f} MB, "
                         f"search returned {r.get('search_p50', {}).get('raw', {}).get('runs_returned')} runs")
    widths = [max(len(row[i]) for row in rows) for i in range(5)]
    lines = []
    for n, row in enumerate(rows):
        lines.append("| " + " | ".join(c.ljust(widths[i]) for i, c in enumerate(row)) + " |")
        if n == 0:
            lines.append("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(lines + [""] + extra)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--servers", default=os.environ.get("BENCH_SERVERS", "hangar,mlflow"))
    ap.add_argument("--duration", type=float, default=float(os.environ.get("BENCH_DURATION", "5")))
    ap.add_argument("--warmup", type=float, default=float(os.environ.get("BENCH_WARMUP", "2")))
    ap.add_argument("--search-n", type=int, default=int(os.environ.get("BENCH_SEARCH_N", "30")))
    ap.add_argument("--search-runs", type=int, default=int(os.environ.get("BENCH_SEARCH_RUNS", "1000")))
    ap.add_argument("--out", help="write the raw results as JSON here")
    args = ap.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk not found (Debian: apt-get install -y wrk)")

    # SIGTERM (run.sh's trap, `timeout`) -> SystemExit -> the finally blocks stop the servers
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))

    results: dict = {"meta": {
        "date": time.strftime("%Y-%m-%d %H:%M:%S"), "cpus": os.cpu_count(),
        "python": platform.python_version(), "duration_s": args.duration,
        "servers": args.servers, "search_runs": args.search_runs, "search_filter": SEARCH_FILTER, "search_order_by": SEARCH_ORDER}}
    try:
        import mlflow
        results["meta"]["mlflow"] = mlflow.__version__
    except ImportError:
        pass
    workdir = Path(tempfile.mkdtemp(prefix="hangar-bench-"))
    try:
        for kind in [s.strip() for s in args.servers.split(",") if s.strip()]:
            log(f"=== {kind} ===")
            results[kind] = bench_server(kind, workdir, args.duration, args.warmup,
                                         args.search_n, args.search_runs)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    hb = os.environ.get("HANGAR_BIN", str(REPO / ".build" / "release" / "hangar"))
    print()
    print(f"Tracking benchmark, {results['meta']['date']}, {os.cpu_count()} CPUs; "
          f"wrk {args.duration:g}s per throughput scenario (after {args.warmup:g}s warm-up); "
          f"search p50 over {args.search_n} requests")
    print(f"Hangar: {hb} up (default durability: SQLite WAL, synchronous=NORMAL)")
    print(f"MLflow: mlflow server --workers 4 (mlflow {results['meta'].get('mlflow', '?')}, SQLite)")
    print()
    print(table(results))
    if args.out:
        Path(args.out).write_text(json.dumps(results, indent=2))
        print(f"\nraw results: {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
