"""search_runs: MLflow's filter grammar over metrics / params / tags / attributes, order_by,
max_results + page_token, view types, the pandas `mlflow.search_runs`."""

import mlflow
import pytest
from mlflow.entities import Metric, Param, RunTag, ViewType
from mlflow.exceptions import MlflowException

from harness import uniq

N = 20
T0 = 1_700_000_000_000
STATUS = {0: "FINISHED", 1: "FAILED", 2: "RUNNING"}


def spec(i):
    """Seeded, fully deterministic description of run i."""
    metrics = {"m": i / 20, "loss": (N - 1 - i) * 1.5}
    if i % 5 == 0:
        metrics["extra"] = float(i)
    params = {"p": str(i % 3), "lr": f"0.{i % 5}"}
    if i % 4 == 0:
        params["opt"] = "adam"
    tags = {"team": "a" if i % 2 == 0 else "b", "group": f"g{i % 4}"}
    return {"name": f"run-{i:02d}", "metrics": metrics, "params": params, "tags": tags,
            "status": STATUS[i % 3], "start": T0 + i * 1000}


@pytest.fixture(scope="module")
def data(server):
    from mlflow import MlflowClient

    c = MlflowClient(server.url)
    exp_id = c.create_experiment(uniq("search"))
    ids = []
    for i in range(N):
        s = spec(i)
        run = c.create_run(exp_id, run_name=s["name"], start_time=s["start"])
        rid = run.info.run_id
        c.log_batch(rid,
                    metrics=[Metric(k, v, s["start"], 0) for k, v in s["metrics"].items()],
                    params=[Param(k, v) for k, v in s["params"].items()],
                    tags=[RunTag(k, v) for k, v in s["tags"].items()])
        if s["status"] != "RUNNING":
            c.set_terminated(rid, status=s["status"], end_time=s["start"] + 500)
        ids.append(rid)
    return {"exp": exp_id, "ids": ids}


def names(runs):
    return [r.info.run_name for r in runs]


def expected(pred):
    return {spec(i)["name"] for i in range(N) if pred(i)}


FILTERS = [
    ("metrics.m > 0.5", lambda i: i / 20 > 0.5),
    ("metrics.m >= 0.5", lambda i: i / 20 >= 0.5),
    ("metrics.m = 0.25", lambda i: i == 5),
    ("metrics.m != 0.25", lambda i: i != 5),
    ("metrics.loss < 10 and metrics.m >= 0.3", lambda i: (N - 1 - i) * 1.5 < 10 and i / 20 >= 0.3),
    ("metrics.extra > -1", lambda i: i % 5 == 0),
    ("params.p = '1'", lambda i: i % 3 == 1),
    ("params.p != '1'", lambda i: i % 3 != 1),
    ("params.lr LIKE '0.1%'", lambda i: i % 5 == 1),
    ("params.opt = 'adam'", lambda i: i % 4 == 0),
    ("params.opt IS NULL", lambda i: i % 4 != 0),
    ("params.opt IS NOT NULL", lambda i: i % 4 == 0),
    ("tags.team = 'a'", lambda i: i % 2 == 0),
    ("tags.team != 'a'", lambda i: i % 2 == 1),
    ("tags.group LIKE 'g%' and tags.group != 'g0'", lambda i: i % 4 != 0),
    ("tags.group ILIKE 'G1'", lambda i: i % 4 == 1),
    ("tags.`mlflow.runName` = 'run-07'", lambda i: i == 7),
    ("attributes.status = 'FINISHED'", lambda i: i % 3 == 0),
    ("attributes.status != 'RUNNING'", lambda i: i % 3 != 2),
    ("attributes.run_name = 'run-03'", lambda i: i == 3),
    ("run_name LIKE 'run-1%'", lambda i: i >= 10),
    ("attributes.run_name ILIKE 'RUN-0%'", lambda i: i < 10),
    (f"attributes.start_time > {T0 + 14500}", lambda i: i >= 15),
    (f"attributes.start_time >= {T0 + 2000} and attributes.start_time < {T0 + 5000}",
     lambda i: 2 <= i < 5),
    ("metrics.m > 0.2 and params.p = '0' and tags.team = 'a'",
     lambda i: i / 20 > 0.2 and i % 3 == 0 and i % 2 == 0),
    ("metrics.m > 0.5 and params.p != '3' and tags.team = 'a'",  # the benchmark's filter
     lambda i: i / 20 > 0.5 and i % 2 == 0),
    ("metrics.nope > 0", lambda i: False),
]


@pytest.mark.parametrize("flt,pred", FILTERS, ids=[f[0] for f in FILTERS])
def test_filters(client, data, flt, pred):
    runs = client.search_runs([data["exp"]], filter_string=flt, max_results=1000)
    assert set(names(runs)) == expected(pred)
    assert len(runs) == len(set(names(runs)))


def test_filter_run_id_in(client, data):
    pick = [data["ids"][2], data["ids"][11], data["ids"][17]]
    flt = "attributes.run_id IN ({})".format(", ".join(f"'{x}'" for x in pick))
    runs = client.search_runs([data["exp"]], filter_string=flt)
    assert {r.info.run_id for r in runs} == set(pick)


def test_search_returns_full_runs(client, data):
    runs = client.search_runs([data["exp"]], filter_string="attributes.run_name = 'run-10'")
    assert len(runs) == 1
    r, s = runs[0], spec(10)
    assert r.info.run_id == data["ids"][10]
    assert r.info.experiment_id == data["exp"]
    assert r.info.status == s["status"]
    assert r.info.start_time == s["start"]
    assert r.data.metrics == s["metrics"]
    assert r.data.params == s["params"]
    for k, v in s["tags"].items():
        assert r.data.tags[k] == v


def test_default_order_is_start_time_desc(client, data):
    runs = client.search_runs([data["exp"]])
    assert names(runs) == [spec(i)["name"] for i in reversed(range(N))]


@pytest.mark.parametrize("order_by,key", [
    (["metrics.m DESC"], lambda i: -i),
    (["metrics.m ASC"], lambda i: i),
    (["metrics.loss"], lambda i: (N - 1 - i)),
    (["attributes.start_time ASC"], lambda i: i),
    (["attributes.run_name DESC"], lambda i: -i),
    (["params.p ASC", "metrics.m DESC"], lambda i: (i % 3, -i)),
    (["tags.group DESC", "attributes.start_time ASC"], lambda i: (-(i % 4), i)),
], ids=lambda v: str(v) if isinstance(v, list) else "")
def test_order_by(client, data, order_by, key):
    runs = client.search_runs([data["exp"]], order_by=order_by)
    assert names(runs) == [spec(i)["name"] for i in sorted(range(N), key=key)]


def test_order_by_metric_missing_values_sort_last(client, data):
    with_extra = [i for i in range(N) if i % 5 == 0]
    desc = names(client.search_runs([data["exp"]], order_by=["metrics.extra DESC"]))
    assert desc[:len(with_extra)] == [spec(i)["name"] for i in sorted(with_extra, reverse=True)]
    asc = names(client.search_runs([data["exp"]], order_by=["metrics.extra ASC"]))
    assert asc[:len(with_extra)] == [spec(i)["name"] for i in sorted(with_extra)]


def test_filter_and_order_combined(client, data):
    runs = client.search_runs([data["exp"]], filter_string="tags.team = 'a' and metrics.m > 0.1",
                              order_by=["metrics.m DESC"])
    assert names(runs) == [spec(i)["name"] for i in sorted(range(N), key=lambda i: -i)
                           if i % 2 == 0 and i / 20 > 0.1]


@pytest.mark.parametrize("page_size", [1, 7, 20, 50])
def test_pagination(client, data, page_size):
    full = names(client.search_runs([data["exp"]], order_by=["metrics.m DESC"]))
    pages, token = [], None
    for _ in range(N + 2):
        page = client.search_runs([data["exp"]], order_by=["metrics.m DESC"],
                                  max_results=page_size, page_token=token)
        pages.append(names(page))
        token = page.token
        if not token:
            break
    assert not token, "pagination did not terminate"
    flat = [n for p in pages for n in p]
    assert flat == full
    assert all(len(p) == page_size for p in pages[:-1])
    # a server may hand out one last token that leads to an empty page, nothing more
    assert len(pages) in (-(-N // page_size), -(-N // page_size) + 1)


def test_pagination_with_filter(client, data):
    flt = "params.p != '1'"
    want = [spec(i)["name"] for i in sorted(range(N), key=lambda i: i) if i % 3 != 1]
    got, token = [], None
    for _ in range(N):
        page = client.search_runs([data["exp"]], filter_string=flt,
                                  order_by=["attributes.start_time ASC"], max_results=4, page_token=token)
        got += names(page)
        token = page.token
        if not token:
            break
    assert got == want


def test_view_types_and_multiple_experiments(client):
    e1 = client.create_experiment(uniq("multi"))
    e2 = client.create_experiment(uniq("multi"))
    a = client.create_run(e1, run_name="a", start_time=T0).info.run_id
    b = client.create_run(e2, run_name="b", start_time=T0 + 1).info.run_id
    d = client.create_run(e2, run_name="d", start_time=T0 + 2).info.run_id
    client.delete_run(d)
    assert [r.info.run_id for r in client.search_runs([e1, e2])] == [b, a]
    assert [r.info.run_id for r in client.search_runs([e1, e2], run_view_type=ViewType.DELETED_ONLY)] == [d]
    assert [r.info.run_id for r in client.search_runs([e1, e2], run_view_type=ViewType.ALL)] == [d, b, a]


def test_bad_filter_is_invalid_parameter_value(client, data):
    for bad in ["metrics.m <<< 1", "metrics.m <= 0.1 or metrics.loss < 3", "foo.bar = 1"]:
        with pytest.raises(MlflowException) as exc:
            client.search_runs([data["exp"]], filter_string=bad)
        assert exc.value.error_code == "INVALID_PARAMETER_VALUE", bad


def test_pandas_search_runs(client, data):
    df = mlflow.search_runs(experiment_ids=[data["exp"]], filter_string="tags.team = 'a'",
                            order_by=["metrics.m DESC"])
    want = [i for i in sorted(range(N), key=lambda i: -i) if i % 2 == 0]
    assert list(df["run_id"]) == [data["ids"][i] for i in want]
    assert list(df["metrics.m"]) == [i / 20 for i in want]
    assert list(df["params.p"]) == [str(i % 3) for i in want]
    assert set(df["tags.team"]) == {"a"}
    assert list(df["status"]) == [STATUS[i % 3] for i in want]
