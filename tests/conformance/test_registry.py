"""Model registry (issue 3): the MLflow registry API driven by the real MLflow 3 client
(sklearn log_model with registered_model_name, aliases, models:/ URIs, stage transitions,
register_model, registered-model and model-version CRUD, search, tags, aliases), and Hangar's
own registry REST under /api/2.0/hangar (approval policy, quality gates, alias history,
rollback, lineage, the event feed; marked hangar_only)."""

import threading
import time

import mlflow
import numpy as np
import pandas as pd
import pytest
import requests
from mlflow.exceptions import MlflowException
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression

from harness import uniq

API = "/api/2.0/mlflow"
HANGAR = "/api/2.0/hangar"
T = 30  # seconds, raw HTTP timeout


# --------------------------------------------------------------------------- helpers


def dataset():
    X, y = make_classification(n_samples=200, n_features=4, n_informative=3, n_redundant=0,
                               random_state=11)
    return pd.DataFrame(X, columns=["a", "b", "c", "d"]), y


def two_models():
    """Two classifiers whose predictions differ, so a loaded model tells which version it is."""
    X, y = dataset()
    a = LogisticRegression(max_iter=500, random_state=0).fit(X, y)
    b = LogisticRegression(max_iter=500, random_state=0).fit(X, 1 - y)
    assert not np.array_equal(a.predict(X), b.predict(X))
    return X, a, b


def predict_uri(uri, X):
    return np.asarray(mlflow.pyfunc.load_model(uri).predict(X))


def err(resp, status=None, code=None):
    """Asserts an MLflow-style JSON error (4xx unless a status is given) and returns the body."""
    where = (resp.request.method, resp.url, resp.status_code, resp.text[:400])
    if status is None:
        assert 400 <= resp.status_code < 500, where
    else:
        assert resp.status_code == status, where
    body = resp.json()
    assert isinstance(body, dict) and isinstance(body.get("error_code"), str), where
    assert isinstance(body.get("message"), str) and body["message"], where
    if code:
        assert body["error_code"] == code, where
    return body


def ok(resp):
    assert resp.status_code == 200, (resp.request.method, resp.url, resp.status_code, resp.text[:400])
    return resp.json()


def new_run_version(client, experiment_id, name, metrics=None, params=None):
    """A run (with optional metrics/params) and a model version whose source is that run."""
    run_id = client.create_run(experiment_id).info.run_id
    for k, v in (params or {}).items():
        client.log_param(run_id, k, v)
    for k, v in (metrics or {}).items():
        client.log_metric(run_id, k, v)
    mv = client.create_model_version(name, f"runs:/{run_id}/model", run_id=run_id)
    return run_id, mv


def raw_version(base_url, name, version):
    return ok(requests.get(f"{base_url}{API}/model-versions/get",
                           params={"name": name, "version": str(version)}, timeout=T))["model_version"]


def hangar_post(base_url, path, body, auth=None):
    return requests.post(f"{base_url}{HANGAR}/{path}", json=body, auth=auth, timeout=T)


def hangar_get(base_url, path, params, timeout=T):
    return requests.get(f"{base_url}{HANGAR}/{path}", params=params, timeout=timeout)


def event_cursor(base_url):
    """The id of the newest event (pages through the feed)."""
    cursor = 0
    for _ in range(1000):
        body = ok(hangar_get(base_url, "events", {"after": cursor, "limit": 1000}))
        events = body.get("events") or []
        if not events:
            return cursor
        cursor = body["next_cursor"]
    raise AssertionError("event feed did not end")


def events_after(base_url, cursor, name=None, limit=1000):
    out = []
    for _ in range(1000):
        body = ok(hangar_get(base_url, "events", {"after": cursor, "limit": limit}))
        events = body.get("events") or []
        if not events:
            break
        ids = [e["id"] for e in events]
        assert ids == sorted(ids) and len(set(ids)) == len(ids) and ids[0] > cursor, ids
        assert body["next_cursor"] == ids[-1], body["next_cursor"]
        out += events
        cursor = body["next_cursor"]
    return [e for e in out if name is None or e.get("model") == name]


def is_subsequence(wanted, seen):
    it = iter(seen)
    return all(any(w == s for s in it) for w in wanted)


# --------------------------------------------------------------------------- MLflow client flows


def test_log_model_register_alias_load_stages_and_register_model(client, experiment_id):
    X, model_a, model_b = two_models()
    want_a, want_b = model_a.predict(X), model_b.predict(X)
    name = uniq("sk")

    with mlflow.start_run() as run1:
        info = mlflow.sklearn.log_model(model_a, name="model", registered_model_name=name)
    assert str(info.registered_model_version) == "1"
    mv1 = client.get_model_version(name, "1")
    assert mv1.name == name and str(mv1.version) == "1"
    assert mv1.status == "READY"
    assert mv1.current_stage == "None"
    assert mv1.source == f"models:/{info.model_id}"
    assert mv1.run_id == run1.info.run_id  # the server takes it from the logged model
    assert mv1.creation_timestamp > 0

    # the server resolves a models:/<model_id> source to the logged model's artifact location
    lm = client.get_logged_model(info.model_id)
    assert client.get_model_version_download_uri(name, "1") == lm.artifact_location

    # alias -> load through models:/name@alias
    client.set_registered_model_alias(name, "champion", "1")
    by_alias = client.get_model_version_by_alias(name, "champion")
    assert str(by_alias.version) == "1"
    assert "champion" in by_alias.aliases
    assert client.get_registered_model(name).aliases == {"champion": "1"}
    np.testing.assert_array_equal(predict_uri(f"models:/{name}@champion", X), want_a)
    np.testing.assert_array_equal(mlflow.sklearn.load_model(f"models:/{name}@champion").predict(X), want_a)

    # a second run, registered afterwards with register_model("runs:/<run>/model") -> version 2
    with mlflow.start_run() as run2:
        mlflow.sklearn.log_model(model_b, name="model")
    mv2 = mlflow.register_model(f"runs:/{run2.info.run_id}/model", name)
    assert str(mv2.version) == "2"
    assert mv2.status == "READY"
    assert mv2.run_id == run2.info.run_id
    assert run1.info.run_id != run2.info.run_id

    np.testing.assert_array_equal(predict_uri(f"models:/{name}/1", X), want_a)
    np.testing.assert_array_equal(predict_uri(f"models:/{name}/2", X), want_b)
    np.testing.assert_array_equal(predict_uri(f"models:/{name}/latest", X), want_b)
    np.testing.assert_array_equal(predict_uri(f"models:/{name}@champion", X), want_a)

    # deprecated stages
    t1 = client.transition_model_version_stage(name, "1", "Staging")
    assert t1.current_stage == "Staging"
    np.testing.assert_array_equal(predict_uri(f"models:/{name}/Staging", X), want_a)
    latest = client.get_latest_versions(name, stages=["Staging"])
    assert [str(v.version) for v in latest] == ["1"]

    t2 = client.transition_model_version_stage(name, "2", "Staging", archive_existing_versions=True)
    assert t2.current_stage == "Staging"
    assert client.get_model_version(name, "1").current_stage == "Archived"
    assert client.get_model_version(name, "2").current_stage == "Staging"
    np.testing.assert_array_equal(predict_uri(f"models:/{name}/Staging", X), want_b)

    client.transition_model_version_stage(name, "2", "Production")
    np.testing.assert_array_equal(predict_uri(f"models:/{name}/Production", X), want_b)
    by_stage = {v.current_stage: str(v.version) for v in client.get_latest_versions(name)}
    assert by_stage == {"Archived": "1", "Production": "2"}
    assert [str(v.version) for v in client.get_latest_versions(name, stages=["Staging"])] == []


def test_registered_model_crud(client):
    name = uniq("rm")
    rm = client.create_registered_model(name, tags={"team": "ops"}, description="first")
    assert rm.name == name
    assert rm.description == "first"
    assert rm.tags == {"team": "ops"}
    assert rm.creation_timestamp > 0

    with pytest.raises(MlflowException) as exc:
        client.create_registered_model(name)
    assert exc.value.error_code == "RESOURCE_ALREADY_EXISTS"
    assert exc.value.get_http_status_code() == 400

    got = client.get_registered_model(name)
    assert (got.name, got.description, got.tags) == (name, "first", {"team": "ops"})

    updated = client.update_registered_model(name, description="second")
    assert updated.description == "second"
    assert client.get_registered_model(name).description == "second"

    client.set_registered_model_tag(name, "stage", "beta")
    client.set_registered_model_tag(name, "team", "ml")
    client.delete_registered_model_tag(name, "stage")
    assert client.get_registered_model(name).tags == {"team": "ml"}

    new_name = uniq("rm-renamed")
    client.rename_registered_model(name, new_name)  # the client returns None
    with pytest.raises(MlflowException) as exc:
        client.get_registered_model(name)
    assert exc.value.error_code == "RESOURCE_DOES_NOT_EXIST"
    got = client.get_registered_model(new_name)
    assert (got.description, got.tags) == ("second", {"team": "ml"})

    client.delete_registered_model(new_name)
    with pytest.raises(MlflowException) as exc:
        client.get_registered_model(new_name)
    assert exc.value.error_code == "RESOURCE_DOES_NOT_EXIST"
    assert exc.value.get_http_status_code() == 404
    assert list(client.search_registered_models(filter_string=f"name = '{new_name}'")) == []


def test_delete_registered_model_deletes_its_versions(client, experiment_id):
    name = uniq("del")
    client.create_registered_model(name)
    new_run_version(client, experiment_id, name)
    new_run_version(client, experiment_id, name)
    client.set_registered_model_alias(name, "champion", "2")
    client.delete_registered_model(name)
    assert list(client.search_model_versions(f"name='{name}'")) == []
    with pytest.raises(MlflowException) as exc:
        client.get_model_version(name, "1")
    assert exc.value.error_code == "RESOURCE_DOES_NOT_EXIST"
    # the name can be used again and numbering starts over
    client.create_registered_model(name)
    _, mv = new_run_version(client, experiment_id, name)
    assert str(mv.version) == "1"
    assert client.get_registered_model(name).aliases == {}


def test_registered_model_errors_raw(base_url):
    name = uniq("raw")
    ok(requests.post(f"{base_url}{API}/registered-models/create", json={"name": name}, timeout=T))
    err(requests.post(f"{base_url}{API}/registered-models/create", json={"name": name}, timeout=T),
        400, "RESOURCE_ALREADY_EXISTS")
    missing = uniq("missing")
    err(requests.get(f"{base_url}{API}/registered-models/get", params={"name": missing}, timeout=T),
        404, "RESOURCE_DOES_NOT_EXIST")
    err(requests.get(f"{base_url}{API}/model-versions/get", params={"name": name, "version": "99"}, timeout=T),
        404, "RESOURCE_DOES_NOT_EXIST")
    err(requests.get(f"{base_url}{API}/model-versions/get", params={"name": missing, "version": "1"}, timeout=T),
        404, "RESOURCE_DOES_NOT_EXIST")


def test_rename_keeps_versions(client, experiment_id):
    name = uniq("ren")
    client.create_registered_model(name)
    new_run_version(client, experiment_id, name)
    new_name = uniq("ren-new")
    client.rename_registered_model(name, new_name)
    mv = client.get_model_version(new_name, "1")
    assert mv.name == new_name
    assert [str(v.version) for v in client.search_model_versions(f"name='{new_name}'")] == ["1"]
    assert list(client.search_model_versions(f"name='{name}'")) == []


def test_search_registered_models(client):
    prefix = uniq("srch")
    names = [f"{prefix}-{c}" for c in "abcde"]
    for n in reversed(names):
        client.create_registered_model(n)
    client.create_registered_model(uniq("other"))

    found = client.search_registered_models(filter_string=f"name LIKE '{prefix}%'")
    assert sorted(m.name for m in found) == names

    exact = client.search_registered_models(filter_string=f"name = '{names[2]}'")
    assert [m.name for m in exact] == [names[2]]
    assert list(client.search_registered_models(filter_string=f"name = '{prefix}-zzz'")) == []

    desc = client.search_registered_models(filter_string=f"name LIKE '{prefix}%'", order_by=["name DESC"])
    assert [m.name for m in desc] == list(reversed(names))
    asc = client.search_registered_models(filter_string=f"name LIKE '{prefix}%'", order_by=["name ASC"])
    assert [m.name for m in asc] == names

    pages, token = [], None
    for _ in range(10):
        page = client.search_registered_models(filter_string=f"name LIKE '{prefix}%'", max_results=2,
                                               order_by=["name ASC"], page_token=token)
        pages.append([m.name for m in page])
        token = page.token
        if not token:
            break
    assert pages == [names[0:2], names[2:4], names[4:5]]


def test_search_registered_models_by_tag(client):
    prefix = uniq("tagsrch")
    tagged = f"{prefix}-tagged"
    client.create_registered_model(tagged, tags={"team": "vision"})
    client.create_registered_model(f"{prefix}-plain", tags={"team": "nlp"})
    found = client.search_registered_models(
        filter_string=f"name LIKE '{prefix}%' AND tags.team = 'vision'")
    assert [m.name for m in found] == [tagged]


def test_model_versions_crud_and_search(client, experiment_id):
    name = uniq("mv")
    client.create_registered_model(name)
    run_a, v1 = new_run_version(client, experiment_id, name)
    assert str(v1.version) == "1" and v1.status == "READY" and v1.run_id == run_a
    run_b, v2 = new_run_version(client, experiment_id, name)
    v3 = client.create_model_version(name, f"runs:/{run_b}/model", run_id=run_b, description="third",
                                     tags={"k": "v"})
    assert (str(v2.version), str(v3.version)) == ("2", "3")
    assert v3.description == "third"
    assert v3.tags == {"k": "v"}

    mv = client.get_model_version(name, "2")
    assert (mv.name, str(mv.version), mv.run_id, mv.source) == (name, "2", run_b, f"runs:/{run_b}/model")

    upd = client.update_model_version(name, "2", description="now described")
    assert upd.description == "now described"
    assert client.get_model_version(name, "2").description == "now described"

    client.set_model_version_tag(name, "2", "quality", "good")
    client.set_model_version_tag(name, "2", "owner", "ops")
    client.delete_model_version_tag(name, "2", "owner")
    assert client.get_model_version(name, "2").tags == {"quality": "good"}

    # search by name, by run_id, both, and ordering
    by_name = client.search_model_versions(f"name='{name}'")
    assert sorted(str(v.version) for v in by_name) == ["1", "2", "3"]
    assert all(v.name == name for v in by_name)
    by_run = client.search_model_versions(f"run_id='{run_b}'")
    assert sorted((v.name, str(v.version)) for v in by_run) == [(name, "2"), (name, "3")]
    both = client.search_model_versions(f"name='{name}' AND run_id='{run_a}'")
    assert [str(v.version) for v in both] == ["1"]
    ordered = client.search_model_versions(f"name='{name}'", order_by=["version_number DESC"])
    assert [str(v.version) for v in ordered] == ["3", "2", "1"]
    assert list(client.search_model_versions(f"name='{uniq('none')}'")) == []

    # get_latest_versions: newest version per stage
    assert [str(v.version) for v in client.get_latest_versions(name)] == ["3"]
    client.transition_model_version_stage(name, "1", "Production")
    by_stage = {v.current_stage: str(v.version) for v in client.get_latest_versions(name)}
    assert by_stage == {"Production": "1", "None": "3"}
    assert [str(v.version) for v in client.get_latest_versions(name, stages=["Production"])] == ["1"]

    # delete a version that carries an alias: the alias goes with it
    client.set_registered_model_alias(name, "doomed", "2")
    assert client.get_registered_model(name).aliases == {"doomed": "2"}
    client.delete_model_version(name, "2")
    with pytest.raises(MlflowException) as exc:
        client.get_model_version(name, "2")
    assert exc.value.error_code == "RESOURCE_DOES_NOT_EXIST"
    assert client.get_registered_model(name).aliases == {}
    with pytest.raises(MlflowException) as exc:
        client.get_model_version_by_alias(name, "doomed")
    assert exc.value.error_code == "INVALID_PARAMETER_VALUE"
    assert sorted(str(v.version) for v in client.search_model_versions(f"name='{name}'")) == ["1", "3"]

    # version numbers are never reused
    _, v4 = new_run_version(client, experiment_id, name)
    assert str(v4.version) == "4"


def test_search_model_versions_tags_and_pagination(client, experiment_id):
    name = uniq("mvsearch")
    client.create_registered_model(name)
    for _ in range(5):
        new_run_version(client, experiment_id, name)
    client.set_model_version_tag(name, "2", "validated", "yes")
    client.set_model_version_tag(name, "4", "validated", "yes")
    client.set_model_version_tag(name, "5", "validated", "no")
    tagged = client.search_model_versions(f"name='{name}' AND tags.validated = 'yes'")
    assert sorted(str(v.version) for v in tagged) == ["2", "4"]

    pages, token = [], None
    for _ in range(10):
        page = client.search_model_versions(f"name='{name}'", max_results=2,
                                            order_by=["version_number ASC"], page_token=token)
        pages.append([str(v.version) for v in page])
        token = page.token
        if not token:
            break
    assert pages == [["1", "2"], ["3", "4"], ["5"]]


def test_registered_model_latest_versions_ilike_and_unicode_name(client, experiment_id):
    prefix = uniq("Lounge")  # ASCII: SQLite's case folding is ASCII-only (MLflow's too)
    name = f"{prefix} Model ä Ωmega"
    client.create_registered_model(name, description="ünïcode")
    new_run_version(client, experiment_id, name)
    new_run_version(client, experiment_id, name)
    client.transition_model_version_stage(name, "1", "Production")
    rm = client.get_registered_model(name)
    assert rm.name == name and rm.description == "ünïcode"
    assert {v.current_stage: str(v.version) for v in rm.latest_versions} == {"Production": "1", "None": "2"}
    found = client.search_registered_models(filter_string=f"name = '{name}'")
    assert [m.name for m in found] == [name]
    found = client.search_registered_models(filter_string=f"name ILIKE '{prefix.upper()}%'")
    assert [m.name for m in found] == [name]
    found = client.search_registered_models(filter_string=f"name LIKE '{prefix.upper()}%'")
    assert [m.name for m in found] == []
    assert str(client.get_model_version(name, "2").version) == "2"


def test_aliases(client, experiment_id, base_url):
    name = uniq("al")
    client.create_registered_model(name)
    new_run_version(client, experiment_id, name)
    new_run_version(client, experiment_id, name)

    client.set_registered_model_alias(name, "champion", "1")
    client.set_registered_model_alias(name, "challenger", "2")
    assert client.get_registered_model(name).aliases == {"champion": "1", "challenger": "2"}
    assert client.get_model_version(name, "1").aliases == ["champion"]
    mv = client.get_model_version_by_alias(name, "challenger")
    assert (mv.name, str(mv.version), mv.aliases) == (name, "2", ["challenger"])

    # moving an alias
    client.set_registered_model_alias(name, "champion", "2")
    assert client.get_registered_model(name).aliases == {"champion": "2", "challenger": "2"}
    assert sorted(client.get_model_version(name, "2").aliases) == ["challenger", "champion"]
    assert client.get_model_version(name, "1").aliases == []

    # missing alias: 400 INVALID_PARAMETER_VALUE (not 404)
    with pytest.raises(MlflowException) as exc:
        client.get_model_version_by_alias(name, "nope")
    assert exc.value.error_code == "INVALID_PARAMETER_VALUE"
    err(requests.get(f"{base_url}{API}/registered-models/alias", params={"name": name, "alias": "nope"}, timeout=T),
        400, "INVALID_PARAMETER_VALUE")

    # reserved and malformed alias names are refused with a 4xx, nothing is written
    for bad in ("latest", "LATEST", "v1", "V12", "bad alias!", "a/b", ""):
        r = requests.post(f"{base_url}{API}/registered-models/alias",
                          json={"name": name, "alias": bad, "version": "1"}, timeout=T)
        err(r, None, "INVALID_PARAMETER_VALUE")
    for bad in ("latest", "v1", "bad alias!"):
        with pytest.raises(MlflowException) as exc:
            client.set_registered_model_alias(name, bad, "1")
        assert exc.value.error_code == "INVALID_PARAMETER_VALUE", bad
    assert client.get_registered_model(name).aliases == {"champion": "2", "challenger": "2"}

    # alias to a missing version / on a missing model
    with pytest.raises(MlflowException) as exc:
        client.set_registered_model_alias(name, "ghost", "99")
    assert exc.value.error_code == "RESOURCE_DOES_NOT_EXIST"
    r = requests.post(f"{base_url}{API}/registered-models/alias",
                      json={"name": uniq("nomodel"), "alias": "x", "version": "1"}, timeout=T)
    err(r, 404, "RESOURCE_DOES_NOT_EXIST")

    # delete
    client.delete_registered_model_alias(name, "challenger")
    assert client.get_registered_model(name).aliases == {"champion": "2"}
    with pytest.raises(MlflowException) as exc:
        client.get_model_version_by_alias(name, "challenger")
    assert exc.value.error_code == "INVALID_PARAMETER_VALUE"
    assert client.get_model_version(name, "2").aliases == ["champion"]


# --------------------------------------------------------------------------- Hangar native registry API


@pytest.mark.hangar_only
def test_require_approval_blocks_alias_until_approved(client, experiment_id, base_url):
    name = uniq("appr")
    client.create_registered_model(name)
    _, v1 = new_run_version(client, experiment_id, name)
    _, v2 = new_run_version(client, experiment_id, name)

    # without a policy, versions are pending and plain MLflow alias flows work
    assert raw_version(base_url, name, 1)["approval"]["state"] == "pending"
    assert raw_version(base_url, name, 1)["status"] == "READY"
    client.set_registered_model_alias(name, "free", "1")

    body = ok(hangar_post(base_url, "registered-models/policy", {"name": name, "require_approval": True}))
    assert body["registered_model"]["name"] == name
    assert body["registered_model"]["require_approval"] is True
    assert ok(requests.get(f"{base_url}{API}/registered-models/get", params={"name": name},
                           timeout=T))["registered_model"]["require_approval"] is True

    with pytest.raises(MlflowException) as exc:
        client.set_registered_model_alias(name, "prod", "1")
    msg = exc.value.message
    assert 400 <= exc.value.get_http_status_code() < 500, msg
    assert "approv" in msg.lower() and ("require_approval" in msg or "polic" in msg.lower()), msg
    assert "prod" not in client.get_registered_model(name).aliases

    # approve as carol (HTTP Basic user)
    before = int(time.time() * 1000) - 5000
    body = ok(hangar_post(base_url, "model-versions/approve",
                          {"name": name, "version": "1", "comment": "metrics checked"}, auth=("carol", "x")))
    appr = body["model_version"]["approval"]
    assert body["model_version"]["name"] == name and body["model_version"]["version"] == "1"
    assert appr["state"] == "approved"
    assert appr["user"] == "carol"
    assert appr["comment"] == "metrics checked"
    assert isinstance(appr["timestamp"], int) and appr["timestamp"] >= before
    assert raw_version(base_url, name, 1)["approval"]["state"] == "approved"
    assert raw_version(base_url, name, 1)["status"] == "READY"

    client.set_registered_model_alias(name, "prod", "1")
    assert str(client.get_model_version_by_alias(name, "prod").version) == "1"

    # reject version 2 as dave: the alias cannot move there
    body = ok(hangar_post(base_url, "model-versions/reject",
                          {"name": name, "version": "2", "comment": "drift"}, auth=("dave", "x")))
    assert body["model_version"]["approval"]["state"] == "rejected"
    assert body["model_version"]["approval"]["user"] == "dave"
    assert body["model_version"]["approval"]["comment"] == "drift"
    with pytest.raises(MlflowException) as exc:
        client.set_registered_model_alias(name, "prod", "2")
    assert "approv" in exc.value.message.lower(), exc.value.message
    assert str(client.get_model_version_by_alias(name, "prod").version) == "1"

    # audit trail: append-only, one record per decision
    ok(hangar_post(base_url, "model-versions/approve", {"name": name, "version": "2", "comment": "fixed"},
                   auth=("carol", "x")))
    client.set_registered_model_alias(name, "prod", "2")
    trail = ok(hangar_get(base_url, "model-versions/approvals", {"name": name, "version": "2"}))["approvals"]
    decisions = [(a["state"], a["user"], a["comment"]) for a in trail if a["state"] != "pending"]
    assert decisions == [("rejected", "dave", "drift"), ("approved", "carol", "fixed")]
    assert all(isinstance(a["timestamp"], int) for a in trail)
    trail1 = ok(hangar_get(base_url, "model-versions/approvals", {"name": name, "version": "1"}))["approvals"]
    assert [(a["state"], a["user"]) for a in trail1 if a["state"] != "pending"] == [("approved", "carol")]

    # turning the policy off again lets aliases point at any version
    _, v3 = new_run_version(client, experiment_id, name)
    body = ok(hangar_post(base_url, "registered-models/policy", {"name": name, "require_approval": False}))
    assert body["registered_model"]["require_approval"] is False
    client.set_registered_model_alias(name, "canary", str(v3.version))


@pytest.mark.hangar_only
def test_native_registry_bad_input(client, experiment_id, base_url):
    name = uniq("badin")
    client.create_registered_model(name)
    new_run_version(client, experiment_id, name)
    missing = uniq("missing")

    for path in ("model-versions/approve", "model-versions/reject"):
        err(hangar_post(base_url, path, {"name": name, "version": "99"}), 404, "RESOURCE_DOES_NOT_EXIST")
        err(hangar_post(base_url, path, {"name": missing, "version": "1"}), 404, "RESOURCE_DOES_NOT_EXIST")
        err(hangar_post(base_url, path, {"name": name}), 400)
    err(hangar_get(base_url, "model-versions/approvals", {"name": name, "version": "99"}), 404)
    err(hangar_get(base_url, "model-versions/lineage", {"name": missing, "version": "1"}), 404)
    err(hangar_post(base_url, "registered-models/policy", {"name": missing, "require_approval": True}), 404)

    # malformed gate rules: 400, and nothing half-written
    ok(hangar_post(base_url, "registered-models/policy", {"name": name, "gates": ["accuracy >= 0.5"]}))
    for bad in (["accuracy >>= 0.85"], ["accuracy >= high"], [">= 0.85"], ["accuracy"],
                ["accuracy >= 0.9", "auc ~ 1"]):
        err(hangar_post(base_url, "registered-models/policy", {"name": name, "gates": bad}), 400,
            "INVALID_PARAMETER_VALUE")
    rm = ok(requests.get(f"{base_url}{API}/registered-models/get", params={"name": name}, timeout=T))
    assert len(rm["registered_model"]["gates"]) == 1
    assert "accuracy" in rm["registered_model"]["gates"][0]

    # rollback of an alias that does not exist / never moved
    err(hangar_post(base_url, "registered-models/rollback", {"name": name, "alias": "nope"}), None)
    client.set_registered_model_alias(name, "solo", "1")
    err(hangar_post(base_url, "registered-models/rollback", {"name": name, "alias": "solo"}), None)
    assert client.get_registered_model(name).aliases == {"solo": "1"}
    err(hangar_post(base_url, "registered-models/rollback", {"name": missing, "alias": "solo"}), 404)


@pytest.mark.hangar_only
def test_gates_auto_approve(client, experiment_id, base_url):
    name = uniq("gates")
    client.create_registered_model(name)
    body = ok(hangar_post(base_url, "registered-models/policy",
                          {"name": name, "require_approval": True, "gates": ["accuracy >= 0.85"]}))
    rm = body["registered_model"]
    assert rm["require_approval"] is True
    assert len(rm["gates"]) == 1 and rm["gates"][0].replace(" ", "") == "accuracy>=0.85"

    # passing metrics -> approved by "gates"
    _, good = new_run_version(client, experiment_id, name, metrics={"accuracy": 0.91})
    mv = raw_version(base_url, name, good.version)
    assert mv["approval"]["state"] == "approved", mv
    assert mv["approval"]["user"] == "gates", mv
    assert mv["gate_evaluation"]["passed"] is True, mv
    assert mv["status"] == "READY"
    client.set_registered_model_alias(name, "prod", str(good.version))

    # failing metrics -> pending with a reason; the alias cannot move there
    _, bad = new_run_version(client, experiment_id, name, metrics={"accuracy": 0.5})
    mv = raw_version(base_url, name, bad.version)
    assert mv["approval"]["state"] == "pending", mv
    ev = mv["gate_evaluation"]
    assert ev["passed"] is False
    assert "accuracy" in ev["reason"], ev
    assert [r["passed"] for r in ev["results"]] == [False], ev
    with pytest.raises(MlflowException) as exc:
        client.set_registered_model_alias(name, "prod", str(bad.version))
    assert "approv" in exc.value.message.lower(), exc.value.message
    assert str(client.get_model_version_by_alias(name, "prod").version) == str(good.version)

    # metric missing -> pending with that reason; approved once the metric is logged
    late_run, late = new_run_version(client, experiment_id, name, metrics={"loss": 0.1})
    mv = raw_version(base_url, name, late.version)
    assert mv["approval"]["state"] == "pending", mv
    assert mv["gate_evaluation"]["passed"] is False
    assert "accuracy" in mv["gate_evaluation"]["reason"] and "missing" in mv["gate_evaluation"]["reason"], mv
    client.log_metric(late_run, "accuracy", 0.95)
    mv = raw_version(base_url, name, late.version)
    assert mv["approval"]["state"] == "approved", mv
    assert mv["approval"]["user"] == "gates", mv
    assert mv["gate_evaluation"]["passed"] is True, mv
    client.set_registered_model_alias(name, "prod", str(late.version))

    # sklearn log_model(registered_model_name=...) in a run that logged a passing metric
    X, model_a, _ = two_models()
    with mlflow.start_run():
        mlflow.log_metric("accuracy", 0.97)
        info = mlflow.sklearn.log_model(model_a, name="model", registered_model_name=name)
    mv = raw_version(base_url, name, info.registered_model_version)
    assert mv["approval"]["state"] == "approved", mv
    assert mv["approval"]["user"] == "gates", mv


@pytest.mark.hangar_only
def test_rollback_restores_previous_version(client, experiment_id, base_url):
    X, model_a, model_b = two_models()
    name = uniq("rb")
    with mlflow.start_run():
        mlflow.sklearn.log_model(model_a, name="model", registered_model_name=name)
    with mlflow.start_run():
        mlflow.sklearn.log_model(model_b, name="model", registered_model_name=name)
    cursor = event_cursor(base_url)

    client.set_registered_model_alias(name, "champion", "1")
    client.set_registered_model_alias(name, "champion", "2")
    np.testing.assert_array_equal(predict_uri(f"models:/{name}@champion", X), model_b.predict(X))

    moves = ok(hangar_get(base_url, "registered-models/alias-history",
                          {"name": name, "alias": "champion"}))["moves"]
    assert [(m["action"], m["version"], m.get("previous_version")) for m in moves] == [
        ("set", "1", None), ("set", "2", "1")]
    assert all(m["alias"] == "champion" and isinstance(m["timestamp"], int) for m in moves)

    body = ok(hangar_post(base_url, "registered-models/rollback", {"name": name, "alias": "champion"},
                          auth=("frank", "x")))
    assert body["model_version"]["name"] == name
    assert body["model_version"]["version"] == "1"
    assert str(client.get_model_version_by_alias(name, "champion").version) == "1"
    assert client.get_registered_model(name).aliases == {"champion": "1"}
    np.testing.assert_array_equal(predict_uri(f"models:/{name}@champion", X), model_a.predict(X))

    moves = ok(hangar_get(base_url, "registered-models/alias-history",
                          {"name": name, "alias": "champion"}))["moves"]
    last = moves[-1]
    assert (last["action"], last["version"], last["previous_version"], last["user"]) == ("rollback", "1", "2", "frank")

    client.delete_registered_model_alias(name, "champion")
    moves = ok(hangar_get(base_url, "registered-models/alias-history",
                          {"name": name, "alias": "champion"}))["moves"]
    assert [m["action"] for m in moves] == ["set", "set", "rollback", "deleted"]
    assert moves[-1]["previous_version"] == "1"

    types = [e["type"] for e in events_after(base_url, cursor, name)]
    assert is_subsequence(["model_version_alias.created", "model_version_alias.created",
                           "model_version_alias.rolled_back", "model_version_alias.deleted"], types), types


@pytest.mark.hangar_only
def test_event_feed_order_and_long_poll(client, experiment_id, base_url):
    cursor = event_cursor(base_url)
    name = uniq("ev")
    client.create_registered_model(name)
    new_run_version(client, experiment_id, name)
    client.set_registered_model_alias(name, "champion", "1")
    ok(hangar_post(base_url, "model-versions/approve", {"name": name, "version": "1", "comment": "ok"},
                   auth=("carol", "x")))
    client.delete_registered_model_alias(name, "champion")

    events = events_after(base_url, cursor, name)
    types = [e["type"] for e in events]
    wanted = ["registered_model.created", "model_version.created", "model_version_alias.created",
              "model_version.approved", "model_version_alias.deleted"]
    assert is_subsequence(wanted, types), types
    for e in events:
        assert e["model"] == name
        assert isinstance(e["id"], int) and isinstance(e["timestamp"], int)
        assert "payload" in e
    # exactly one event per change
    assert {t: types.count(t) for t in wanted} == {t: 1 for t in wanted}, types
    first = {t: next(e for e in events if e["type"] == t) for t in wanted}
    assert first["model_version.created"]["version"] == "1"
    assert first["model_version_alias.created"]["alias"] == "champion"
    assert first["model_version_alias.created"]["version"] == "1"
    assert first["model_version.approved"]["user"] == "carol"
    assert first["model_version_alias.deleted"]["alias"] == "champion"

    # paging with a small limit yields the same events
    paged = events_after(base_url, cursor, name, limit=2)
    assert [e["id"] for e in paged] == [e["id"] for e in events]

    # nothing new: the long-poll times out with an empty list and the same cursor
    end = event_cursor(base_url)
    t0 = time.monotonic()
    body = ok(hangar_get(base_url, "events", {"after": end, "wait": 1}))
    assert not body.get("events")
    assert body["next_cursor"] == end
    assert 0.5 <= time.monotonic() - t0 < 8

    # a long-poll started before a change returns it promptly
    result = {}

    def poll():
        t = time.monotonic()
        result["resp"] = hangar_get(base_url, "events", {"after": end, "wait": 10}, timeout=60)
        result["done"] = time.monotonic()
        result["started"] = t

    th = threading.Thread(target=poll)
    th.start()
    time.sleep(1.0)
    assert th.is_alive(), "the long-poll returned before any change"
    changed = time.monotonic()
    client.set_registered_model_alias(name, "canary", "1")
    th.join(30)
    assert not th.is_alive()
    body = ok(result["resp"])
    assert result["done"] - changed < 3.0, result["done"] - changed
    got = [(e["type"], e["model"], e.get("alias")) for e in body["events"]]
    assert ("model_version_alias.created", name, "canary") in got, got
    assert body["next_cursor"] == body["events"][-1]["id"] > end

    # deleting the version (which carries 'canary') and then the model are events too
    end = body["next_cursor"]
    client.delete_model_version(name, "1")
    client.delete_registered_model(name)
    events = events_after(base_url, end, name)
    types = [e["type"] for e in events]
    assert is_subsequence(["model_version.deleted", "registered_model.deleted"], types), types
    assert types.count("model_version.deleted") == 1 and types.count("registered_model.deleted") == 1, types
    removed = [e for e in events if e["type"] == "model_version_alias.deleted" and e.get("alias") == "canary"]
    assert len(removed) == 1, ("deleting a version removes its alias: expected one alias event", types)


@pytest.mark.hangar_only
def test_lineage(client, experiment_id, base_url):
    X, model_a, _ = two_models()
    name = uniq("lin")
    df = X.copy()
    df["label"] = 0
    ds = mlflow.data.from_pandas(df, name="lounge-train")
    with mlflow.start_run() as run:
        mlflow.log_params({"alpha": "0.5", "depth": "3"})
        mlflow.log_input(ds, context="training")
        info = mlflow.sklearn.log_model(model_a, name="model", registered_model_name=name)
    run_id = run.info.run_id

    lin = ok(hangar_get(base_url, "model-versions/lineage", {"name": name, "version": "1"}))
    assert lin["model_version"]["name"] == name and lin["model_version"]["version"] == "1"
    assert lin["source_run"]["run_id"] == run_id
    assert lin["source_run"]["experiment_id"] == experiment_id
    params = {p["key"]: p["value"] for p in lin["params"]}
    assert params == {"alpha": "0.5", "depth": "3"}
    names = {(d.get("dataset") or d).get("name"): (d.get("dataset") or d).get("digest") for d in lin["datasets"]}
    assert names == {"lounge-train": ds.digest}, lin["datasets"]
    assert lin["artifact_uri"] == client.get_model_version_download_uri(name, "1")
    assert lin["artifact_uri"] == client.get_logged_model(info.model_id).artifact_location

    # a version created with HTTP Basic credentials records its creator
    r = requests.post(f"{base_url}{API}/model-versions/create",
                      json={"name": name, "source": f"runs:/{run_id}/model", "run_id": run_id},
                      auth=("erin", "x"), timeout=T)
    version = ok(r)["model_version"]["version"]
    lin = ok(hangar_get(base_url, "model-versions/lineage", {"name": name, "version": version}))
    assert lin["created_by"] == "erin"
    assert lin["source_run"]["run_id"] == run_id
    assert {p["key"] for p in lin["params"]} == {"alpha", "depth"}


@pytest.mark.hangar_only
def test_concurrent_alias_moves_keep_a_consistent_history(client, experiment_id, base_url):
    name = uniq("conc")
    client.create_registered_model(name)
    n = 8
    for _ in range(n):
        new_run_version(client, experiment_id, name)
    cursor = event_cursor(base_url)
    barrier = threading.Barrier(n)
    failures = []

    def move(version):
        barrier.wait(30)
        r = requests.post(f"{base_url}{API}/registered-models/alias",
                          json={"name": name, "alias": "prod", "version": str(version)}, timeout=120)
        if r.status_code != 200:
            failures.append((version, r.status_code, r.text[:300]))

    threads = [threading.Thread(target=move, args=(v,)) for v in range(1, n + 1)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(150)
    assert not failures, failures

    moves = ok(hangar_get(base_url, "registered-models/alias-history", {"name": name, "alias": "prod"}))["moves"]
    assert [m["action"] for m in moves] == ["set"] * n, moves
    assert sorted(int(m["version"]) for m in moves) == list(range(1, n + 1)), moves
    assert moves[0].get("previous_version") is None, moves
    for before, after in zip(moves, moves[1:]):
        assert after["previous_version"] == before["version"], moves
    current = str(client.get_model_version_by_alias(name, "prod").version)
    assert moves[-1]["version"] == current
    assert client.get_registered_model(name).aliases == {"prod": current}

    alias_events = [e for e in events_after(base_url, cursor, name) if e.get("alias") == "prod"]
    assert [e["type"] for e in alias_events] == ["model_version_alias.created"] * n, alias_events
    assert [e["version"] for e in alias_events] == [m["version"] for m in moves]
