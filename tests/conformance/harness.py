"""Start/stop the server under test (Hangar or, for validation, the real `mlflow server`)
and manage per-test PostgreSQL databases.

Environment:
  HANGAR_TEST_SERVER        "hangar" (default) or "mlflow" (validate the suite against the
                            real MLflow server; sqlite backend only)
  HANGAR_BIN                Hangar binary (default <repo>/.build/debug/hangar)
  HANGAR_TEST_POSTGRES_URL  admin URL, e.g. postgres://hangar:hangar@127.0.0.1:5432/postgres
  HANGAR_REQUIRE_POSTGRES   "1": postgres tests fail (instead of skip) when the URL is unset
  HANGAR_TEST_START_TIMEOUT seconds to wait for /health (default 30 hangar, 120 mlflow)
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlparse, urlunparse

import requests

REPO = Path(__file__).resolve().parents[2]
SERVER_KIND = os.environ.get("HANGAR_TEST_SERVER", "hangar").strip().lower() or "hangar"
if SERVER_KIND not in ("hangar", "mlflow"):
    raise RuntimeError(f"HANGAR_TEST_SERVER must be 'hangar' or 'mlflow', got {SERVER_KIND!r}")

# Environment every MLflow client/server process in the suite runs with.
CLIENT_ENV = {
    "MLFLOW_DISABLE_TELEMETRY": "true",
    "DO_NOT_TRACK": "true",
    "MLFLOW_HTTP_REQUEST_MAX_RETRIES": "0",
    "MLFLOW_HTTP_REQUEST_TIMEOUT": "120",
}


def hangar_bin() -> Path:
    return Path(os.environ.get("HANGAR_BIN", str(REPO / ".build" / "debug" / "hangar")))


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --------------------------------------------------------------------------- postgres


def postgres_admin_url() -> str | None:
    url = os.environ.get("HANGAR_TEST_POSTGRES_URL", "").strip()
    return url or None


def postgres_required() -> bool:
    return os.environ.get("HANGAR_REQUIRE_POSTGRES", "") == "1"


class PostgresDatabase:
    """A fresh database `hangar_t_<hex>` on the admin server, dropped on close()."""

    def __init__(self, admin_url: str):
        import psycopg2  # imported lazily: only needed for postgres runs

        self._psycopg2 = psycopg2
        self.admin_url = admin_url
        self.name = "hangar_t_" + secrets.token_hex(6)
        self._exec(f'CREATE DATABASE "{self.name}"')
        parts = urlparse(admin_url)
        self.url = urlunparse(parts._replace(path="/" + self.name))

    def _exec(self, sql: str) -> None:
        conn = self._psycopg2.connect(self.admin_url, connect_timeout=10)
        try:
            conn.autocommit = True
            with conn.cursor() as cur:
                cur.execute(sql)
        finally:
            conn.close()

    def close(self) -> None:
        try:
            self._exec(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
        except Exception as exc:  # never mask the test result with a cleanup error
            print(f"warning: could not drop {self.name}: {exc}", file=sys.stderr)


# --------------------------------------------------------------------------- server


class ServerStartError(RuntimeError):
    pass


class Server:
    """One server process on its own port, data dir and (for postgres) database.

    `start()` may be called again after `kill()`/`stop()` to restart on the same data
    dir / database (a new port is chosen each time)."""

    def __init__(self, data_dir: Path, backend: str = "sqlite", database_url: str | None = None,
                 durability: str | None = None, kind: str = SERVER_KIND):
        self.kind = kind
        self.backend = backend
        self.data_dir = Path(data_dir)
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.database_url = database_url
        self.durability = durability
        self.proc: subprocess.Popen | None = None
        self.port: int | None = None
        self.starts = 0
        if kind == "mlflow" and backend != "sqlite":
            raise ValueError("the mlflow validation server runs on sqlite only")

    # where artifacts land on disk (used by the path-traversal test)
    @property
    def artifact_root(self) -> Path:
        if self.kind == "mlflow":
            return self.data_dir / "art"
        return self.data_dir / "artifacts"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def log_path(self) -> Path:
        return self.data_dir.parent / f"{self.data_dir.name}-server-{self.starts}.log"

    def command(self, port: int) -> list[str]:
        if self.kind == "mlflow":
            return [
                sys.executable, "-m", "mlflow", "server",
                "--host", "127.0.0.1", "--port", str(port), "--workers", "1",
                "--backend-store-uri", f"sqlite:///{self.data_dir}/mlflow.db",
                "--artifacts-destination", str(self.data_dir / "art"),
            ]
        binary = hangar_bin()
        if not binary.exists():
            raise ServerStartError(
                f"Hangar binary {binary} does not exist: build it (swift build) or set HANGAR_BIN, "
                "or run with HANGAR_TEST_SERVER=mlflow to validate the suite against MLflow")
        cmd = [str(binary), "up", "--data-dir", str(self.data_dir),
               "--host", "127.0.0.1", "--port", str(port)]
        if self.database_url:
            cmd += ["--database-url", self.database_url]
        if self.durability:
            cmd += ["--durability", self.durability]
        return cmd

    def _start_once(self, timeout: float) -> bool:
        """Returns False if the process died early (e.g. port taken) so the caller retries."""
        self.starts += 1
        port = free_port()
        env = dict(os.environ)
        env.update(CLIENT_ENV)
        log = open(self.log_path, "wb")
        try:
            self.proc = subprocess.Popen(
                self.command(port), stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                env=env, cwd=str(self.data_dir), start_new_session=True)
        finally:
            log.close()
        self.port = port
        deadline = time.monotonic() + timeout
        with requests.Session() as s:
            while time.monotonic() < deadline:
                if self.proc.poll() is not None:
                    return False
                try:
                    if s.get(self.url + "/health", timeout=2).status_code == 200:
                        return True
                except requests.RequestException:
                    pass
                time.sleep(0.05)
        self.kill()
        raise ServerStartError(
            f"{self.kind} did not answer GET /health with 200 within {timeout}s; log tail:\n"
            + self.log_tail())

    def start(self) -> "Server":
        default = 120 if self.kind == "mlflow" else 30
        timeout = float(os.environ.get("HANGAR_TEST_START_TIMEOUT", default))
        for _ in range(3):
            if self._start_once(timeout):
                return self
        raise ServerStartError(
            f"{self.kind} exited during start-up (code {self.proc.returncode}); cmd: "
            f"{' '.join(self.command(self.port))}\nlog tail:\n{self.log_tail()}")

    def log_tail(self, n: int = 60) -> str:
        try:
            lines = self.log_path.read_text(errors="replace").splitlines()
            return "\n".join(lines[-n:])
        except OSError:
            return "(no log)"

    def _signal_group(self, sig: int) -> None:
        if self.proc is None or self.proc.poll() is not None and sig != signal.SIGKILL:
            return
        try:
            os.killpg(self.proc.pid, sig)  # the server's own session (start_new_session)
        except ProcessLookupError:
            pass

    def kill(self) -> None:
        """SIGKILL the server (and, for mlflow, its worker processes)."""
        if self.proc is None:
            return
        self._signal_group(signal.SIGKILL)
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            pass

    def stop(self) -> None:
        if self.proc is None:
            return
        if self.proc.poll() is None:
            self._signal_group(signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                pass
        # reap any leftover member of the group (mlflow's uvicorn/huey children)
        self._signal_group(signal.SIGKILL)
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            pass


class ServerEnv:
    """Server + its data dir + its postgres database; `close()` tears everything down."""

    def __init__(self, base_dir: Path, backend: str, durability: str | None = None):
        self.backend = backend
        self.db: PostgresDatabase | None = None
        if backend == "postgres":
            admin = postgres_admin_url()
            assert admin, "HANGAR_TEST_POSTGRES_URL is not set"
            self.db = PostgresDatabase(admin)
        self.server = Server(Path(base_dir) / "data", backend=backend,
                             database_url=self.db.url if self.db else None, durability=durability)

    def start(self) -> "ServerEnv":
        try:
            self.server.start()
        except BaseException:
            self.close()
            raise
        return self

    @property
    def url(self) -> str:
        return self.server.url

    def close(self) -> None:
        try:
            self.server.stop()
        finally:
            if self.db is not None:
                self.db.close()
                self.db = None


def uniq(prefix: str) -> str:
    """A unique name (no '_' or '%': those are LIKE wildcards)."""
    return f"{prefix}-{uuid.uuid4().hex[:12]}"
