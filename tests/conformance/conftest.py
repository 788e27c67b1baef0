"""Fixtures of the MLflow-client conformance suite.

Every test runs against a server started by this suite on its own free port, its own temp
data dir and (backend "postgres") its own fresh PostgreSQL database, so the suite is safe
under `pytest -n 2`. Every test is parametrized over the backends `sqlite` and `postgres`.
"""

import os

# Must happen before mlflow is imported anywhere in this process.
from harness import CLIENT_ENV  # noqa: E402  (harness imports only stdlib + requests)

os.environ.update(CLIENT_ENV)

import pytest  # noqa: E402

import harness  # noqa: E402
from harness import uniq  # noqa: E402

BACKENDS = ["sqlite", "postgres"]


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "hangar_only: checks Hangar behaviour the real MLflow server does not have "
        "(skipped when HANGAR_TEST_SERVER=mlflow)")


def pytest_collection_modifyitems(config, items):
    if harness.SERVER_KIND != "mlflow":
        return
    skip = pytest.mark.skip(reason="Hangar-only behaviour; HANGAR_TEST_SERVER=mlflow")
    for item in items:
        if item.get_closest_marker("hangar_only"):
            item.add_marker(skip)


def pytest_report_header(config):
    where = harness.hangar_bin() if harness.SERVER_KIND == "hangar" else "mlflow server (venv)"
    pg = harness.postgres_admin_url() or "unset (postgres tests skipped)"
    return [f"server under test: {harness.SERVER_KIND} ({where})", f"postgres admin url: {pg}"]


def check_backend(backend: str) -> None:
    """Skip (or fail) a backend that cannot run in this configuration."""
    if backend != "postgres":
        return
    if harness.SERVER_KIND == "mlflow":
        pytest.skip("the MLflow validation server runs on sqlite only")
    if harness.postgres_admin_url() is None:
        if harness.postgres_required():
            pytest.fail("HANGAR_REQUIRE_POSTGRES=1 but HANGAR_TEST_POSTGRES_URL is not set")
        pytest.skip("HANGAR_TEST_POSTGRES_URL is not set")


@pytest.fixture(scope="module", params=BACKENDS)
def backend(request):
    check_backend(request.param)
    return request.param


@pytest.fixture(scope="module")
def server(backend, tmp_path_factory):
    """One server per test module and backend (tests isolate themselves by unique names)."""
    env = harness.ServerEnv(tmp_path_factory.mktemp(f"srv-{backend}"), backend).start()
    yield env
    env.close()


@pytest.fixture
def fresh_server(backend, tmp_path_factory):
    """A server of its own for one test (fresh data dir / database)."""
    env = harness.ServerEnv(tmp_path_factory.mktemp(f"fresh-{backend}"), backend).start()
    yield env
    env.close()


@pytest.fixture
def base_url(server):
    return server.url


@pytest.fixture
def client(server):
    """MlflowClient bound to the module's server; the fluent API points there too."""
    import mlflow
    from mlflow import MlflowClient

    mlflow.set_tracking_uri(server.url)
    yield MlflowClient(tracking_uri=server.url)
    while mlflow.active_run() is not None:
        mlflow.end_run()
    try:
        mlflow.sklearn.autolog(disable=True)
    except Exception:
        pass


@pytest.fixture
def experiment_id(client):
    """A fresh experiment, also made the fluent API's active experiment."""
    import mlflow

    exp = mlflow.set_experiment(uniq("exp"))
    return exp.experiment_id


