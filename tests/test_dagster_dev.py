"""`dagster dev` serves the UI on 127.0.0.1 and lists every asset (asked through its GraphQL endpoint)."""
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from conftest import ROOT, SEEDS
from test_definitions import STAGES

# dagster dev started from a shell in the background inherits an ignored SIGINT and then ignores SIGTERM:
# restore default handlers before exec'ing it, so the test can stop it.
LAUNCH = ("import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); "
          "signal.signal(signal.SIGTERM, signal.SIG_DFL); os.execv(sys.argv[1], sys.argv[1:])")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _graphql(port: int, query: str) -> dict:
    req = urllib.request.Request(f"http://127.0.0.1:{port}/graphql", data=json.dumps({"query": query}).encode(),
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=10) as resp:
        return json.loads(resp.read())


def test_dagster_dev_serves_every_asset(tmp_path):
    home = tmp_path / "dagster_home"
    home.mkdir()
    (home / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    work = tmp_path / "work"  # the sensor may start a run: let it write here, not into the repo's dist/
    work.mkdir()
    (work / "seeds").symlink_to(SEEDS)
    port = _free_port()
    dagster = str(Path(sys.executable).with_name("dagster"))
    env = {**os.environ, "DAGSTER_HOME": str(home), "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-c", LAUNCH, dagster, "dev", "-m", "pipeline.definitions",
                             "-h", "127.0.0.1", "-p", str(port)], cwd=work, env=env, start_new_session=True,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        deadline, data = time.monotonic() + 180, None
        while time.monotonic() < deadline and data is None:
            assert proc.poll() is None, proc.stdout.read().decode(errors="replace")[-3000:]
            try:
                data = _graphql(port, "{ assetNodes { assetKey { path } groupName description } }")
            except OSError:
                time.sleep(1)
        assert data is not None, "dagster dev did not answer within 180 s"
        nodes = data["data"]["assetNodes"]
        assert set(STAGES) <= {"/".join(n["assetKey"]["path"]) for n in nodes}
        assert all(n["description"] for n in nodes)
        repo = _graphql(port, "{ repositoriesOrError { ... on RepositoryConnection { nodes { "
                              "schedules { name } sensors { name } } } } }")
        location = repo["data"]["repositoriesOrError"]["nodes"][0]
        assert [s["name"] for s in location["schedules"]] == ["daily_release"]
        assert [s["name"] for s in location["sensors"]] == ["seeds_sensor"]
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
