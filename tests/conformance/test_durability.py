"""Durability: 16 concurrent clients log over raw HTTP, the server is SIGKILLed mid-load,
restarted on the same data dir / database, and every write it acknowledged with 200 must
be there.

Writes per client thread (each thread has its own run and requests.Session):
  * runs/log-metric  key "m", step i, value i + thread/100           (7 of 10 requests)
  * runs/log-batch   key "b", 5 metrics per request, steps 5i..5i+4  (2 of 10)
  * runs/set-tag     key "t<i>"                                      (1 of 10)
The load is bounded: at most MAX_REQUESTS per thread; the kill happens once KILL_AFTER
writes were acknowledged (or after KILL_DEADLINE seconds, whichever comes first).
"""

import os
import threading
import time

import pytest
import requests

import harness

THREADS = 16
MAX_REQUESTS = 20_000
KILL_AFTER = int(os.environ.get("HANGAR_DURABILITY_KILL_AFTER",
                                "400" if harness.SERVER_KIND == "mlflow" else "3000"))
KILL_DEADLINE = 180.0
API = "/api/2.0/mlflow"
T0 = 1_700_000_000_000


class Worker(threading.Thread):
    def __init__(self, idx, url, run_id, stop):
        super().__init__(daemon=True, name=f"writer-{idx}")
        self.idx, self.url, self.run_id, self.stop = idx, url, run_id, stop
        self.acked_m, self.acked_b, self.acked_tags = {}, {}, {}
        self.unexpected = []  # non-200 answers from a live server
        self.acks = 0

    def run(self):
        s = requests.Session()
        try:
            for i in range(MAX_REQUESTS):
                if self.stop.is_set():
                    return
                kind = i % 10
                if kind < 7:
                    body = {"run_id": self.run_id, "key": "m", "value": i + self.idx / 100,
                            "timestamp": T0 + i, "step": i}
                    path = "runs/log-metric"
                elif kind < 9:
                    body = {"run_id": self.run_id, "metrics": [
                        {"key": "b", "value": float(5 * i + j), "timestamp": T0 + i, "step": 5 * i + j}
                        for j in range(5)]}
                    path = "runs/log-batch"
                else:
                    body = {"run_id": self.run_id, "key": f"t{i}", "value": f"v{i}-{self.idx}"}
                    path = "runs/set-tag"
                try:
                    r = s.post(f"{self.url}{API}/{path}", json=body, timeout=30)
                except requests.RequestException:
                    return  # server gone: this write was not acknowledged
                if r.status_code != 200:
                    if not self.stop.is_set():
                        self.unexpected.append((path, r.status_code, r.text[:200]))
                    return
                if kind < 7:
                    self.acked_m[i] = body["value"]
                elif kind < 9:
                    for m in body["metrics"]:
                        self.acked_b[m["step"]] = m["value"]
                else:
                    self.acked_tags[body["key"]] = body["value"]
                self.acks += 1
        finally:
            s.close()


def history(session, url, run_id, key):
    out, token = {}, None
    for _ in range(1000):
        params = {"run_id": run_id, "run_uuid": run_id, "metric_key": key, "max_results": 25000}
        if token:
            params["page_token"] = token
        r = session.get(f"{url}{API}/metrics/get-history", params=params, timeout=60)
        assert r.status_code == 200, r.text[:300]
        body = r.json()
        for m in body.get("metrics", []):
            out.setdefault(int(m["step"]), set()).add(float(m["value"]))
        token = body.get("next_page_token")
        if not token:
            return out
    raise AssertionError("metric history pagination did not terminate")


def test_acknowledged_writes_survive_sigkill(backend, tmp_path):
    env = harness.ServerEnv(tmp_path, backend).start()
    try:
        url = env.url
        s = requests.Session()
        r = s.post(f"{url}{API}/experiments/create", json={"name": harness.uniq("durability")}, timeout=60)
        assert r.status_code == 200, r.text
        exp_id = r.json()["experiment_id"]
        run_ids = []
        for t in range(THREADS):
            r = s.post(f"{url}{API}/runs/create",
                       json={"experiment_id": exp_id, "run_name": f"writer-{t}", "start_time": T0}, timeout=60)
            assert r.status_code == 200, r.text
            run_ids.append(r.json()["run"]["info"]["run_id"])
        s.close()

        stop = threading.Event()
        workers = [Worker(t, url, run_ids[t], stop) for t in range(THREADS)]
        for w in workers:
            w.start()
        deadline = time.monotonic() + KILL_DEADLINE
        while time.monotonic() < deadline:
            if sum(w.acks for w in workers) >= KILL_AFTER or not any(w.is_alive() for w in workers):
                break
            time.sleep(0.01)
        alive_at_kill = sum(w.is_alive() for w in workers)
        env.server.kill()  # SIGKILL, mid-load
        stop.set()
        for w in workers:
            w.join(timeout=120)
        assert not any(w.is_alive() for w in workers), "writer threads did not stop"

        unexpected = [u for w in workers for u in w.unexpected]
        assert unexpected == [], f"non-200 answers during the load: {unexpected[:5]}"
        total = sum(w.acks for w in workers)
        assert alive_at_kill > 0, "the load had finished before the kill: raise MAX_REQUESTS"
        assert total > 0

        env.server.start()  # same data dir / database, new port
        url = env.url
        s = requests.Session()
        missing = []
        for w in workers:
            got_m = history(s, url, w.run_id, "m")
            for step, value in w.acked_m.items():
                if value not in got_m.get(step, ()):
                    missing.append((w.name, "m", step, value))
            got_b = history(s, url, w.run_id, "b")
            for step, value in w.acked_b.items():
                if value not in got_b.get(step, ()):
                    missing.append((w.name, "b", step, value))
            r = s.get(f"{url}{API}/runs/get", params={"run_id": w.run_id}, timeout=60)
            assert r.status_code == 200, r.text[:300]
            tags = {t["key"]: t["value"] for t in r.json()["run"]["data"].get("tags", [])}
            for k, v in w.acked_tags.items():
                if tags.get(k) != v:
                    missing.append((w.name, "tag", k, v))
        s.close()
        assert missing == [], (f"{len(missing)} of {total} acknowledged writes lost after SIGKILL, "
                               f"first: {missing[:10]}")
        print(f"durability[{backend}]: {total} acknowledged writes by {THREADS} clients, "
              f"{alive_at_kill} still writing at SIGKILL, all found after restart")
    finally:
        env.close()
