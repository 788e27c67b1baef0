"""Bad input found by fuzzing the API: each request is answered with a 4xx JSON error (never a
500, a dropped connection or a dead server) and the server keeps serving afterwards."""

import json
import socket
from urllib.parse import urlparse

import pytest
import requests

from test_errors import API, assert_error


@pytest.fixture
def run_id(client, experiment_id):
    return client.create_run(experiment_id).info.run_id


def alive(base_url):
    assert requests.get(f"{base_url}/health", timeout=10).status_code == 200


@pytest.mark.parametrize("path,body", [
    ("runs/search", {"filter": "attributes.start_time > 1e19"}),
    ("runs/search", {"filter": "attributes.end_time < -1e300"}),
    ("runs/search", {"filter": "tags.t IN (1e19, 2)"}),
    ("experiments/search", {"filter": "creation_time > 1e999"}),
    ("logged-models/search", {"filter": "creation_timestamp > 1e999"}),
])
def test_numbers_beyond_int64_in_filters_do_not_crash(base_url, experiment_id, path, body):
    body = {**body, "experiment_ids": [experiment_id]} if path != "experiments/search" else {**body, "max_results": 10}
    r = requests.post(f"{base_url}{API}/{path}", json=body, timeout=30)
    assert r.status_code < 500, r.text[:300]
    if r.status_code != 200:
        assert_error(r, 400, "INVALID_PARAMETER_VALUE")
    alive(base_url)


@pytest.mark.hangar_only
def test_a_whole_number_beyond_int64_compares_as_a_number(base_url, client, experiment_id, run_id):
    found = requests.post(f"{base_url}{API}/runs/search", timeout=30, json={
        "experiment_ids": [experiment_id], "filter": "attributes.start_time < 1e19"}).json()
    assert [r["info"]["run_id"] for r in found["runs"]] == [run_id]
    none = requests.post(f"{base_url}{API}/runs/search", timeout=30, json={
        "experiment_ids": [experiment_id], "filter": "attributes.start_time > 1e19"}).json()
    assert none == {}


@pytest.mark.hangar_only
@pytest.mark.parametrize("path,clause", [
    ("runs/search", "metrics.m1 > 1"),
    ("experiments/search", "name = 'x'"),
    ("registered-models/search", "name = 'x'"),
    ("model-versions/search", "name = 'x'"),
])
def test_a_filter_of_a_thousand_clauses_is_refused_cleanly(base_url, experiment_id, path, clause):
    text = " AND ".join([clause] * 1000)
    if path.startswith(("registered-models", "model-versions")):
        r = requests.get(f"{base_url}{API}/{path}", params={"filter": text}, timeout=30)
    else:
        r = requests.post(f"{base_url}{API}/{path}", json={"experiment_ids": [experiment_id], "filter": text}, timeout=30)
    body = assert_error(r, 400, "INVALID_PARAMETER_VALUE")
    assert "200 clauses" in body["message"]
    alive(base_url)


@pytest.mark.hangar_only
def test_an_artifact_name_too_long_for_the_file_system_is_400(base_url, experiment_id, run_id):
    url = f"{base_url}/api/2.0/mlflow-artifacts/artifacts/{experiment_id}/{run_id}/artifacts/{'a' * 300}"
    body = assert_error(requests.put(url, data=b"x", timeout=30), 400, "INVALID_PARAMETER_VALUE")
    assert "255 bytes" in body["message"]
    url = f"{base_url}/api/2.0/mlflow-artifacts/artifacts/{experiment_id}/{run_id}/artifacts/{'d' * 300}/f.txt"
    assert_error(requests.put(url, data=b"x", timeout=30), 400, "INVALID_PARAMETER_VALUE")
    alive(base_url)


@pytest.mark.hangar_only
def test_a_malformed_chunked_body_is_400(base_url):
    u = urlparse(base_url)
    with socket.create_connection((u.hostname, u.port), timeout=10) as s:
        s.sendall(b"POST /api/2.0/mlflow/runs/set-tag HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                  b"Transfer-Encoding: chunked\r\n\r\nZZZ\r\n")
        answer = b""
        while b"\r\n\r\n" not in answer:
            chunk = s.recv(4096)
            if not chunk:
                break
            answer += chunk
    status_line = answer.split(b"\r\n", 1)[0]
    assert status_line.startswith(b"HTTP/1.1 400"), answer[:300]
    alive(base_url)


def _exchange(base_url, raw):
    """Sends raw bytes on one connection and reads until the server closes it."""
    u = urlparse(base_url)
    with socket.create_connection((u.hostname, u.port), timeout=10) as s:
        s.sendall(raw)
        answer = b""
        while True:
            chunk = s.recv(65536)
            if not chunk:
                return answer
            answer += chunk


def _last_json_error(answer):
    head, _, body = answer.rpartition(b"\r\n\r\n")
    assert b"400 Bad Request" in head and b"Connection: close" in head, answer[:500]
    return json.loads(body)


@pytest.mark.hangar_only
@pytest.mark.parametrize("raw, words", [
    (b"GET /" + b"a" * 100_000 + b" HTTP/1.1\r\nHost: x\r\n\r\n", "larger than the server accepts"),
    (b"GET /health HTTP/9.9\r\n\r\n", "HTTP version"),
    (b"GET /health HTTP/1.1\r\nNo Colon Here\r\n\r\n", "header line"),
    (b"POST /api/2.0/mlflow/runs/create HTTP/1.1\r\nContent-Length: ten\r\n\r\n", "Content-Length"),
])
def test_a_request_head_the_server_cannot_parse_gets_a_json_400(base_url, raw, words):
    body = _last_json_error(_exchange(base_url, raw))
    assert body["error_code"] == "BAD_REQUEST" and words in body["message"], body
    alive(base_url)


@pytest.mark.hangar_only
def test_garbage_after_a_good_request_is_answered_after_it(base_url):
    answer = _exchange(base_url, b"GET /health HTTP/1.1\r\nHost: x\r\n\r\nNOT HTTP\x01\r\n\r\n")
    assert answer.startswith(b"HTTP/1.1 200"), answer[:300]
    assert _last_json_error(answer)["error_code"] == "BAD_REQUEST"


def test_deleting_a_missing_experiment_tag_is_404(base_url, experiment_id):
    r = requests.post(f"{base_url}{API}/experiments/delete-experiment-tag",
                      json={"experiment_id": experiment_id, "key": "no-such-tag"}, timeout=30)
    assert_error(r, 404, "RESOURCE_DOES_NOT_EXIST")


def test_deleting_an_experiment_tag_removes_it(base_url, client, experiment_id):
    client.set_experiment_tag(experiment_id, "team", "a")
    r = requests.post(f"{base_url}{API}/experiments/delete-experiment-tag",
                      json={"experiment_id": experiment_id, "key": "team"}, timeout=30)
    assert r.status_code == 200, r.text
    assert "team" not in client.get_experiment(experiment_id).tags


def test_experiment_names_over_500_characters_are_refused(base_url, experiment_id):
    r = requests.post(f"{base_url}{API}/experiments/create", json={"name": "e" * 501}, timeout=30)
    assert_error(r, 400, "INVALID_PARAMETER_VALUE")
    r = requests.post(f"{base_url}{API}/experiments/update",
                      json={"experiment_id": experiment_id, "new_name": "e" * 501}, timeout=30)
    assert_error(r, 400, "INVALID_PARAMETER_VALUE")


@pytest.mark.parametrize("key", ["bad\u0000key", "new\nline", "back\\slash", "a//b", "./a", "a/", ".", "..a", "semi;colon"])
def test_metric_param_and_tag_names_follow_mlflows_rule(base_url, run_id, key):
    for path, body in [
        ("runs/log-metric", {"run_id": run_id, "key": key, "value": 1, "timestamp": 1}),
        ("runs/log-parameter", {"run_id": run_id, "key": key, "value": "1"}),
        ("runs/set-tag", {"run_id": run_id, "key": key, "value": "1"}),
        ("runs/log-batch", {"run_id": run_id, "metrics": [{"key": key, "value": 1, "timestamp": 1, "step": 0}]}),
    ]:
        assert_error(requests.post(f"{base_url}{API}/{path}", json=body, timeout=30), 400, "INVALID_PARAMETER_VALUE")


def test_names_mlflow_allows_are_accepted(client, run_id):
    for key in ["acc", "val/loss", "a.b-c d:e", "précision", "m_1"]:
        client.log_metric(run_id, key, 1.0)
    assert sorted(client.get_run(run_id).data.metrics) == sorted(["acc", "val/loss", "a.b-c d:e", "précision", "m_1"])


def test_run_name_and_run_name_tag_must_agree(base_url, experiment_id):
    r = requests.post(f"{base_url}{API}/runs/create", timeout=30, json={
        "experiment_id": experiment_id, "run_name": "b", "tags": [{"key": "mlflow.runName", "value": "a"}]})
    body = assert_error(r, 400, "INVALID_PARAMETER_VALUE")
    assert "mlflow.runName" in body["message"]
    r = requests.post(f"{base_url}{API}/runs/create", timeout=30, json={
        "experiment_id": experiment_id, "run_name": "a", "tags": [{"key": "mlflow.runName", "value": "a"}]})
    assert r.status_code == 200, r.text


@pytest.mark.parametrize("dataset,tags", [
    ({"digest": "d" * 37}, []),
    ({"name": "n" * 501}, []),
    ({"source": "s" * 65536}, []),
    ({}, [{"key": "k" * 256, "value": "v"}]),
    ({}, [{"key": "k", "value": "v" * 501}]),
])
def test_dataset_size_limits(base_url, run_id, dataset, tags):
    d = {"name": "ds", "digest": "abc", "source_type": "local", "source": "{}", **dataset}
    r = requests.post(f"{base_url}{API}/runs/log-inputs", timeout=30,
                      json={"run_id": run_id, "datasets": [{"tags": tags, "dataset": d}]})
    assert_error(r, 400, "INVALID_PARAMETER_VALUE")


def test_hex_text_is_not_a_metric_value(base_url, run_id):
    r = requests.post(f"{base_url}{API}/runs/log-metric", timeout=30,
                      json={"run_id": run_id, "key": "m", "value": "0x10", "timestamp": 1})
    assert_error(r, 400, "INVALID_PARAMETER_VALUE")
    r = requests.post(f"{base_url}{API}/runs/log-metric", timeout=30,
                      json={"run_id": run_id, "key": "m", "value": "1.5e1", "timestamp": 1})
    assert r.status_code == 200, r.text


@pytest.fixture
def registered(client):
    import harness
    name = harness.uniq("src")
    client.create_registered_model(name)
    return name


@pytest.mark.parametrize("source", [
    "/etc/passwd",
    "file:///etc/passwd",
    "mlflow-artifacts:/{exp}/{run}/artifacts/../../../../etc",
    "mlflow-artifacts:/{exp}/{run}/artifacts/%2e%2e/%2e%2e/x",
    "mlflow-artifacts:/{exp}/other-run/artifacts/model",
    "runs:/0123456789abcdef0123456789abcdef/model",
])
def test_model_version_sources_must_lie_inside_their_run(base_url, experiment_id, run_id, registered, source):
    source = source.format(exp=experiment_id, run=run_id)
    r = requests.post(f"{base_url}{API}/model-versions/create", timeout=30,
                      json={"name": registered, "source": source, "run_id": run_id})
    body = assert_error(r, 400, "INVALID_PARAMETER_VALUE")
    assert "Invalid model version source" in body["message"]


def test_model_version_sources_inside_their_run_are_accepted(base_url, client, experiment_id, run_id, registered):
    artifacts = client.get_run(run_id).info.artifact_uri
    for source in [f"runs:/{run_id}/model", f"{artifacts}/model"]:
        r = requests.post(f"{base_url}{API}/model-versions/create", timeout=30,
                          json={"name": registered, "source": source, "run_id": run_id})
        assert r.status_code == 200, r.text
        assert r.json()["model_version"]["run_id"] == run_id


@pytest.mark.hangar_only
def test_a_webhook_test_with_an_unknown_event_is_400(base_url):
    import harness
    created = requests.post(f"{base_url}{API}/webhooks", timeout=30, json={
        "name": harness.uniq("hook"), "url": "https://203.0.113.10/hook",
        "events": [{"entity": "model_version", "action": "created"}]})
    assert created.status_code == 200, created.text
    hook = created.json()["webhook"]["webhook_id"]
    r = requests.post(f"{base_url}{API}/webhooks/{hook}/test", timeout=30,
                      json={"event": {"entity": "bogus", "action": "x"}})
    assert_error(r, 400, "INVALID_PARAMETER_VALUE")
