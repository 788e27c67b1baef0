"""Experiments through the real MLflow client: create, get, get-by-name, search with
filter/order/pagination, rename, delete/restore, tags, the default experiment."""

import mlflow
import pytest
from mlflow.entities import ViewType
from mlflow.exceptions import MlflowException

from harness import uniq


def test_default_experiment_exists(client):
    exp = client.get_experiment("0")
    assert exp.experiment_id == "0"
    assert exp.name == "Default"
    assert exp.lifecycle_stage == "active"
    assert client.get_experiment_by_name("Default").experiment_id == "0"


def test_create_and_get(client):
    name = uniq("exp")
    exp_id = client.create_experiment(name, tags={"team": "a", "purpose": "conformance"})
    assert isinstance(exp_id, str) and exp_id
    exp = client.get_experiment(exp_id)
    assert exp.experiment_id == exp_id
    assert exp.name == name
    assert exp.lifecycle_stage == "active"
    assert exp.artifact_location == f"mlflow-artifacts:/{exp_id}"
    assert exp.tags["team"] == "a"
    assert exp.tags["purpose"] == "conformance"
    assert exp.creation_time and exp.creation_time > 0
    assert exp.last_update_time and exp.last_update_time >= exp.creation_time

    by_name = client.get_experiment_by_name(name)
    assert by_name is not None
    assert by_name.experiment_id == exp_id
    assert by_name.name == name


def test_get_by_name_missing_is_none(client):
    assert client.get_experiment_by_name(uniq("no-such-exp")) is None


def test_get_missing_id_raises(client):
    with pytest.raises(MlflowException) as exc:
        client.get_experiment("987654321")
    assert exc.value.error_code == "RESOURCE_DOES_NOT_EXIST"


def test_create_duplicate_name_raises(client):
    name = uniq("dup")
    client.create_experiment(name)
    with pytest.raises(MlflowException) as exc:
        client.create_experiment(name)
    assert exc.value.error_code == "RESOURCE_ALREADY_EXISTS"


def test_fluent_set_experiment_creates_then_reuses(client):
    name = uniq("fluent")
    exp1 = mlflow.set_experiment(name)
    exp2 = mlflow.set_experiment(name)
    assert exp1.experiment_id == exp2.experiment_id
    assert exp1.name == name
    assert mlflow.get_experiment_by_name(name).experiment_id == exp1.experiment_id


def test_rename(client):
    old, new = uniq("old"), uniq("new")
    exp_id = client.create_experiment(old)
    client.rename_experiment(exp_id, new)
    assert client.get_experiment(exp_id).name == new
    assert client.get_experiment_by_name(old) is None
    assert client.get_experiment_by_name(new).experiment_id == exp_id


def test_delete_and_restore(client):
    name = uniq("del")
    exp_id = client.create_experiment(name)
    flt = f"name = '{name}'"

    client.delete_experiment(exp_id)
    assert client.get_experiment(exp_id).lifecycle_stage == "deleted"
    assert [e.experiment_id for e in client.search_experiments(filter_string=flt)] == []
    deleted = client.search_experiments(view_type=ViewType.DELETED_ONLY, filter_string=flt)
    assert [e.experiment_id for e in deleted] == [exp_id]
    everything = client.search_experiments(view_type=ViewType.ALL, filter_string=flt)
    assert [e.experiment_id for e in everything] == [exp_id]

    client.restore_experiment(exp_id)
    assert client.get_experiment(exp_id).lifecycle_stage == "active"
    assert [e.experiment_id for e in client.search_experiments(filter_string=flt)] == [exp_id]


def test_experiment_tags(client):
    exp_id = client.create_experiment(uniq("tags"))
    client.set_experiment_tag(exp_id, "k1", "v1")
    client.set_experiment_tag(exp_id, "k2", "v2")
    client.set_experiment_tag(exp_id, "k1", "v1-updated")
    tags = client.get_experiment(exp_id).tags
    assert tags["k1"] == "v1-updated"
    assert tags["k2"] == "v2"
    client.delete_experiment_tag(exp_id, "k2")
    tags = client.get_experiment(exp_id).tags
    assert "k2" not in tags
    assert tags["k1"] == "v1-updated"


def test_search_filter_order_and_pagination(client):
    prefix = uniq("srch")
    names = [f"{prefix}-{i:02d}" for i in range(7)]
    ids = {}
    for i, n in enumerate(names):
        ids[n] = client.create_experiment(n, tags={"parity": "even" if i % 2 == 0 else "odd"})

    like = f"name LIKE '{prefix}-%'"
    desc = client.search_experiments(filter_string=like, order_by=["name DESC"])
    assert [e.name for e in desc] == sorted(names, reverse=True)
    asc = client.search_experiments(filter_string=like, order_by=["name ASC"])
    assert [e.name for e in asc] == sorted(names)

    even = client.search_experiments(filter_string=f"{like} AND tags.parity = 'even'",
                                     order_by=["name ASC"])
    assert [e.name for e in even] == [n for i, n in enumerate(names) if i % 2 == 0]

    exact = client.search_experiments(filter_string=f"name = '{names[3]}'")
    assert [e.experiment_id for e in exact] == [ids[names[3]]]

    # pagination: 3 + 3 + 1, every experiment exactly once, same order as unpaginated
    pages, token = [], None
    for _ in range(10):
        page = client.search_experiments(filter_string=like, order_by=["name ASC"],
                                         max_results=3, page_token=token)
        pages.append([e.name for e in page])
        token = page.token
        if not token:
            break
    assert [len(p) for p in pages] == [3, 3, 1]
    assert [n for p in pages for n in p] == sorted(names)


def test_search_experiments_pandas_free_default_lists_active(client):
    name = uniq("listed")
    exp_id = client.create_experiment(name)
    listed = {e.experiment_id for e in mlflow.search_experiments(filter_string=f"name = '{name}'")}
    assert listed == {exp_id}
