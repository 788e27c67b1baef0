"""Model serving inside `hangar up` and in `hangar serve`: every scoring format, OIP V2, input
validation, live hot swap under load, broken versions, A/B and shadow traffic, the prediction
log with ground truth, and models trained by LightGBM and XGBoost and logged by the MLflow client."""

from __future__ import annotations

import csv
import datetime
import json
import os
import signal
import subprocess
import threading
import time

import pytest
import requests

import harness
from harness import REPO, uniq

pytestmark = pytest.mark.hangar_only

DATA = REPO / "datasets" / "breast_cancer.csv"
FIXTURES = REPO / "tests" / "fixtures" / "imported"
JSON = {"Content-Type": "application/json"}


def hangar(*args, check=True):
    proc = subprocess.run([str(harness.hangar_bin()), *args], capture_output=True, text=True, timeout=300,
                          env={**os.environ, **harness.CLIENT_ENV})
    if check and proc.returncode != 0:
        raise AssertionError(f"hangar {' '.join(args)} failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
    return proc


def train_version(url, name, trees):
    """Trains a GBDT on breast_cancer with `hangar train` and registers it; returns the version."""
    import tempfile

    output = os.path.join(tempfile.mkdtemp(prefix="hangar-train-"), "model.hangar")
    out = hangar("train", str(DATA), "--target", "target", "--learner", "gbdt", "--trees", str(trees), "--output", output,
                 "--tracking-uri", url, "--experiment", uniq("serve"), "--register", name).stdout
    return out.rsplit(f"registered {name} version ", 1)[1].split()[0]


def wait_until(check, what, timeout=60.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def served_version(url, name):
    r = requests.get(f"{url}/models/{name}/info", timeout=10)
    return r.json().get("version") if r.status_code == 200 else None


def features():
    with open(DATA) as f:
        rows = list(csv.DictReader(f))
    cols = [c for c in rows[0] if c != "target"]
    return cols, [[float(r[c]) for c in cols] for r in rows]


def invoke(url, name, body, headers=JSON):
    data = body if isinstance(body, (str, bytes)) else json.dumps(body)
    return requests.post(f"{url}/models/{name}/invocations", data=data, headers=headers, timeout=30)


@pytest.fixture(scope="module")
def model(server):
    """A served model `name` at version 1 (10 trees) with version 2 (30 trees) registered too."""
    from mlflow import MlflowClient

    client = MlflowClient(tracking_uri=server.url)
    name = uniq("cancer")
    v1 = train_version(server.url, name, 10)
    v2 = train_version(server.url, name, 30)
    client.set_registered_model_alias(name, "production", v1)
    wait_until(lambda: served_version(server.url, name) == v1, "version 1 to be served")
    return {"name": name, "v1": v1, "v2": v2}


def test_every_scoring_format_matches_hangar_predict(server, model, tmp_path):
    url, name = server.url, model["name"]
    cols, rows = features()
    rows = rows[:25]
    inp = tmp_path / "in.csv"
    with open(inp, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(cols)
        w.writerows(rows)
    out = tmp_path / "out.csv"
    hangar("predict", "--model", f"models:/{name}@production", "--url", url, "--input", str(inp), "--output", str(out))
    with open(out) as f:
        expected = [float(r["proba_1"]) for r in csv.DictReader(f)]

    bodies = {
        "dataframe_split": {"dataframe_split": {"columns": cols, "data": rows}},
        "dataframe_records": {"dataframe_records": [dict(zip(cols, r)) for r in rows]},
        "instances": {"instances": [dict(zip(cols, r)) for r in rows]},
        "instances positional": {"instances": rows},
        "inputs columnar": {"inputs": {c: [r[i] for r in rows] for i, c in enumerate(cols)}},
    }
    for label, body in bodies.items():
        r = invoke(url, name, body)
        assert r.status_code == 200, (label, r.text)
        assert r.headers["X-Hangar-Model-Version"] == model["v1"]
        got = [p["proba_1"] for p in r.json()["predictions"]]
        assert got == pytest.approx(expected, abs=1e-9), label
        assert all(p["prediction"] == (1 if p["proba_1"] > p["proba_0"] else 0) for p in r.json()["predictions"])

    r = invoke(url, name, inp.read_text(), headers={"Content-Type": "text/csv"})
    assert r.status_code == 200, r.text
    assert [p["proba_1"] for p in r.json()["predictions"]] == pytest.approx(expected, abs=1e-9)

    # Open Inference Protocol V2: one tensor per column, and one [n, k] tensor.
    per_column = {"id": "q-1", "inputs": [{"name": c, "shape": [len(rows)], "datatype": "FP64", "data": [r[i] for r in rows]}
                                          for i, c in enumerate(cols)]}
    matrix = {"inputs": [{"name": "input-0", "shape": [len(rows), len(cols)], "datatype": "FP64", "data": rows}]}
    for body in (per_column, matrix):
        r = requests.post(f"{url}/v2/models/{name}/infer", json=body, timeout=30)
        assert r.status_code == 200, r.text
        doc = r.json()
        assert doc["model_name"] == name and doc["model_version"] == model["v1"]
        outputs = {o["name"]: o for o in doc["outputs"]}
        assert set(outputs) == {"prediction", "proba_0", "proba_1"}
        assert outputs["prediction"]["datatype"] == "BYTES" and outputs["prediction"]["shape"] == [len(rows)]
        assert outputs["proba_1"]["datatype"] == "FP64"
        assert outputs["proba_1"]["data"] == pytest.approx(expected, abs=1e-9)
    assert requests.post(f"{url}/v2/models/{name}/infer", json=per_column, timeout=30).json()["id"] == "q-1"
    only = dict(matrix, outputs=[{"name": "proba_1"}])
    assert [o["name"] for o in requests.post(f"{url}/v2/models/{name}/infer", json=only, timeout=30).json()["outputs"]] == ["proba_1"]
    pinned = requests.post(f"{url}/v2/models/{name}/versions/{model['v1']}/infer", json=matrix, timeout=30)
    assert pinned.status_code == 200 and pinned.json()["model_version"] == model["v1"]


def test_health_metadata_and_readiness(server, model):
    url, name = server.url, model["name"]
    assert requests.get(f"{url}/v2/health/live", timeout=10).status_code == 200
    assert requests.get(f"{url}/v2/health/ready", timeout=10).status_code == 200
    assert requests.get(f"{url}/v2/models/{name}/ready", timeout=10).status_code == 200
    assert requests.get(f"{url}/models/{name}/ping", timeout=10).status_code == 200
    meta = requests.get(f"{url}/v2/models/{name}", timeout=10).json()
    assert meta["name"] == name and meta["platform"] == "hangar_hangar"
    assert meta["inputs"][0] == {"name": "mean radius", "datatype": "FP64", "shape": [-1]}
    assert [o["name"] for o in meta["outputs"]] == ["prediction", "proba_0", "proba_1"]
    info = requests.get(f"{url}/models/{name}/info", timeout=10).json()
    assert info["alias"] == "production" and info["run_id"] and info["approval"] == "pending" and info["loaded_at"]
    assert requests.get(f"{url}/models/nope-{name}/ping", timeout=10).status_code == 404
    assert requests.get(f"{url}/v2/models/nope-{name}/ready", timeout=10).status_code == 404
    assert "hangar_serving_requests_total" in requests.get(f"{url}/metrics", timeout=10).text


def test_bad_input_is_a_400_naming_the_columns(server, model):
    url, name = server.url, model["name"]
    cols, rows = features()
    cases = [
        ({"dataframe_split": {"columns": cols[1:], "data": [rows[0][1:]]}}, "mean radius"),
        ({"dataframe_split": {"columns": cols + ["bogus"], "data": [rows[0] + [1]]}}, "bogus"),
        ({"dataframe_split": {"columns": cols, "data": [["x"] + rows[0][1:]]}}, "mean radius"),
        ({"dataframe_split": {"columns": cols, "data": [[None] + rows[0][1:]]}}, "mean radius"),
        ({"dataframe_split": {"columns": cols, "data": [rows[0][:3]]}}, "Row 0"),
        ({"neither": 1}, "dataframe_split"),
        ({"dataframe_split": {"columns": cols, "data": []}}, "no rows"),
    ]
    for body, needle in cases:
        r = invoke(url, name, body)
        assert r.status_code == 400, (body, r.text)
        doc = r.json()
        assert doc["error_code"] == "BAD_REQUEST" and needle in doc["message"], doc
    r = invoke(url, name, "{nope")
    assert r.status_code == 400 and "Malformed JSON" in r.json()["message"]
    r = invoke(url, name, "a,b", headers={"Content-Type": "application/xml"})
    assert r.status_code == 400 and "content type" in r.json()["message"]
    r = invoke(url, f"missing-{name}", {"dataframe_split": {"columns": cols, "data": rows[:1]}})
    assert r.status_code == 404
    r = requests.post(f"{url}/v2/models/{name}/infer", json={"inputs": [{"name": "mean radius", "shape": [1], "datatype": "FP64", "data": ["x"]}]}, timeout=10)
    assert r.status_code == 400 and "error" in r.json()


def test_alias_moves_swap_live_under_load_without_a_failed_request(server, client, model):
    url, name, v1, v2 = server.url, model["name"], model["v1"], model["v2"]
    cols, rows = features()
    body = json.dumps({"dataframe_split": {"columns": cols, "data": rows[:1]}})
    results = []
    stop = threading.Event()

    def load():
        with requests.Session() as s:
            while not stop.is_set():
                r = s.post(f"{url}/models/{name}/invocations", data=body, headers=JSON, timeout=30)
                results.append((r.status_code, r.headers.get("X-Hangar-Model-Version"), time.monotonic()))

    threads = [threading.Thread(target=load) for _ in range(4)]
    for t in threads:
        t.start()
    try:
        target = v1
        for move in range(20):
            target = v2 if target == v1 else v1
            client.set_registered_model_alias(name, "production", target)
            moved_at = time.monotonic()
            wait_until(lambda: any(v == target and t > moved_at for _, v, t in results[-50:]),
                       f"move {move + 1} to version {target} to be answered")
    finally:
        stop.set()
        for t in threads:
            t.join()
    statuses = {s for s, _, _ in results}
    versions = {v for _, v, _ in results}
    assert statuses == {200}, f"non-2xx responses during swaps: {statuses}"
    assert versions == {v1, v2}
    assert len(results) > 40
    client.set_registered_model_alias(name, "production", v1)
    wait_until(lambda: served_version(url, name) == v1, "version 1 again")


def test_a_version_that_cannot_load_never_replaces_the_served_one(server, client, model, experiment_id):
    import mlflow
    from sklearn.linear_model import LogisticRegression

    url, name, v1 = server.url, model["name"], model["v1"]
    with mlflow.start_run():
        info = mlflow.sklearn.log_model(LogisticRegression().fit([[0.0], [1.0]], [0, 1]), name="model")
    broken = client.create_model_version(name, info.model_uri, run_id=info.run_id).version
    cursor = requests.get(f"{url}/api/2.0/hangar/events", params={"latest": "true"}, timeout=10).json()["next_cursor"]
    client.set_registered_model_alias(name, "production", broken)

    def failure():
        info = requests.get(f"{url}/models/{name}/info", timeout=10).json()
        return info.get("last_load_failure")

    failed = wait_until(failure, "the broken version's load failure")
    assert failed["version"] == broken and "sklearn" in failed["reason"]
    cols, rows = features()
    r = invoke(url, name, {"dataframe_split": {"columns": cols, "data": rows[:1]}})
    assert r.status_code == 200 and r.headers["X-Hangar-Model-Version"] == v1
    events = requests.get(f"{url}/api/2.0/hangar/events", params={"after": cursor}, timeout=10).json()["events"]
    fails = [e for e in events if e["type"] == "serving.load_failed" and e["model"] == name]
    assert fails and fails[0]["version"] == broken and "sklearn" in json.loads(fails[0]["payload"])["reason"]
    client.set_registered_model_alias(name, "production", v1)


def test_ab_split_shadow_and_the_prediction_log(server, client, model):
    url, name, v1, v2 = server.url, model["name"], model["v1"], model["v2"]
    api = f"{url}/api/2.0/hangar"
    client.set_registered_model_alias(name, "challenger", v2)
    r = requests.post(f"{api}/serving/policy", json={"name": name, "routes": [
        {"alias": "production", "percent": 70}, {"alias": "challenger", "percent": 30}]}, timeout=10)
    assert r.status_code == 200, r.text
    wait_until(lambda: len(requests.get(f"{url}/models/{name}/info", timeout=10).json()["aliases"]) == 2, "the challenger to load")
    cols, rows = features()
    body = {"dataframe_split": {"columns": cols, "data": rows[:1]}}
    seen = {}
    for i in range(300):
        r = invoke(url, name, body, headers={**JSON, "X-Hangar-Route-Key": f"user-{i}"})
        assert r.status_code == 200
        seen[f"user-{i}"] = (r.headers["X-Hangar-Model-Alias"], r.headers["X-Hangar-Model-Version"])
    share = sum(1 for a, _ in seen.values() if a == "challenger") / len(seen)
    assert 0.2 < share < 0.4, share
    assert all(v == (v1 if a == "production" else v2) for a, v in seen.values())
    for key in ("user-1", "user-2", "user-3"):  # sticky
        again = invoke(url, name, body, headers={**JSON, "X-Hangar-Route-Key": key})
        assert again.headers["X-Hangar-Model-Alias"] == seen[key][0]

    bad = requests.post(f"{api}/serving/policy", json={"name": name, "routes": [{"alias": "production", "percent": 70}]}, timeout=10)
    assert bad.status_code == 400 and "sum" in bad.json()["message"]

    r = requests.post(f"{api}/serving/policy", json={"name": name, "routes": [{"alias": "production", "percent": 100}],
                                                    "shadow": "challenger"}, timeout=10)
    assert r.status_code == 200
    wait_until(lambda: requests.get(f"{url}/models/{name}/info", timeout=10).json().get("shadow") == "challenger", "the shadow policy")
    rid = uniq("req")
    r = invoke(url, name, body, headers={**JSON, "X-Request-Id": rid})
    assert r.status_code == 200 and r.headers["X-Hangar-Model-Version"] == v1 and r.headers["X-Request-Id"] == rid

    def logged():
        found = requests.get(f"{api}/predictions/search", params={"request_id": rid}, timeout=10).json()["predictions"]
        return found if len(found) == 2 else None

    records = logged_records = wait_until(logged, "the request and its shadow to be logged")
    by_shadow = {rec["shadow"]: rec for rec in records}
    assert by_shadow[False]["version"] == v1 and by_shadow[True]["version"] == v2
    assert by_shadow[True]["alias"] == "challenger"
    assert json.loads(by_shadow[False]["inputs"])["mean radius"] == rows[0][0]
    assert "proba_1" in json.loads(by_shadow[False]["outputs"])
    assert logged_records[0]["latency_micros"] >= 0

    # ground truth by request id
    r = requests.post(f"{api}/predictions/ground-truth", json={"model": name, "records": [
        {"request_id": rid, "value": 1}, {"request_id": "no-such-request", "value": 0}]}, timeout=10)
    assert r.json() == {"matched": 1, "unmatched": [1]}
    rec = next(p for p in requests.get(f"{api}/predictions/search", params={"request_id": rid}, timeout=10).json()["predictions"]
               if not p["shadow"])
    assert rec["ground_truth"] == "1"
    requests.delete(f"{api}/serving/policy", json={"name": name}, timeout=10)
    client.delete_registered_model_alias(name, "challenger")


def test_ground_truth_by_entity_from_the_cli(server, model, tmp_path):
    url, name = server.url, model["name"]
    cols, rows = features()
    entity = uniq("lounge")
    r = invoke(url, name, {"dataframe_split": {"columns": cols, "data": rows[:1]}}, headers={**JSON, "X-Hangar-Entity-Key": entity})
    assert r.status_code == 200
    rid = r.headers["X-Request-Id"]
    wait_until(lambda: requests.get(f"{url}/api/2.0/hangar/predictions/search", params={"request_id": rid}, timeout=10).json()["predictions"],
               "the prediction to be logged")
    truth = tmp_path / "truth.csv"
    truth.write_text(f"entity_key,timestamp,value\n{entity},{int(time.time() * 1000) + 60000},0\nunknown-{entity},1,1\n")
    out = hangar("predictions", "truth", "--model", name, "--input", str(truth), "--url", url).stdout
    assert "attached 1 of 2" in out and "line 3" in out
    rec = requests.get(f"{url}/api/2.0/hangar/predictions/search", params={"request_id": rid}, timeout=10).json()["predictions"][0]
    assert rec["entity_key"] == entity and rec["ground_truth"] == "0"
    bad = hangar("predictions", "truth", "--model", name, "--input", str(tmp_path / "nope.csv"), "--url", url, check=False)
    assert bad.returncode != 0 and "nope.csv" in bad.stderr
    # ISO 8601 times work too (read as seconds, sent as milliseconds); a timestamp that is no time is refused
    later = uniq("study")
    r = invoke(url, name, {"dataframe_split": {"columns": cols, "data": rows[:1]}}, headers={**JSON, "X-Hangar-Entity-Key": later})
    rid2 = r.headers["X-Request-Id"]
    wait_until(lambda: requests.get(f"{url}/api/2.0/hangar/predictions/search", params={"request_id": rid2}, timeout=10).json()["predictions"],
               "the second prediction to be logged")
    soon = (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(minutes=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    iso = tmp_path / "truth-iso.csv"
    iso.write_text(f"entity_key,timestamp,value\n{later},{soon},1\n")
    out = hangar("predictions", "truth", "--model", name, "--input", str(iso), "--url", url).stdout
    assert "attached 1 of 1" in out
    rec = requests.get(f"{url}/api/2.0/hangar/predictions/search", params={"request_id": rid2}, timeout=10).json()["predictions"][0]
    assert rec["ground_truth"] == "1"
    words = tmp_path / "truth-words.csv"
    words.write_text(f"entity_key,timestamp,value\n{later},yesterday,1\n")
    bad = hangar("predictions", "truth", "--model", name, "--input", str(words), "--url", url, check=False)
    assert bad.returncode != 0 and "timestamp" in bad.stderr


def test_hangar_serve_follows_a_remote_registry(server, client, model, tmp_path):
    url, name, v1, v2 = server.url, model["name"], model["v1"], model["v2"]
    port = harness.free_port()
    log = open(tmp_path / "serve.log", "wb")
    proc = subprocess.Popen([str(harness.hangar_bin()), "serve", "--url", url, "--model", f"{name}@production",
                             "--port", str(port)], stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    serve = f"http://127.0.0.1:{port}"
    try:
        def ping():
            try:
                return requests.get(f"{serve}/ping", timeout=2).status_code == 200
            except requests.RequestException:
                return False

        wait_until(ping, "hangar serve to load the model")
        cols, rows = features()
        body = {"dataframe_split": {"columns": cols, "data": rows[:2]}}
        r = requests.post(f"{serve}/invocations", json=body, timeout=10)
        assert r.status_code == 200 and r.headers["X-Hangar-Model-Version"] == v1
        client.set_registered_model_alias(name, "production", v2)
        wait_until(lambda: requests.post(f"{serve}/invocations", json=body, timeout=10).headers.get("X-Hangar-Model-Version") == v2,
                   "hangar serve to follow the alias")
        rid = requests.post(f"{serve}/invocations", json=body, timeout=10).headers["X-Request-Id"]
        # predictions of the remote serving process land in the server's log
        wait_until(lambda: requests.get(f"{url}/api/2.0/hangar/predictions/search", params={"request_id": rid}, timeout=10)
                   .json()["predictions"], "the remote prediction log")
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        code = proc.wait(timeout=30)
        log.close()
        client.set_registered_model_alias(name, "production", v1)
    assert code == 0, (tmp_path / "serve.log").read_text()


@pytest.mark.parametrize("library", ["lightgbm", "xgboost"])
def test_lightgbm_and_xgboost_models_logged_by_mlflow_serve_their_own_predictions(server, client, library, experiment_id):
    import mlflow
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(7)
    X = pd.DataFrame(rng.normal(size=(400, 6)).round(4), columns=[f"f{i}" for i in range(6)])
    X.iloc[::13, 2] = np.nan
    y = ((X["f0"] + X["f1"].fillna(0) * 0.5 - X["f3"]) > 0).astype(int)
    name = uniq(library)
    with mlflow.start_run():
        if library == "lightgbm":
            import lightgbm as lgb
            booster = lgb.train({"objective": "binary", "num_leaves": 15, "verbose": -1, "seed": 1},
                                lgb.Dataset(X, y), num_boost_round=30)
            expected = booster.predict(X)
            mlflow.lightgbm.log_model(booster, name="model", registered_model_name=name)
        else:
            import xgboost as xgb
            booster = xgb.train({"objective": "binary:logistic", "max_depth": 4, "seed": 1},
                                xgb.DMatrix(X, y), num_boost_round=30)
            expected = booster.predict(xgb.DMatrix(X))
            mlflow.xgboost.log_model(booster, name="model", registered_model_name=name, model_format="json")
    client.set_registered_model_alias(name, "production", "1")
    wait_until(lambda: served_version(server.url, name) == "1", f"the {library} model to be served")
    records = json.loads(X.to_json(orient="split"))
    r = invoke(server.url, name, {"dataframe_split": {"columns": records["columns"], "data": records["data"]}})
    assert r.status_code == 200, r.text
    got = [p["proba_1"] for p in r.json()["predictions"]]
    assert got == pytest.approx(list(expected), abs=1e-6)
    info = requests.get(f"{server.url}/models/{name}/info", timeout=10).json()
    assert info["flavor"] == library
