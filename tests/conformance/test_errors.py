"""Error responses: MLflow's {error_code, message} JSON with the matching HTTP status;
bad input is a 4xx, never a 5xx (the client retries 5xx for minutes)."""

import subprocess
from urllib.parse import urlparse

import mlflow
import pytest
import requests
from mlflow.exceptions import MlflowException

import harness

API = "/api/2.0/mlflow"
MISSING_RUN = "0" * 32


def assert_error(resp, status, code=None):
    assert resp.status_code == status, (resp.request.method, resp.url, resp.status_code, resp.text[:300])
    body = resp.json()
    assert isinstance(body, dict), body
    assert isinstance(body.get("error_code"), str) and body["error_code"], body
    assert isinstance(body.get("message"), str) and body["message"], body
    if code:
        assert body["error_code"] == code, body
    return body


def test_health(base_url):
    assert requests.get(f"{base_url}/health", timeout=10).status_code == 200


def test_unknown_run_via_client(client):
    with pytest.raises(MlflowException) as exc:
        client.get_run(MISSING_RUN)
    assert exc.value.error_code == "RESOURCE_DOES_NOT_EXIST"
    assert exc.value.get_http_status_code() == 404
    with pytest.raises(MlflowException) as exc:
        client.log_metric(MISSING_RUN, "m", 1.0)
    assert exc.value.error_code == "RESOURCE_DOES_NOT_EXIST"
    with pytest.raises(MlflowException) as exc:
        client.log_param(MISSING_RUN, "p", "1")
    assert exc.value.error_code == "RESOURCE_DOES_NOT_EXIST"


def test_unknown_run_raw(base_url):
    r = requests.get(f"{base_url}{API}/runs/get", params={"run_id": MISSING_RUN, "run_uuid": MISSING_RUN}, timeout=30)
    assert_error(r, 404, "RESOURCE_DOES_NOT_EXIST")
    assert r.headers["Content-Type"].startswith("application/json")
    r = requests.post(f"{base_url}{API}/runs/log-metric",
                      json={"run_id": MISSING_RUN, "key": "m", "value": 1.0, "timestamp": 1, "step": 0}, timeout=30)
    assert_error(r, 404, "RESOURCE_DOES_NOT_EXIST")
    r = requests.get(f"{base_url}{API}/experiments/get-by-name", params={"experiment_name": "nope-" + MISSING_RUN}, timeout=30)
    assert_error(r, 404, "RESOURCE_DOES_NOT_EXIST")
    r = requests.get(f"{base_url}{API}/experiments/get", params={"experiment_id": "987654321"}, timeout=30)
    assert_error(r, 404, "RESOURCE_DOES_NOT_EXIST")


def test_run_id_or_run_uuid_accepted(base_url, client, experiment_id):
    run_id = client.create_run(experiment_id).info.run_id
    for params in ({"run_id": run_id}, {"run_uuid": run_id}):
        r = requests.get(f"{base_url}{API}/runs/get", params=params, timeout=30)
        assert r.status_code == 200, (params, r.text)
        assert r.json()["run"]["info"]["run_id"] == run_id
    r = requests.post(f"{base_url}{API}/runs/log-metric",
                      json={"run_uuid": run_id, "key": "legacy", "value": 2.0, "timestamp": 1, "step": 0}, timeout=30)
    assert r.status_code == 200, r.text
    assert client.get_run(run_id).data.metrics["legacy"] == 2.0


@pytest.mark.parametrize("body", [b'{"name": ', b"{not json", b'{"name": "x",}', b"\xff\xfe\x00garbage"],
                         ids=["truncated", "not-json", "trailing-comma", "binary"])
def test_malformed_json_body_is_400(base_url, body):
    r = requests.post(f"{base_url}{API}/experiments/create", data=body,
                      headers={"Content-Type": "application/json"}, timeout=30)
    assert_error(r, 400)


@pytest.mark.parametrize("payload,what", [
    ({"key": "k", "value": "abc", "timestamp": 1}, "value is a non-numeric string"),
    ({"key": "k", "value": 1.0, "timestamp": "x"}, "timestamp is a string"),
    ({"key": ["k"], "value": 1.0, "timestamp": 1}, "key is a list"),
    ({"value": 1.0, "timestamp": 1}, "key missing"),
], ids=["value-str", "timestamp-str", "key-list", "key-missing"])
def test_wrong_types_are_400_invalid_parameter_value(base_url, client, experiment_id, payload, what):
    run_id = client.create_run(experiment_id).info.run_id
    r = requests.post(f"{base_url}{API}/runs/log-metric", json={"run_id": run_id, **payload}, timeout=30)
    assert_error(r, 400, "INVALID_PARAMETER_VALUE")


@pytest.mark.hangar_only  # the real MLflow server answers 500 to a JSON array body
def test_json_array_body_is_400(base_url):
    r = requests.post(f"{base_url}{API}/runs/log-metric", json=[1, 2], timeout=30)
    assert_error(r, 400)


def test_missing_required_field_is_400(base_url):
    r = requests.post(f"{base_url}{API}/experiments/create", json={}, timeout=30)
    assert_error(r, 400, "INVALID_PARAMETER_VALUE")


@pytest.mark.parametrize("method,path", [
    ("GET", "/api/2.0/mlflow/no-such-endpoint"),
    ("POST", "/api/2.0/mlflow/runs/no-such-verb"),
    ("GET", "/api/2.0/nothing/here"),
    ("GET", "/definitely/not/a/route"),
])
def test_unknown_route_is_404(base_url, method, path):
    r = requests.request(method, f"{base_url}{path}", json={} if method == "POST" else None, timeout=30)
    assert r.status_code == 404, (method, path, r.status_code, r.text[:200])


@pytest.mark.hangar_only  # MLflow answers unknown routes with an HTML page
def test_unknown_route_json_body(base_url):
    r = requests.get(f"{base_url}/api/2.0/mlflow/no-such-endpoint", timeout=30)
    assert_error(r, 404, "ENDPOINT_NOT_FOUND")


def test_duplicate_experiment_raw(base_url):
    name = harness.uniq("dup-raw")
    assert requests.post(f"{base_url}{API}/experiments/create", json={"name": name}, timeout=30).status_code == 200
    r = requests.post(f"{base_url}{API}/experiments/create", json={"name": name}, timeout=30)
    assert_error(r, 400, "RESOURCE_ALREADY_EXISTS")


def test_param_conflict_raw(base_url, client, experiment_id):
    run_id = client.create_run(experiment_id).info.run_id
    ok = requests.post(f"{base_url}{API}/runs/log-parameter", json={"run_id": run_id, "key": "p", "value": "1"}, timeout=30)
    assert ok.status_code == 200 and ok.json() == {}
    r = requests.post(f"{base_url}{API}/runs/log-parameter", json={"run_id": run_id, "key": "p", "value": "2"}, timeout=30)
    assert_error(r, 400, "INVALID_PARAMETER_VALUE")


def test_bad_search_filter_raw(base_url, experiment_id):
    r = requests.post(f"{base_url}{API}/runs/search",
                      json={"experiment_ids": [experiment_id], "filter": "metrics.m <<< 1"}, timeout=30)
    assert_error(r, 400, "INVALID_PARAMETER_VALUE")


def test_empty_search_is_empty_object(base_url, experiment_id):
    r = requests.post(f"{base_url}{API}/runs/search", json={"experiment_ids": [experiment_id]}, timeout=30)
    assert r.status_code == 200
    assert r.json().get("runs", []) == []


def test_client_sees_not_found_logged_model_and_experiment(client):
    assert mlflow.get_experiment_by_name(harness.uniq("absent")) is None
    with pytest.raises(MlflowException) as exc:
        client.delete_run(MISSING_RUN)
    assert exc.value.error_code == "RESOURCE_DOES_NOT_EXIST"


@pytest.mark.hangar_only
def test_prometheus_metrics_endpoint(base_url):
    # a store write and a store read first, so that both store timers have something to export
    api = f"{base_url}/api/2.0/mlflow"
    assert requests.post(f"{api}/runs/create", json={"experiment_id": "0"}, timeout=10).status_code == 200
    assert requests.get(f"{api}/experiments/get", params={"experiment_id": "0"}, timeout=10).status_code == 200
    r = requests.get(f"{base_url}/metrics", timeout=10)
    assert r.status_code == 200
    assert r.headers["Content-Type"].startswith("text/plain")
    assert "# TYPE" in r.text
    # store latency, by operation (it used to be missing: the store's timers were made before the backend existed)
    store = [line for line in r.text.splitlines() if line.startswith("hangar_store_duration_seconds")]
    assert any('op="write"' in line for line in store), r.text
    assert any('op="read"' in line for line in store), r.text
    # requests by route template, not raw path
    assert 'http_route="/api/2.0/mlflow/runs/create"' in r.text


@pytest.mark.hangar_only
def test_a_taken_port_is_a_one_line_error_and_a_nonzero_exit(base_url, tmp_path):
    """A second `hangar up` on a port in use says so and exits (it used to hang, serving nothing)."""
    port = urlparse(base_url).port
    proc = subprocess.run([str(harness.hangar_bin()), "up", "--data-dir", str(tmp_path / "second"),
                           "--host", "127.0.0.1", "--port", str(port)],
                          capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
    assert proc.returncode != 0
    assert f"cannot listen on 127.0.0.1:{port}: the address is already in use" in proc.stderr, proc.stderr
    # The running server is untouched.
    assert requests.get(f"{base_url}/health", timeout=10).status_code == 200
