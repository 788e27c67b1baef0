"""Serving endpoints under bad input found by fuzzing: each is a 400 (or 404) JSON error naming the
problem, never a crash, a hang, a logged prediction or a model taken offline; and the inputs that
were wrongly refused (a model name with a space, one [n, k] tensor for a model with categories,
a CSV header with a byte-order mark) are answered."""

from __future__ import annotations

import csv
import random
import time
from urllib.parse import quote

import pytest
import requests

from harness import uniq
from test_serving import hangar, served_version, wait_until

pytestmark = pytest.mark.hangar_only

COLUMNS = ["x1", "x2", "color"]


def train_categorical(url, name, tmp_path):
    """A small GBDT classifier on two numeric columns and one categorical, registered as `name`, version 1."""
    rng = random.Random(7)
    path = tmp_path / "colors.csv"
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(COLUMNS + ["label"])
        for _ in range(300):
            x1, x2, color = rng.uniform(0, 10), rng.uniform(0, 10), rng.choice(["red", "green", "blue"])
            w.writerow([f"{x1:.3f}", f"{x2:.3f}", color, int(x1 + (3 if color == "red" else 0) > 6)])
    out = hangar("train", str(path), "--target", "label", "--learner", "gbdt", "--trees", "5",
                 "--output", str(tmp_path / "model.hangar"), "--tracking-uri", url, "--experiment", uniq("colors"),
                 "--register", name).stdout
    return out.rsplit(f"registered {name} version ", 1)[1].split()[0]


@pytest.fixture(scope="module")
def colors(server, tmp_path_factory):
    """A served model with a space in its name and a categorical column."""
    from mlflow import MlflowClient

    name = uniq("my colors")
    version = train_categorical(server.url, name, tmp_path_factory.mktemp("colors"))
    MlflowClient(tracking_uri=server.url).set_registered_model_alias(name, "production", version)
    wait_until(lambda: served_version(server.url, quote(name)) == version, "the model to be served")
    return {"name": name, "path": quote(name), "version": version}


def invoke(server, colors, body=None, data=None, headers=None):
    return requests.post(f"{server.url}/models/{colors['path']}/invocations", json=body, data=data,
                         headers=headers, timeout=30)


def infer(server, colors, body, headers=None):
    return requests.post(f"{server.url}/v2/models/{colors['path']}/infer", json=body, headers=headers, timeout=30)


def bad(r, needle):
    assert r.status_code == 400, r.text[:300]
    doc = r.json()
    assert doc["error_code"] == "BAD_REQUEST" and needle in doc["message"], doc
    return doc


def test_a_percent_encoded_model_name_is_served_on_every_route(server, colors):
    r = invoke(server, colors, {"instances": [[1.0, 2.0, "red"]]})
    assert r.status_code == 200, r.text
    assert requests.get(f"{server.url}/models/{colors['path']}/ping", timeout=10).status_code == 200
    assert requests.get(f"{server.url}/models/{colors['path']}/info", timeout=10).json()["name"] == colors["name"]
    meta = requests.get(f"{server.url}/v2/models/{colors['path']}", timeout=10)
    assert meta.status_code == 200 and meta.json()["name"] == colors["name"]
    assert requests.get(f"{server.url}/v2/models/{colors['path']}/ready", timeout=10).status_code == 200


def test_a_shape_too_large_to_hold_is_refused_not_a_crash(server, colors):
    r = infer(server, colors, {"inputs": [
        {"name": "x", "datatype": "FP64", "shape": [4611686018427387904, 4], "data": [1, 2, 3, 4]}]})
    bad(r, "too large")
    assert requests.get(f"{server.url}/health", timeout=10).status_code == 200


def test_an_unknown_datatype_is_refused(server, colors):
    r = infer(server, colors, {"inputs": [{"name": "x1", "datatype": "FOO", "shape": [1], "data": [1]}]})
    bad(r, "datatype 'FOO'")


def test_one_bytes_tensor_carries_numbers_and_categories(server, colors):
    rows = [[1.0, 2.0, "red"], [8.0, 1.0, "blue"]]
    r = infer(server, colors, {"inputs": [{"name": "x", "datatype": "BYTES", "shape": [2, 3], "data": rows}]})
    assert r.status_code == 200, r.text
    split = invoke(server, colors, {"dataframe_split": {"columns": COLUMNS, "data": rows}}).json()["predictions"]
    outputs = {o["name"]: o["data"] for o in r.json()["outputs"]}
    assert outputs["prediction"] == [str(p["prediction"]) for p in split]


def test_a_wrong_value_in_one_tensor_names_its_row_and_column(server, colors):
    r = infer(server, colors, {"inputs": [
        {"name": "x", "datatype": "FP64", "shape": [2, 3], "data": [[1, 2, 3], [4, 5, "red"]]}]})
    bad(r, "Column 'color' expects FP64 values but row 1 has 'red'")


@pytest.mark.parametrize("body", [
    {"instances": [[1e39, 2.0, "red"]]},
    {"dataframe_split": {"columns": COLUMNS, "data": [[1.0, -1e300, "red"]]}},
])
def test_numbers_a_model_cannot_compute_with_are_refused(server, colors, body):
    bad(invoke(server, colors, body), "finite numeric")


def test_infinite_csv_values_are_refused_and_hex_is_text(server, colors):
    csv_headers = {"Content-Type": "text/csv"}
    bad(invoke(server, colors, data="x1,x2,color\ninf,1,red\n", headers=csv_headers), "finite numeric")
    bad(invoke(server, colors, data="x1,x2,color\n0x10,1,red\n", headers=csv_headers), "Column 'x1' expects numeric")


def test_csv_bodies(server, colors):
    csv_headers = {"Content-Type": "text/csv"}
    r = invoke(server, colors, data="\ufeffx1,x2,color\n1,2,red\n".encode(), headers=csv_headers)
    assert r.status_code == 200, r.text
    bad(invoke(server, colors, data="1,2,red\n", headers=csv_headers), "the first line names the columns")
    bad(invoke(server, colors, data='x1,x2,color\n1,2,"red\n', headers=csv_headers), "closing '\"' is missing")


def test_records_with_no_fields_and_misnamed_columns(server, colors):
    bad(invoke(server, colors, {"dataframe_records": [{}]}), "no fields")
    doc = bad(invoke(server, colors, {"dataframe_split": {"columns": ["x1", "x2", "colour"], "data": [[1, 2, "red"]]}}),
              "lacks column 'color'")
    assert "'colour'" in doc["message"]


def test_a_refused_infer_is_neither_answered_nor_logged(server, colors):
    api = f"{server.url}/api/2.0/hangar"
    refused, served = uniq("refused"), uniq("served")
    inputs = [{"name": "x", "datatype": "BYTES", "shape": [1, 3], "data": [[1.0, 2.0, "red"]]}]
    bad(infer(server, colors, {"inputs": inputs, "outputs": [{"name": "zzz"}]}, headers={"X-Request-Id": refused}),
        "Unknown output 'zzz'")
    assert infer(server, colors, {"inputs": inputs}, headers={"X-Request-Id": served}).status_code == 200
    # The log is written in order: once the later request is in, the refused one would be too.
    wait_until(lambda: requests.get(f"{api}/predictions/search", params={"request_id": served}, timeout=10)
               .json()["predictions"], "the served request to be logged")
    assert requests.get(f"{api}/predictions/search", params={"request_id": refused}, timeout=10).json()["predictions"] == []


def test_a_traffic_policy_to_a_missing_alias_is_refused_and_the_model_keeps_serving(server, colors):
    api = f"{server.url}/api/2.0/hangar"
    r = requests.post(f"{api}/serving/policy", timeout=10,
                      json={"name": colors["name"], "routes": [{"alias": "nosuch", "percent": 100}]})
    assert r.status_code == 400 and "no alias 'nosuch'" in r.json()["message"], r.text
    r = requests.post(f"{api}/serving/policy", timeout=10, json={
        "name": colors["name"], "routes": [{"alias": "production", "percent": 100}], "shadow": "nosuch"})
    assert r.status_code == 400, r.text
    time.sleep(0.2)
    assert invoke(server, colors, {"instances": [[1.0, 2.0, "red"]]}).status_code == 200


def test_readiness_of_a_version_not_loaded_says_why(server, colors):
    r = requests.get(f"{server.url}/v2/models/{colors['path']}/versions/abc/ready", timeout=10)
    assert r.status_code == 503 and "'abc'" in r.json()["message"], r.text
    assert requests.get(f"{server.url}/v2/models/{colors['path']}/versions/{colors['version']}/ready",
                        timeout=10).status_code == 200


def test_a_malformed_prediction_log_batch_names_the_field(server):
    r = requests.post(f"{server.url}/api/2.0/hangar/predictions/log-batch", json={"records": [{"row": 0}]}, timeout=10)
    assert r.status_code == 400 and "records[0].request_id: missing" in r.json()["message"], r.text
