"""MLflow 3 models: sklearn.log_model + pyfunc.load_model("runs:/<run>/model") + predict,
sklearn autolog, and the LoggedModel API (create/initialize, get, search, tags, params,
finalize, metrics linked to a model)."""

import mlflow
import numpy as np
import pandas as pd
import pytest
from mlflow.exceptions import MlflowException
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression

from harness import uniq


def dataset():
    X, y = make_classification(n_samples=200, n_features=4, n_informative=3, n_redundant=0,
                               random_state=7)
    return pd.DataFrame(X, columns=["a", "b", "c", "d"]), y


def test_sklearn_log_model_and_pyfunc_load_from_runs_uri(client, experiment_id, tmp_path):
    X, y = dataset()
    model = LogisticRegression(max_iter=500, random_state=0).fit(X, y)
    with mlflow.start_run() as run:
        info = mlflow.sklearn.log_model(model, name="model", input_example=X.head(5))
    run_id = run.info.run_id

    # the logged model exists, is READY, and lives under <exp>/models/<id>/
    lm = client.get_logged_model(info.model_id)
    assert lm.model_id == info.model_id
    assert lm.model_id.startswith("m-")
    assert lm.name == "model"
    assert lm.experiment_id == experiment_id
    assert lm.source_run_id == run_id
    assert str(lm.status) in ("READY", "LoggedModelStatus.READY") or lm.status.name == "READY"
    assert lm.artifact_location == f"mlflow-artifacts:/{experiment_id}/models/{lm.model_id}/artifacts"
    outputs = client.get_run(run_id).outputs
    assert [o.model_id for o in outputs.model_outputs] == [info.model_id]

    want = model.predict(X)
    loaded = mlflow.pyfunc.load_model(f"runs:/{run_id}/model")
    np.testing.assert_array_equal(np.asarray(loaded.predict(X)), want)

    # the other URI forms resolve to the same artifacts
    by_id = mlflow.sklearn.load_model(f"models:/{info.model_id}")
    np.testing.assert_array_equal(by_id.predict(X), want)
    np.testing.assert_allclose(by_id.predict_proba(X), model.predict_proba(X))
    local = mlflow.artifacts.download_artifacts(artifact_uri=info.model_uri, dst_path=str(tmp_path / "m"))
    assert (tmp_path / "m").exists() and "MLmodel" in {p.name for p in (tmp_path / "m").rglob("*")}, local


def test_sklearn_autolog(client, experiment_id):
    X, y = dataset()
    mlflow.sklearn.autolog(log_models=True, log_input_examples=False, silent=True)
    try:
        with mlflow.start_run() as run:
            LogisticRegression(C=0.5, max_iter=300, random_state=0).fit(X, y)
    finally:
        mlflow.sklearn.autolog(disable=True)
    r = client.get_run(run.info.run_id)
    assert r.info.status == "FINISHED"
    assert r.data.params["C"] == "0.5"
    assert r.data.params["max_iter"] == "300"
    assert "training_accuracy_score" in r.data.metrics
    assert 0.5 < r.data.metrics["training_accuracy_score"] <= 1.0
    assert "training_f1_score" in r.data.metrics
    assert r.data.tags["estimator_name"] == "LogisticRegression"
    assert r.data.tags["estimator_class"] == "sklearn.linear_model._logistic.LogisticRegression"
    # autolog logged a model for the run, loadable through runs:/
    models = client.search_logged_models([experiment_id], filter_string=f"source_run_id = '{run.info.run_id}'")
    assert len(models) == 1
    loaded = mlflow.pyfunc.load_model(f"runs:/{run.info.run_id}/model")
    assert len(loaded.predict(X)) == len(X)


def status_name(lm):
    s = lm.status
    return getattr(s, "name", None) or str(s)


def test_logged_model_api(client, experiment_id):
    run_id = client.create_run(experiment_id).info.run_id
    name = uniq("lm")
    lm = client.create_logged_model(experiment_id, name=name, source_run_id=run_id,
                                    tags={"a": "1", "b": "2"}, params={"alpha": "0.1"},
                                    model_type="classifier")
    mid = lm.model_id
    assert mid.startswith("m-")
    assert lm.name == name
    assert lm.experiment_id == experiment_id
    assert lm.source_run_id == run_id
    assert lm.model_type == "classifier"
    assert status_name(lm) == "PENDING"
    assert lm.tags == {"a": "1", "b": "2"}
    assert lm.params == {"alpha": "0.1"}
    assert lm.artifact_location == f"mlflow-artifacts:/{experiment_id}/models/{mid}/artifacts"
    assert lm.creation_timestamp > 0

    got = client.get_logged_model(mid)
    assert (got.model_id, got.name, got.tags, got.params) == (mid, name, {"a": "1", "b": "2"}, {"alpha": "0.1"})

    client.set_logged_model_tags(mid, {"b": "22", "c": "3"})
    client.delete_logged_model_tag(mid, "a")
    client.log_model_params(mid, {"beta": "0.2"})
    got = client.get_logged_model(mid)
    assert got.tags == {"b": "22", "c": "3"}
    assert got.params == {"alpha": "0.1", "beta": "0.2"}

    done = client.finalize_logged_model(mid, "READY")
    assert status_name(done) == "READY"
    assert status_name(client.get_logged_model(mid)) == "READY"

    found = client.search_logged_models([experiment_id], filter_string=f"name = '{name}'")
    assert [m.model_id for m in found] == [mid]
    assert list(client.search_logged_models([experiment_id], filter_string="name = 'no-such-model'")) == []


def test_initialize_logged_model_and_search(client, experiment_id):
    names = [uniq("init") for _ in range(3)]
    ids = [mlflow.initialize_logged_model(name=n, experiment_id=experiment_id).model_id for n in names]
    for mid in ids:
        assert status_name(client.get_logged_model(mid)) == "PENDING"
    found = client.search_logged_models([experiment_id])
    assert {m.model_id for m in found} == set(ids)
    df = mlflow.search_logged_models(experiment_ids=[experiment_id], filter_string=f"name = '{names[1]}'")
    assert list(df["model_id"]) == [ids[1]]

    # pagination
    seen, token = [], None
    for _ in range(5):
        page = client.search_logged_models([experiment_id], max_results=2, page_token=token)
        seen += [m.model_id for m in page]
        token = page.token
        if not token:
            break
    assert sorted(seen) == sorted(ids)


def test_metric_linked_to_logged_model(client, experiment_id):
    lm = mlflow.initialize_logged_model(name=uniq("with-metric"), experiment_id=experiment_id)
    with mlflow.start_run() as run:
        mlflow.log_metric("acc", 0.875, step=2, model_id=lm.model_id)
    got = client.get_logged_model(lm.model_id)
    accs = [(m.key, m.value, m.step, m.run_id) for m in got.metrics]
    assert ("acc", 0.875, 2, run.info.run_id) in accs
    assert client.get_run(run.info.run_id).data.metrics["acc"] == 0.875


def test_get_missing_logged_model(client):
    with pytest.raises(MlflowException) as exc:
        client.get_logged_model("m-" + "0" * 32)
    assert exc.value.error_code == "RESOURCE_DOES_NOT_EXIST"
