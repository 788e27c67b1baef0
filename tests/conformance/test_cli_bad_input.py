"""The CLI under bad input found by fuzzing: every case exits non-zero at once with one line saying
what and where (no crash, no hang, no usage dump), and no file the user had is replaced."""

from __future__ import annotations

import hashlib
import os
import random
import subprocess

import pytest

import harness

pytestmark = pytest.mark.hangar_only


def run(*args, cwd, timeout=60):
    proc = subprocess.run([str(harness.hangar_bin()), *args], capture_output=True, text=True, timeout=timeout,
                          cwd=cwd, env={**os.environ, **harness.CLIENT_ENV})
    return proc


def refused(proc, needle):
    assert proc.returncode != 0, (proc.stdout, proc.stderr)
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, proc.stderr
    assert "Fatal error" not in proc.stderr and needle in lines[0], lines[0]


def digest(path):
    return hashlib.sha256(open(path, "rb").read()).hexdigest()


@pytest.fixture(scope="module")
def work(tmp_path_factory):
    """A folder with a training CSV (ok.csv), one with an infinite value (inf.csv) and a small model (m.hangar)."""
    folder = tmp_path_factory.mktemp("cli")
    rng = random.Random(1)
    with open(folder / "ok.csv", "w") as f:
        f.write("x1,x2,label\n")
        for _ in range(200):
            a = rng.random()
            f.write(f"{a},{rng.random()},{int(a > 0.5)}\n")
    with open(folder / "inf.csv", "w") as f:
        f.write("x1,x2,label\n")
        for i in range(60):
            f.write(f"{rng.random()},{'inf' if i == 7 else rng.random()},{i % 2}\n")
    proc = run("train", "ok.csv", "--target", "label", "--learner", "gbdt", "--trees", "3", "--output", "m.hangar", cwd=folder)
    assert proc.returncode == 0, proc.stderr
    return folder


@pytest.mark.parametrize("learner", ["logistic", "linear", "gbdt"])
def test_an_infinite_training_value_is_named_not_a_hang(work, learner):
    args = ["train", "inf.csv", "--target", "label", "--learner", learner, "--output", "x.hangar"]
    if learner == "linear":
        args += ["--task", "regression"]
    refused(run(*args, cwd=work), "column 'x2' is infinite in 1 row (the first is data row 8)")


@pytest.mark.parametrize("option,value,needle", [
    ("--learning-rate", "inf", "--learning-rate"),
    ("--learning-rate", "2", "--learning-rate"),
    ("--trees", "1000000000000", "--trees"),
    ("--time-budget", "1e300", "--time-budget"),
    ("--time-budget", "nan", "--time-budget"),
    ("--threads", "0", "--threads"),
    ("--tracking-uri", "ftp://127.0.0.1:9", "is not a server URL"),
])
def test_training_settings_out_of_range_are_refused_up_front(work, option, value, needle):
    refused(run("train", "ok.csv", "--target", "label", "--learner", "gbdt", f"{option}={value}", "--output", "y.hangar",
                cwd=work), needle)


@pytest.mark.parametrize("args,needle", [
    (["--trees", "10"], "--trees set a fixed learner's settings: add --learner gbdt or --learner forest"),
    (["--learner", "linear", "--task", "regression", "--trees", "10"], "--trees does not apply to --learner linear"),
    (["--learner", "logistic", "--leaves", "8"], "--leaves does not apply to --learner logistic (it has no settings)"),
    (["--learner", "forest", "--learning-rate", "0.1"], "--learning-rate does not apply to --learner forest"),
    (["--learner", "gbdt", "--folds", "5"], "--folds applies to AutoML"),
    (["--learner", "gbdt", "--trees", "3", "--group-column", "nosuch"], "column 'nosuch' cannot be used: not in the data"),
])
def test_settings_the_chosen_learner_would_ignore_are_refused(work, args, needle):
    refused(run("train", "ok.csv", "--target", "label", *args, "--output", "z.hangar", cwd=work), needle)
    assert not (work / "z.hangar").exists()


def test_a_folder_or_missing_file_given_as_input_is_named_plainly(work):
    (work / "adir").mkdir()
    refused(run("train", "adir", "--target", "label", cwd=work), "cannot read 'adir': it is a folder, not a file")
    refused(run("train", "nope.csv", "--target", "label", cwd=work), "cannot read 'nope.csv': No such file or directory")
    refused(run("predict", "--model", "adir", "--input", "ok.csv", "--output", "p.csv", cwd=work),
            "cannot access model file 'adir': it is a folder, not a file")


def test_training_never_writes_over_its_input_or_into_a_missing_folder(work):
    before = digest(work / "ok.csv")
    refused(run("train", "ok.csv", "--target", "label", "--output", "ok.csv", cwd=work), "is the input file")
    refused(run("train", "ok.csv", "--target", "label", "--output", "missing/m.hangar", cwd=work), "does not exist")
    refused(run("train", "ok.csv", "--target", "label", "--output", str(work), cwd=work), "is a folder")
    assert digest(work / "ok.csv") == before


def test_predict_refuses_its_input_a_pipe_and_a_header_that_lacks_columns(work):
    before = digest(work / "ok.csv")
    refused(run("predict", "--model", "m.hangar", "--input", "ok.csv", "--output", "ok.csv", cwd=work), "is the input file")
    assert digest(work / "ok.csv") == before
    os.mkfifo(work / "pipe")
    refused(run("predict", "--model", "m.hangar", "--input", "ok.csv", "--output", "pipe", cwd=work), "not a regular file")
    (work / "header.csv").write_text("a,b\n")
    (work / "kept.csv").write_text("old\n")
    refused(run("predict", "--model", "m.hangar", "--input", "header.csv", "--output", "kept.csv", cwd=work), "lacks column 'x1'")
    assert (work / "kept.csv").read_text() == "old\n"


def test_predict_writes_through_a_symlink_and_leaves_no_partial_file(work):
    (work / "real.csv").write_text("old\n")
    os.symlink("real.csv", work / "link.csv")
    proc = run("predict", "--model", "m.hangar", "--input", "ok.csv", "--output", "link.csv", cwd=work)
    assert proc.returncode == 0, proc.stderr
    assert os.path.islink(work / "link.csv")
    assert (work / "real.csv").read_text().startswith("prediction,")
    assert not [p for p in os.listdir(work) if ".partial" in p]


@pytest.mark.parametrize("args,needle", [
    (["up", "--max-request-mb", "9000000000000000"], "--max-request-mb"),
    (["up", "--prediction-retention-days", "9000000000000000000"], "--prediction-retention-days"),
    (["up", "--log-level", "bogus"], "--log-level 'bogus'"),
    (["serve", "--model", "m@production", "--log-level", "loud"], "--log-level 'loud'"),
    (["predictions", "list", "--limit", "0"], "--limit"),
    (["models", "list", "--url", "ftp://127.0.0.1:9"], "is not a server URL"),
    (["models", "traffic", "set", "m", "--route", "production=0x64", "--url", "http://127.0.0.1:9"], "--route 'production=0x64'"),
    (["models", "traffic", "set", "m", "--route", "production=nan", "--url", "http://127.0.0.1:9"], "--route 'production=nan'"),
    (["models", "traffic", "set", "m", "--route", "production=150", "--url", "http://127.0.0.1:9"], "from 0 to 100"),
])
def test_server_and_client_options_out_of_range_are_refused(work, args, needle):
    refused(run(*args, cwd=work), needle)


@pytest.mark.parametrize("column,value,needle", [
    ("row", "1e300", "is not a row number"),
    ("row", "-5", "is not a row number"),
    ("timestamp", "1e300", "is not a time"),
])
def test_ground_truth_files_with_impossible_numbers_are_refused(work, column, value, needle):
    path = work / f"truth-{column}-{value}.csv"
    path.write_text(f"request_id,value,{column}\nr1,1,{value}\n")
    refused(run("predictions", "truth", "--model", "m", "--input", path.name, "--url", "http://127.0.0.1:9", cwd=work), needle)


def test_an_unreachable_or_refusing_postgresql_is_named_at_once(work):
    admin = harness.postgres_admin_url()
    if admin is None:
        pytest.skip("HANGAR_TEST_POSTGRES_URL is not set")
    from urllib.parse import urlparse
    u = urlparse(admin)
    wrong = f"postgres://{u.username}:not-the-password@{u.hostname}:{u.port or 5432}/postgres"
    refused(run("up", "--database-url", wrong, "--port", "0", "--data-dir", "pgdata", cwd=work, timeout=30),
            "password authentication failed")
    refused(run("up", "--database-url", "postgres://x:y@127.0.0.1:9/db", "--port", "0", "--data-dir", "pgdata", cwd=work,
                timeout=30), "cannot connect to PostgreSQL at 127.0.0.1:9/db")
