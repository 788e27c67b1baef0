"""Runs, params, metrics (steps, history, NaN/Inf), tags, log_batch and its limits,
dataset inputs."""

import math
import sys

import mlflow
import pandas as pd
import pytest
import requests
from mlflow.entities import Metric, Param, RunTag, ViewType
from mlflow.exceptions import MlflowException

import harness
from harness import uniq

T0 = 1_700_000_000_000  # fixed timestamps: deterministic data


def test_create_and_get_run(client, experiment_id):
    run = client.create_run(experiment_id, run_name="first-run", tags={"team": "a"}, start_time=T0)
    info = run.info
    assert info.run_id and len(info.run_id) >= 16
    assert info.run_name == "first-run"
    assert info.experiment_id == experiment_id
    assert info.status == "RUNNING"
    assert info.start_time == T0
    assert info.lifecycle_stage == "active"
    assert info.artifact_uri == f"mlflow-artifacts:/{experiment_id}/{info.run_id}/artifacts"
    assert run.data.tags["team"] == "a"
    assert run.data.tags["mlflow.runName"] == "first-run"

    got = client.get_run(info.run_id)
    assert got.info.run_id == info.run_id
    assert got.info.run_name == "first-run"
    assert got.info.experiment_id == experiment_id
    assert got.info.status == "RUNNING"
    assert got.info.start_time == T0
    assert got.info.artifact_uri == info.artifact_uri
    assert got.data.tags["team"] == "a"
    assert got.data.metrics == {} and got.data.params == {}


def test_run_name_generated_when_absent(client, experiment_id):
    run = client.create_run(experiment_id)
    assert run.info.run_name
    assert run.data.tags.get("mlflow.runName") == run.info.run_name
    assert client.get_run(run.info.run_id).info.run_name == run.info.run_name


def test_update_run_and_set_terminated(client, experiment_id):
    run_id = client.create_run(experiment_id, run_name="before", start_time=T0).info.run_id
    client.update_run(run_id, status="FINISHED", name="after")
    run = client.get_run(run_id)
    assert run.info.status == "FINISHED"
    assert run.info.run_name == "after"
    assert run.data.tags["mlflow.runName"] == "after"

    client.set_terminated(run_id, status="FAILED", end_time=T0 + 5000)
    run = client.get_run(run_id)
    assert run.info.status == "FAILED"
    assert run.info.end_time == T0 + 5000


def test_fluent_start_end_and_resume(client, experiment_id):
    with mlflow.start_run(run_name="fluent") as active:
        run_id = active.info.run_id
        assert active.info.experiment_id == experiment_id
        mlflow.log_param("alpha", 0.5)
        mlflow.log_metric("loss", 1.25)
        mlflow.set_tag("stage", "dev")
    run = client.get_run(run_id)
    assert run.info.status == "FINISHED"
    assert run.info.end_time is not None and run.info.end_time >= run.info.start_time
    assert run.data.params == {"alpha": "0.5"}
    assert run.data.metrics == {"loss": 1.25}
    assert run.data.tags["stage"] == "dev"
    for system_tag in ("mlflow.user", "mlflow.source.name", "mlflow.source.type", "mlflow.runName"):
        assert system_tag in run.data.tags

    with mlflow.start_run(run_id=run_id):
        assert client.get_run(run_id).info.status == "RUNNING"
        mlflow.log_metric("loss", 0.75, step=1)
    mlflow.start_run(run_id=run_id)
    mlflow.end_run(status="KILLED")
    run = client.get_run(run_id)
    assert run.info.status == "KILLED"
    assert run.data.metrics["loss"] == 0.75


def test_delete_and_restore_run(client, experiment_id):
    run_id = client.create_run(experiment_id).info.run_id
    client.delete_run(run_id)
    assert client.get_run(run_id).info.lifecycle_stage == "deleted"
    assert [r.info.run_id for r in client.search_runs([experiment_id])] == []
    deleted = client.search_runs([experiment_id], run_view_type=ViewType.DELETED_ONLY)
    assert [r.info.run_id for r in deleted] == [run_id]
    every = client.search_runs([experiment_id], run_view_type=ViewType.ALL)
    assert [r.info.run_id for r in every] == [run_id]
    client.restore_run(run_id)
    assert client.get_run(run_id).info.lifecycle_stage == "active"
    assert [r.info.run_id for r in client.search_runs([experiment_id])] == [run_id]


def test_run_tags(client, experiment_id):
    run_id = client.create_run(experiment_id).info.run_id
    long_value = "x" * 5000
    client.set_tag(run_id, "k1", "v1")
    client.set_tag(run_id, "k2", "v2")
    client.set_tag(run_id, "k1", "v1-updated")
    client.set_tag(run_id, "long", long_value)
    client.set_tag(run_id, "unicode", "h\u00e9llo \u2603 \u65e5\u672c")
    tags = client.get_run(run_id).data.tags
    assert tags["k1"] == "v1-updated"
    assert tags["k2"] == "v2"
    assert tags["long"] == long_value
    assert tags["unicode"] == "h\u00e9llo \u2603 \u65e5\u672c"
    client.delete_tag(run_id, "k2")
    assert "k2" not in client.get_run(run_id).data.tags


def test_params_are_immutable(client, experiment_id):
    run_id = client.create_run(experiment_id).info.run_id
    client.log_param(run_id, "lr", "0.01")
    client.log_param(run_id, "lr", "0.01")  # same value again: allowed
    with pytest.raises(MlflowException) as exc:
        client.log_param(run_id, "lr", "0.02")
    assert exc.value.error_code == "INVALID_PARAMETER_VALUE"
    assert client.get_run(run_id).data.params["lr"] == "0.01"

    # same rule through log-batch
    with pytest.raises(MlflowException) as exc:
        client.log_batch(run_id, params=[Param("lr", "0.03")])
    assert exc.value.error_code == "INVALID_PARAMETER_VALUE"

    client.log_param(run_id, "long", "p" * 500)
    with mlflow.start_run(run_id=run_id):
        mlflow.log_params({"a": 1, "b": "two", "c": 3.5})
    params = client.get_run(run_id).data.params
    assert params == {"lr": "0.01", "long": "p" * 500, "a": "1", "b": "two", "c": "3.5"}


def test_metrics_with_steps_and_history(client, experiment_id):
    run_id = client.create_run(experiment_id).info.run_id
    for step in range(10):
        client.log_metric(run_id, "loss", 1.0 / (step + 1), timestamp=T0 + step, step=step)
    # two values at the same step (different timestamps) are both kept
    client.log_metric(run_id, "acc", 0.5, timestamp=T0, step=3)
    client.log_metric(run_id, "acc", 0.6, timestamp=T0 + 1, step=3)

    hist = client.get_metric_history(run_id, "loss")
    got = sorted((m.step, m.timestamp, m.value) for m in hist)
    assert got == [(s, T0 + s, 1.0 / (s + 1)) for s in range(10)]
    assert all(m.key == "loss" for m in hist)
    acc = sorted((m.step, m.timestamp, m.value) for m in client.get_metric_history(run_id, "acc"))
    assert acc == [(3, T0, 0.5), (3, T0 + 1, 0.6)]
    assert client.get_metric_history(run_id, "never-logged") == []

    metrics = client.get_run(run_id).data.metrics
    assert metrics["loss"] == pytest.approx(0.1)  # the value at the highest step
    assert metrics["acc"] == 0.6  # same step: the later timestamp wins


def test_latest_metric_is_max_step_not_last_logged(client, experiment_id):
    run_id = client.create_run(experiment_id).info.run_id
    client.log_metric(run_id, "m", 10.0, timestamp=T0, step=20)
    client.log_metric(run_id, "m", 5.0, timestamp=T0 + 1000, step=5)
    assert client.get_run(run_id).data.metrics["m"] == 10.0
    assert sorted(m.step for m in client.get_metric_history(run_id, "m")) == [5, 20]


def test_metric_history_many_points(client, experiment_id):
    run_id = client.create_run(experiment_id).info.run_id
    metrics = [Metric("curve", float(i) * 0.5, T0 + i, i) for i in range(3000)]
    client.log_batch(run_id, metrics=metrics)  # client splits into 1000-metric requests
    hist = client.get_metric_history(run_id, "curve")
    assert sorted((m.step, m.value) for m in hist) == [(i, i * 0.5) for i in range(3000)]


def test_log_batch(client, experiment_id):
    run_id = client.create_run(experiment_id).info.run_id
    client.log_batch(
        run_id,
        metrics=[Metric("m1", 1.5, T0, 0), Metric("m1", 2.5, T0 + 1, 1), Metric("m2", -3.0, T0, 7)],
        params=[Param("p1", "a"), Param("p2", "b")],
        tags=[RunTag("t1", "x"), RunTag("t2", "y")],
    )
    run = client.get_run(run_id)
    assert run.data.metrics == {"m1": 2.5, "m2": -3.0}
    assert run.data.params == {"p1": "a", "p2": "b"}
    assert run.data.tags["t1"] == "x" and run.data.tags["t2"] == "y"
    assert sorted((m.step, m.value) for m in client.get_metric_history(run_id, "m1")) == [
        (0, 1.5), (1, 2.5)]


def test_log_batch_1001_metrics_via_client_is_split(client, experiment_id):
    run_id = client.create_run(experiment_id).info.run_id
    client.log_batch(run_id, metrics=[Metric("k", float(i), T0, i) for i in range(1001)])
    assert len(client.get_metric_history(run_id, "k")) == 1001


def _post(base_url, path, body):
    return requests.post(f"{base_url}/api/2.0/mlflow/{path}", json=body, timeout=60)


def _assert_error(resp, status, code):
    assert resp.status_code == status, (resp.status_code, resp.text[:500])
    body = resp.json()
    assert body["error_code"] == code, body
    assert isinstance(body.get("message"), str) and body["message"]


def test_log_batch_limits_raw(client, experiment_id, base_url):
    run_id = client.create_run(experiment_id).info.run_id
    metric = lambda i: {"key": "m", "value": float(i), "timestamp": T0, "step": i}  # noqa: E731

    ok = _post(base_url, "runs/log-batch", {"run_id": run_id, "metrics": [metric(i) for i in range(1000)]})
    assert ok.status_code == 200, ok.text[:500]
    assert ok.json() == {}

    too_many = _post(base_url, "runs/log-batch",
                     {"run_id": run_id, "metrics": [metric(i) for i in range(1001)]})
    _assert_error(too_many, 400, "INVALID_PARAMETER_VALUE")
    params = _post(base_url, "runs/log-batch",
                   {"run_id": run_id, "params": [{"key": f"p{i}", "value": "1"} for i in range(101)]})
    _assert_error(params, 400, "INVALID_PARAMETER_VALUE")
    tags = _post(base_url, "runs/log-batch",
                 {"run_id": run_id, "tags": [{"key": f"t{i}", "value": "1"} for i in range(101)]})
    _assert_error(tags, 400, "INVALID_PARAMETER_VALUE")

    # the rejected requests wrote nothing
    assert len(client.get_metric_history(run_id, "m")) == 1000
    run = client.get_run(run_id)
    assert run.data.params == {}
    assert not any(k.startswith("t") and k[1:].isdigit() for k in run.data.tags)


def _is_inf(value, sign):
    """+/-Infinity must round-trip. The real MLflow SQL store clamps it to +/-sys.float_info.max
    (a known MLflow deviation); that is accepted only when validating against MLflow."""
    if math.isinf(value) and (value > 0) == (sign > 0):
        return True
    return harness.SERVER_KIND == "mlflow" and value == sign * sys.float_info.max


def test_nan_and_infinity_round_trip(client, experiment_id, base_url):
    run_id = client.create_run(experiment_id).info.run_id
    client.log_metric(run_id, "nan", float("nan"), timestamp=T0, step=0)
    client.log_metric(run_id, "pinf", float("inf"), timestamp=T0, step=0)
    client.log_metric(run_id, "ninf", float("-inf"), timestamp=T0, step=0)
    client.log_batch(run_id, metrics=[
        Metric("batch", float("nan"), T0, 0), Metric("batch", float("inf"), T0, 1),
        Metric("batch", float("-inf"), T0, 2), Metric("batch", 1.0, T0, 3)])

    m = client.get_run(run_id).data.metrics
    assert math.isnan(m["nan"])
    assert _is_inf(m["pinf"], +1), m["pinf"]
    assert _is_inf(m["ninf"], -1), m["ninf"]
    assert m["batch"] == 1.0
    hist = {h.step: h.value for h in client.get_metric_history(run_id, "batch")}
    assert math.isnan(hist[0]) and _is_inf(hist[1], +1) and _is_inf(hist[2], -1) and hist[3] == 1.0
    assert math.isnan(client.get_metric_history(run_id, "nan")[0].value)

    # on the wire NaN travels as the JSON string "NaN" (strict JSON, no bare NaN token)
    raw = requests.get(f"{base_url}/api/2.0/mlflow/runs/get", params={"run_id": run_id}, timeout=30)
    assert raw.status_code == 200
    assert "NaN" in raw.text
    values = {x["key"]: x["value"] for x in raw.json()["run"]["data"]["metrics"]}
    assert values["nan"] == "NaN"
    if harness.SERVER_KIND == "hangar":
        assert values["pinf"] == "Infinity" and values["ninf"] == "-Infinity", values

    # and the server accepts them in that form
    r = _post(base_url, "runs/log-metric", {"run_id": run_id, "key": "raw", "value": "NaN",
                                            "timestamp": T0, "step": 0})
    assert r.status_code == 200, r.text
    r = _post(base_url, "runs/log-metric", {"run_id": run_id, "key": "raw", "value": "-Infinity",
                                            "timestamp": T0, "step": 1})
    assert r.status_code == 200, r.text
    hist = {h.step: h.value for h in client.get_metric_history(run_id, "raw")}
    assert math.isnan(hist[0]) and _is_inf(hist[1], -1)


def test_log_input_pandas_dataset(client, experiment_id):
    df = pd.DataFrame({"x1": [1.0, 2.0, 3.0, 4.0], "x2": [0.5, 0.25, 0.125, 0.0625], "y": [0, 1, 0, 1]})
    ds = mlflow.data.from_pandas(df, targets="y", name="train-ds")
    with mlflow.start_run() as run:
        mlflow.log_input(ds, context="training", tags={"split": "train"})
    inputs = client.get_run(run.info.run_id).inputs.dataset_inputs
    assert len(inputs) == 1
    got = inputs[0]
    assert got.dataset.name == "train-ds"
    assert got.dataset.digest == ds.digest
    assert got.dataset.source_type == ds.source._get_source_type()
    assert got.dataset.schema and "x1" in got.dataset.schema
    assert got.dataset.profile and "num_rows" in got.dataset.profile
    tags = {t.key: t.value for t in got.tags}
    assert tags["mlflow.data.context"] == "training"
    assert tags["split"] == "train"

    # logging the same dataset again does not duplicate it
    with mlflow.start_run(run_id=run.info.run_id):
        mlflow.log_input(ds, context="training")
    assert len(client.get_run(run.info.run_id).inputs.dataset_inputs) == 1
