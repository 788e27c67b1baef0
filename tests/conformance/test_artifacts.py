"""Artifacts through the MLflow artifact proxy (mlflow-artifacts:/...): log_artifact,
log_artifacts, list_artifacts, download_artifacts, a 100 MB round trip, raw-HTTP
download/list/delete shapes and path-traversal refusal."""

import hashlib
import http.client
import json
import os
from pathlib import Path

import mlflow
import numpy as np
import pytest
import requests

ART = "/api/2.0/mlflow-artifacts/artifacts"


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def tree(root: Path) -> dict:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture
def run_id(client, experiment_id):
    return client.create_run(experiment_id).info.run_id


def test_log_artifact_list_download(client, run_id, tmp_path):
    src = tmp_path / "hello.txt"
    src.write_text("hello, hangar\n")
    with mlflow.start_run(run_id=run_id):
        mlflow.log_artifact(str(src))
    files = client.list_artifacts(run_id)
    assert [(f.path, f.is_dir, f.file_size) for f in files] == [("hello.txt", False, 14)]

    out = client.download_artifacts(run_id, "hello.txt", dst_path=str(tmp_path / "dl"))
    assert Path(out).read_text() == "hello, hangar\n"
    out2 = mlflow.artifacts.download_artifacts(run_id=run_id, artifact_path="hello.txt",
                                               dst_path=str(tmp_path / "dl2"))
    assert Path(out2).read_text() == "hello, hangar\n"


def test_log_artifacts_directory_tree(client, run_id, tmp_path):
    src = tmp_path / "src"
    (src / "sub" / "deeper").mkdir(parents=True)
    (src / "a.txt").write_text("a")
    (src / "sub" / "b.json").write_text(json.dumps({"b": [1, 2, 3]}))
    (src / "sub" / "deeper" / "c.bin").write_bytes(bytes(range(256)) * 4)
    (src / "with space \u00fc.txt").write_text("unicode name")
    with mlflow.start_run(run_id=run_id):
        mlflow.log_artifacts(str(src), artifact_path="outputs")

    root = client.list_artifacts(run_id)
    assert [(f.path, f.is_dir) for f in root] == [("outputs", True)]
    listing = {f.path: (f.is_dir, f.file_size) for f in client.list_artifacts(run_id, "outputs")}
    assert listing == {
        "outputs/a.txt": (False, 1),
        "outputs/sub": (True, None),
        "outputs/with space \u00fc.txt": (False, 12),
    }
    deeper = {f.path: f.file_size for f in client.list_artifacts(run_id, "outputs/sub/deeper")}
    assert deeper == {"outputs/sub/deeper/c.bin": 1024}

    out = client.download_artifacts(run_id, "outputs", dst_path=str(tmp_path / "dl"))
    assert tree(Path(out)) == tree(src)
    # the runs:/ URI form
    out2 = mlflow.artifacts.download_artifacts(artifact_uri=f"runs:/{run_id}/outputs/sub",
                                               dst_path=str(tmp_path / "dl2"))
    assert tree(Path(out2)) == tree(src / "sub")
    # the whole run
    out3 = mlflow.artifacts.download_artifacts(run_id=run_id, dst_path=str(tmp_path / "dl3"))
    assert tree(Path(out3) / "outputs") == tree(src)


def test_log_text_and_dict(client, run_id, tmp_path):
    with mlflow.start_run(run_id=run_id):
        mlflow.log_text("some text", "notes/readme.txt")
        mlflow.log_dict({"k": [1, 2], "nested": {"x": "y"}}, "config.json")
    assert mlflow.artifacts.load_text(f"runs:/{run_id}/notes/readme.txt") == "some text"
    assert mlflow.artifacts.load_dict(f"runs:/{run_id}/config.json") == {"k": [1, 2], "nested": {"x": "y"}}


def test_overwrite_artifact(client, run_id, tmp_path):
    f = tmp_path / "v.txt"
    f.write_text("one")
    client.log_artifact(run_id, str(f))
    f.write_text("second version")
    client.log_artifact(run_id, str(f))
    out = client.download_artifacts(run_id, "v.txt", dst_path=str(tmp_path / "dl"))
    assert Path(out).read_text() == "second version"
    assert [(x.path, x.file_size) for x in client.list_artifacts(run_id)] == [("v.txt", 14)]


def test_100mb_artifact_round_trip(client, run_id, tmp_path):
    size = 100 * 1024 * 1024
    src = tmp_path / "big.bin"
    rng = np.random.default_rng(20261123)
    with open(src, "wb") as f:
        for _ in range(size // (8 << 20)):
            f.write(rng.bytes(8 << 20))
        f.write(rng.bytes(size % (8 << 20)))
    want = sha256(src)
    try:
        client.log_artifact(run_id, str(src), artifact_path="big")
        assert [(x.path, x.file_size) for x in client.list_artifacts(run_id, "big")] == [("big/big.bin", size)]
        out = Path(client.download_artifacts(run_id, "big/big.bin", dst_path=str(tmp_path / "dl")))
        assert out.stat().st_size == size
        assert sha256(out) == want
    finally:  # don't leave 200 MB per run in the retained pytest temp dirs
        for p in (src, tmp_path / "dl" / "big.bin"):
            p.unlink(missing_ok=True)


# ------------------------------------------------------------------ raw HTTP shapes


def test_raw_proxy_put_get_list_delete(base_url, run_id, client, experiment_id):
    base = f"{base_url}{ART}/{experiment_id}/{run_id}/artifacts"
    r = requests.put(f"{base}/raw/x.txt", data=b"raw bytes", timeout=30)
    assert r.status_code == 200, r.text
    r = requests.put(f"{base}/raw/sub/y.json", data=b'{"y": 1}', timeout=30)
    assert r.status_code == 200, r.text

    r = requests.get(f"{base}/raw/x.txt", timeout=30)
    assert r.status_code == 200
    assert r.content == b"raw bytes"

    r = requests.get(f"{base_url}{ART}", params={"path": f"{experiment_id}/{run_id}/artifacts/raw"}, timeout=30)
    assert r.status_code == 200
    files = sorted(r.json()["files"], key=lambda f: f["path"])
    assert files[0] == {"path": "sub", "is_dir": True}
    assert files[1]["path"] == "x.txt" and files[1]["is_dir"] is False
    assert int(files[1]["file_size"]) == 9

    # listing a file or a missing path is an empty listing, not an error (the client relies on it)
    for p in ("raw/x.txt", "raw/missing"):
        r = requests.get(f"{base_url}{ART}", params={"path": f"{experiment_id}/{run_id}/artifacts/{p}"}, timeout=30)
        assert r.status_code == 200, (p, r.text)
        assert r.json().get("files", []) == [], (p, r.text)

    r = requests.get(f"{base}/raw/missing.txt", timeout=30)
    assert r.status_code == 404
    assert r.json()["error_code"] == "RESOURCE_DOES_NOT_EXIST"

    r = requests.delete(f"{base}/raw/x.txt", timeout=30)
    assert r.status_code == 200, r.text
    assert requests.get(f"{base}/raw/x.txt", timeout=30).status_code == 404
    assert [f.path for f in client.list_artifacts(run_id, "raw")] == ["raw/sub"]


TRAVERSALS = [
    ("PUT", "{e}/../../../escape-{tag}.txt"),
    ("PUT", "{e}/{r}/artifacts/../../../../escape-{tag}.txt"),
    ("PUT", "%2e%2e/%2e%2e/escape-{tag}.txt"),
    ("PUT", "{e}/%2E%2E/%2E%2E/%2E%2E/escape-{tag}.txt"),
    ("PUT", "{e}/..%2f..%2f..%2fescape-{tag}.txt"),
    ("PUT", "{e}/%2e%2e%2f%2e%2e%2f%2e%2e%2fescape-{tag}.txt"),
    ("PUT", "/{tmp}/escape-{tag}.txt"),
    ("PUT", "%2F{tmpq}%2Fescape-{tag}.txt"),
    ("GET", "../../../../../../etc/passwd"),
    ("GET", "%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd"),
    ("GET", "{e}/..%2f..%2f..%2f..%2f..%2f..%2fetc%2fpasswd"),
    ("GET", "/etc/passwd"),
    ("GET", "%2Fetc%2Fpasswd"),
    ("LIST", "../.."),
    ("LIST", "%2e%2e/%2e%2e"),
    ("LIST", "{e}/../../.."),
    ("LIST", "/etc"),
    ("LIST", "%2Fetc"),
    ("DELETE", "{e}/../../victim-{tag}.txt"),
    ("DELETE", "%2e%2e/%2e%2e/victim-{tag}.txt"),
]


def test_artifact_paths_escaping_root_are_refused(server, client, experiment_id, run_id):
    """Raw HTTP (http.client does not normalise '..' the way requests/urllib3 do)."""
    data_dir = server.server.data_dir
    sandbox = data_dir.parent  # the test's own temp dir, outside the artifact root
    victim_names = []
    for n, (method, tmpl) in enumerate(TRAVERSALS):
        tag = f"{n}"
        victim = sandbox / f"victim-{tag}.txt"
        if method == "DELETE":
            victim.write_text("must survive")
            victim_names.append(victim)
        rel = tmpl.format(e=experiment_id, r=run_id, tag=tag, tmp=str(sandbox).lstrip("/"),
                          tmpq=str(sandbox).lstrip("/").replace("/", "%2F"))
        if method == "LIST":
            path, verb = f"{ART}?path={rel}", "GET"
        else:
            path, verb = f"{ART}/{rel}", method
        conn = http.client.HTTPConnection("127.0.0.1", server.server.port, timeout=30)
        try:
            conn.request(verb, path, body=b"pwned" if verb == "PUT" else None)
            resp = conn.getresponse()
            body = resp.read()
        finally:
            conn.close()
        assert 400 <= resp.status < 500, f"{method} {path} -> {resp.status} {body[:200]!r}"
        assert b"root:" not in body, f"{method} {path} leaked /etc/passwd"

    root = server.server.artifact_root.resolve()
    escaped = [str(p) for p in sandbox.rglob("escape-*") if root not in p.resolve().parents]
    escaped += [str(p) for p in Path("/tmp").glob("escape-*")]
    assert escaped == [], f"files written outside the artifact root: {escaped}"
    for v in victim_names:
        assert v.exists(), f"{v} deleted through a traversal"
    # the server still works normally afterwards
    assert requests.get(f"{server.url}/health", timeout=10).status_code == 200
