"""The Dagster UI as an operator sees it, asked through the GraphQL endpoint of one `dagster dev` server on
127.0.0.1 started as `make ui` starts it, on the instance the command line builds into. Before the server starts,
the command line builds the seeds of the server's working directory (as `make dataset` does) with the server's
DAGSTER_HOME, and one new document is added to that seeds folder. Then: every asset in a layer group with a
description, its blocking check, the job, schedule and sensor; the command line's run in the run list, every asset
materialized by it and, once the sensor's run is done, every partition materialized; the run the sensor requests by
itself for the new document only, its checks' results, the materialization metadata (row count, column schema,
preview) and the release it published; last, a run launched as from the launchpad."""
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import dagster as dg
import pandas as pd
import pytest

from conftest import ROOT, SEED_000, SEEDS
from pipeline.assets.partitions import BATCHES, batch_of
from pipeline.assets.published import ASSET_OF
from schemas.dictionary import columns
from schemas.registry import TABLES
from schemas.validate import validate_release
from test_definitions import STAGES

LAYERS = {"raw", "clean", "structure", "records", "catalog", "release"}
LOCATION, REPOSITORY = "pipeline.definitions", "__repository__"
SERVER_START_S, RUN_S, SENSOR_S, CLI_S = 120, 240, 180, 300
# the document added after the command line's build: a copy of a seed with one sentence more (a copy with the same
# bytes would be a duplicate file, left out as a problem)
ADDED = "added_after_the_command_line_build"

# dagster dev started from a shell in the background inherits an ignored SIGINT and then ignores SIGTERM:
# restore default handlers before exec'ing it, so the test can stop it.
LAUNCH = ("import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); "
          "signal.signal(signal.SIGTERM, signal.SIG_DFL); os.execv(sys.argv[1], sys.argv[1:])")

LAUNCH_RUN = """mutation ($params: ExecutionParams!) { launchRun(executionParams: $params) {
  __typename
  ... on LaunchRunSuccess { run { runId } }
  ... on RunConfigValidationInvalid { errors { message } }
  ... on PythonError { message stack }
} }"""

RUN_STATUS = "query ($id: ID!) { runOrError(runId: $id) { __typename ... on Run { status } } }"

RUN_ERRORS = """query ($id: ID!) { runOrError(runId: $id) { ... on Run { eventConnection(limit: 5000) { events {
  __typename
  ... on MessageEvent { message stepKey }
  ... on ExecutionStepFailureEvent { error { message causes { message } } }
  ... on AssetCheckEvaluationEvent { evaluation { checkName success metadataEntries {
      label ... on MarkdownMetadataEntry { mdStr } } } }
} } } } }"""

METADATA = """metadataEntries { label __typename
  ... on IntMetadataEntry { intValue }
  ... on MarkdownMetadataEntry { mdStr }
  ... on TextMetadataEntry { text }
  ... on PathMetadataEntry { path }
  ... on TableSchemaMetadataEntry { schema { columns { name type description constraints { nullable unique } } } }
}"""

CHECK_EXECUTION = ("assetCheckExecutions(assetKey: {path: [\"%s\"]}, checkName: \"%s\", limit: 10) "
                   "{ runId status evaluation { success description " + METADATA + " } }")


@dataclass
class Server:
    port: int
    root: Path  # the test's temporary folder: DAGSTER_HOME, working directory, the run's seeds and dist
    log: Path
    cli_run: str  # the command line's run, read from the instance before the server started
    cli_partitions: list[str]  # the document partitions the command line's build left on the instance


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _graphql(port: int, query: str, variables: dict | None = None, timeout: float = 30) -> dict:
    req = urllib.request.Request(f"http://127.0.0.1:{port}/graphql",
                                 data=json.dumps({"query": query, "variables": variables}).encode(),
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=timeout) as resp:
        answer = json.loads(resp.read())
    assert not answer.get("errors"), answer["errors"]
    return answer["data"]


def _entries(entries: list[dict]) -> dict[str, dict]:
    return {e["label"]: e for e in entries}


def _build_with_the_command_line(work: Path, env: dict) -> tuple[str, list[str]]:
    """``python -m pipeline release`` in ``work`` with its default folders (seeds/, dist/, build/dist/: what the
    sensor's default settings resolve to there), as `make dataset` runs it; (its run id, the partitions it left), read
    from the instance at DAGSTER_HOME, which the command line created."""
    cli = subprocess.run([sys.executable, "-m", "pipeline", "release"], cwd=work, env=env, capture_output=True,
                         text=True, timeout=CLI_S)
    assert cli.returncode == 0, cli.stdout[-3000:] + cli.stderr[-3000:]
    home = Path(env["DAGSTER_HOME"])
    assert (home / "dagster.yaml").read_text() == "telemetry:\n  enabled: false\n"
    assert not (work / "build" / "dist" / "dagster").exists()   # DAGSTER_HOME, not the work folder's
    with dg.DagsterInstance.from_config(str(home)) as instance:
        (run,) = instance.get_runs()
        assert run.status == dg.DagsterRunStatus.SUCCESS
        return run.run_id, list(instance.get_dynamic_partitions(BATCHES.name))


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Server:
    root = tmp_path_factory.mktemp("dagster_dev")
    home, work = root / "dagster_home", root / "work"
    # The working directory holds a copy of the seeds: the sensor (default RUNNING) resolves the default settings
    # (seeds/, dist/, build/dist/) against it, where the command line built them first.
    work.mkdir()
    shutil.copytree(SEEDS, work / "seeds")
    env = {**os.environ, "DAGSTER_HOME": str(home), "PYTHONPATH": str(ROOT)}
    cli_run, cli_partitions = _build_with_the_command_line(work, env)
    # One new document, which the sensor must find and process by itself, alone, once dagster dev runs.
    (work / "seeds" / f"{ADDED}.txt").write_text(SEED_000.read_text("utf-8") + "\n（本报告另存一份，增加此句。）\n",
                                                 encoding="utf-8")
    log = root / "dagster_dev.log"  # a file, not a pipe: the run's event log would fill a pipe and block
    port = _free_port()
    dagster = str(Path(sys.executable).with_name("dagster"))
    env["DAGSTER_EMIT_PARTITION_SUBSET_IN_PLANNED_EVENTS"] = "true"   # as `make ui` starts it
    with open(log, "wb") as out:
        proc = subprocess.Popen([sys.executable, "-c", LAUNCH, dagster, "dev", "-m", LOCATION,
                                 "-h", "127.0.0.1", "-p", str(port)], cwd=work, env=env, start_new_session=True,
                                stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline, ready = time.monotonic() + SERVER_START_S, False
        while not ready:
            assert proc.poll() is None, log.read_text(errors="replace")[-3000:]
            assert time.monotonic() < deadline, f"dagster dev did not answer within {SERVER_START_S} s"
            try:
                ready = bool(_graphql(port, "{ assetNodes { id } }", timeout=5)["assetNodes"])
            except OSError:
                time.sleep(1)
        yield Server(port, root, log, cli_run, cli_partitions)
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


RUNS = """query ($tags: [ExecutionTag!]) { runsOrError(filter: {tags: $tags}) { ... on Runs { results {
  runId status jobName tags { key value } } } } }"""


def _wait(server: Server, run_id: str) -> str:
    deadline, status = time.monotonic() + RUN_S, None
    while status not in ("SUCCESS", "FAILURE", "CANCELED"):
        assert time.monotonic() < deadline, f"run {run_id} still {status} after {RUN_S} s"
        time.sleep(2)
        status = _graphql(server.port, RUN_STATUS, {"id": run_id})["runOrError"]["status"]
    return status


def _sensor_runs(server: Server) -> list[dict]:
    tags = [{"key": "dagster/sensor_name", "value": "seeds_sensor"}]
    return _graphql(server.port, RUNS, {"tags": tags})["runsOrError"]["results"]


def _launch(server: Server, assets: list[str]) -> tuple[str, str]:
    """Launch release_job for some assets through the API, as from the launchpad, and wait: (run id, status)."""
    params = {
        "selector": {"repositoryLocationName": LOCATION, "repositoryName": REPOSITORY, "jobName": "release_job",
                     "assetSelection": [{"path": [a]} for a in assets]},
        "runConfigData": {"execution": {"config": {"in_process": {}}}},
        "executionMetadata": {"tags": [{"key": "test", "value": "test_dagster_dev"}]},
    }
    launched = _graphql(server.port, LAUNCH_RUN, {"params": params})["launchRun"]
    assert launched["__typename"] == "LaunchRunSuccess", launched
    run_id = launched["run"]["runId"]
    return run_id, _wait(server, run_id)


def _run_errors(server: Server, run_id: str) -> str:
    """The failed steps' errors and the failed checks' failure cases of a run, as its page in the UI lists them."""
    events = _graphql(server.port, RUN_ERRORS, {"id": run_id})["runOrError"]["eventConnection"]["events"]
    lines = [f"step {e['stepKey']} failed: "
             + " / ".join(x["message"].strip() for x in [e["error"], *e["error"]["causes"]])
             for e in events if e["__typename"] == "ExecutionStepFailureEvent"]
    lines += [e["message"] for e in events if e["__typename"] == "RunFailureEvent"]
    lines += [f"check {e['evaluation']['checkName']}: "
              + _entries(e["evaluation"]["metadataEntries"]).get("failure_cases", {}).get("mdStr", "")
              for e in events if e["__typename"] == "AssetCheckEvaluationEvent" and not e["evaluation"]["success"]]
    return "\n".join(lines)


@pytest.fixture(scope="module")
def release_run(server) -> str:
    """Id of the run the sensor requested by itself for the document added after the command line's build (that one
    only: the command line's partitions and stamps say the seeds are done), finished with SUCCESS."""
    deadline = time.monotonic() + SENSOR_S
    while not (runs := _sensor_runs(server)):
        assert time.monotonic() < deadline, f"the sensor requested no run within {SENSOR_S} s"
        time.sleep(3)
    assert len(runs) == 1, runs
    run_id = runs[0]["runId"]
    documents = len(list((server.root / "work" / "seeds").glob("*.txt")))
    plan = {t["key"]: t["value"] for t in runs[0]["tags"]}["pipeline/plan"]
    assert plan.startswith(f"{documents} document(s): 1 to process, {documents - 1} unchanged, 0 removed"), plan
    status = _wait(server, run_id)
    if status != "SUCCESS":
        pytest.fail(f"run {run_id} ended {status}:\n" + _run_errors(server, run_id)[-6000:])
    return run_id


def _partitioned(server: Server) -> set[str]:
    nodes = _graphql(server.port, "{ assetNodes { assetKey { path } isPartitioned } }")["assetNodes"]
    return {"/".join(n["assetKey"]["path"]) for n in nodes if n["isPartitioned"]}


def _run_batch(server: Server) -> list[str]:
    """The documents of the batch the added document is in: the batch the sensor's run covered."""
    where = batch_of(p.stem for p in (server.root / "work" / "seeds").glob("*.txt"))
    return [d for d, b in where.items() if b == where[ADDED]]


def _of_the_run(published: pd.DataFrame, asset: str, partitioned: set[str], server: Server) -> pd.DataFrame:
    """The rows of a published table the sensor's run covered: those of the added document's batch for a
    per-document asset (its check and each batch's row count cover the run's batches), all of them for a
    whole-table one."""
    return published[published.doc_id.isin(_run_batch(server))] if asset in partitioned else published


def test_dagster_dev_serves_every_asset(server):
    nodes = _graphql(server.port, """{ assetNodes { assetKey { path } groupName description
        assetChecksOrError { ... on AssetChecks { checks { name blocking description } } } } }""")["assetNodes"]
    by_key = {"/".join(n["assetKey"]["path"]): n for n in nodes}
    assert set(STAGES) <= set(by_key)
    for key, n in by_key.items():
        assert n["groupName"] in LAYERS, (key, n["groupName"])
        assert n["description"], f"{key} has no description in the UI"
    # every published table's blocking check, on the asset producing it, with a description
    for tb in TABLES:
        checks = {c["name"]: c for c in by_key[ASSET_OF[tb.name]]["assetChecksOrError"]["checks"]}
        check = checks[f"{tb.name}_valid"]
        assert check["blocking"] and check["description"].startswith(f"`{tb.name}`"), check

    repo = _graphql(server.port, """{ repositoriesOrError { ... on RepositoryConnection { nodes { name
        location { name } jobs { name description }
        schedules { name cronSchedule executionTimezone description scheduleState { status } }
        sensors { name description sensorState { status } } } } } }""")
    location = repo["repositoriesOrError"]["nodes"][0]
    assert (location["location"]["name"], location["name"]) == (LOCATION, REPOSITORY)
    assert {j["name"]: j["description"] for j in location["jobs"]}["release_job"]
    assert [s["name"] for s in location["schedules"]] == ["daily_release"]
    schedule = location["schedules"][0]
    assert (schedule["cronSchedule"], schedule["executionTimezone"]) == ("0 6 * * *", "Asia/Shanghai")
    assert schedule["description"] and schedule["scheduleState"]["status"] == "RUNNING"
    assert [s["name"] for s in location["sensors"]] == ["seeds_sensor"]
    sensor = location["sensors"][0]
    assert sensor["description"] and sensor["sensorState"]["status"] == "RUNNING"


ALL_RUNS = "{ runsOrError { ... on Runs { results { runId status jobName tags { key value } } } } }"


def test_the_command_line_build_shows_in_the_ui(server, release_run):
    """`make dataset`, then `make ui`: the UI lists the command line's run and every asset it materialized, in every
    partition the command line's build had; every partition is materialized (read once the sensor's run for the
    added document is done, a stable state: each partition by the command line's run or the sensor's)."""
    runs = {r["runId"]: r for r in _graphql(server.port, ALL_RUNS)["runsOrError"]["results"]}
    cli = runs[server.cli_run]
    assert (cli["status"], cli["jobName"]) == ("SUCCESS", "release_job"), cli
    assert "dagster/sensor_name" not in {t["key"] for t in cli["tags"]}
    assert server.cli_partitions
    nodes = _graphql(server.port, """{ assetNodes { assetKey { path } isPartitioned
        partitionStats { numMaterialized numPartitions numFailed numMaterializing }
        assetMaterializations { runId partition } } }""")["assetNodes"]
    assert len(nodes) >= len(STAGES)
    partitioned = 0
    for n in nodes:
        key = "/".join(n["assetKey"]["path"])
        by_run: dict[str, set] = {}
        for m in n["assetMaterializations"]:
            by_run.setdefault(m["runId"], set()).add(m["partition"])
        assert server.cli_run in by_run, f"{key}: no materialization by the command line's run"
        if not n["isPartitioned"]:
            assert n["partitionStats"] is None, key
            continue
        partitioned += 1
        assert by_run[server.cli_run] == set(server.cli_partitions), key
        stats = n["partitionStats"]
        assert stats["numPartitions"] > 0 and stats["numMaterialized"] == stats["numPartitions"], (key, stats)
        assert (stats["numFailed"], stats["numMaterializing"]) == (0, 0), (key, stats)
        assert len(by_run[server.cli_run] | by_run[release_run]) == stats["numPartitions"], (key, stats)
    assert partitioned > 0


def test_launched_run_passes_every_blocking_check(server, release_run):
    query = "{ " + " ".join(f"{tb.name}: " + CHECK_EXECUTION % (ASSET_OF[tb.name], f"{tb.name}_valid")
                            for tb in TABLES) + " }"
    answer = _graphql(server.port, query)
    partitioned = _partitioned(server)
    for tb in TABLES:
        mine = [x for x in answer[tb.name] if x["runId"] == release_run]
        assert len(mine) == 1, (tb.name, answer[tb.name])
        execution = mine[0]
        assert execution["status"] == "SUCCEEDED", (tb.name, execution)
        evaluation = execution["evaluation"]
        assert evaluation["success"] and evaluation["description"] == "valid", (tb.name, evaluation)
        meta = _entries(evaluation["metadataEntries"])
        assert meta["failures"]["intValue"] == 0, tb.name
        cases = meta["failure_cases"]
        assert (cases["__typename"], cases["mdStr"]) == ("MarkdownMetadataEntry", "none"), tb.name
        rows = meta["rows"]["intValue"]
        published = pd.read_parquet(server.root / "work" / "dist" / "latest" / f"{tb.name}.parquet")
        assert rows == len(_of_the_run(published, ASSET_OF[tb.name], partitioned, server)), tb.name
        if tb.name in ("metrics", "laws", "sentences", "numbers", "proposals"):
            assert rows > 0, tb.name
    # the UI's "latest execution" of a check (shown on the asset page) is this run's
    latest = _graphql(server.port, """{ assetNodeOrError(assetKey: {path: ["metrics"]}) { ... on AssetNode {
        assetChecksOrError { ... on AssetChecks { checks { name
          executionForLatestMaterialization { runId status } } } } } } }""")
    (check,) = latest["assetNodeOrError"]["assetChecksOrError"]["checks"]
    assert check["executionForLatestMaterialization"] == {"runId": release_run, "status": "SUCCEEDED"}


def test_materializations_carry_row_count_column_schema_and_preview(server, release_run):
    latest = server.root / "work" / "dist" / "latest"
    nodes = _graphql(server.port, "{ assetNodes { assetKey { path } " + METADATA + " assetMaterializations(limit: 1) "
                                  "{ runId " + METADATA + " } } }")["assetNodes"]
    by_key = {"/".join(n["assetKey"]["path"]): n["assetMaterializations"] for n in nodes}
    definition = {"/".join(n["assetKey"]["path"]): _entries(n["metadataEntries"]) for n in nodes}
    partitioned = _partitioned(server)
    for key, materializations in by_key.items():
        assert len(materializations) == 1 and materializations[0]["runId"] == release_run, key
    for tb in TABLES:
        meta = _entries(by_key[ASSET_OF[tb.name]][0]["metadataEntries"])
        published = pd.read_parquet(latest / f"{tb.name}.parquet")
        assert meta["dagster/row_count"]["intValue"] == len(_of_the_run(published, ASSET_OF[tb.name], partitioned, server)), \
            tb.name
        # the column schema: on the materialization of a whole-table asset, on the definition of a per-document
        # one (Dagster would copy it into every partition's event)
        schema = meta.get("dagster/column_schema") or definition[ASSET_OF[tb.name]]["dagster/column_schema"]
        assert schema["__typename"] == "TableSchemaMetadataEntry", tb.name
        shown = [(c["name"], c["type"], c["description"]) for c in schema["schema"]["columns"]]
        if ASSET_OF[tb.name] == tb.name:  # the asset is the published table: its registry columns
            assert shown == [(c.name, c.dtype, c.description) for c in columns(tb)], tb.name
            assert all(description for _, _, description in shown), tb.name
        else:  # texts is published from clean_documents, an intermediate frame: its own columns
            assert [c.name for c in columns(tb)] == [n for n, _, _ in shown if n in set(tb.columns)], tb.name
        header = meta["preview"]["mdStr"].splitlines()[0]
        assert all(f" {name} " in header for name, _, _ in shown), tb.name
    raw = _entries(by_key["raw_documents"][0]["metadataEntries"])
    # the added document's batch: its documents, of which the run processed one, the added document
    assert raw["dagster/row_count"]["intValue"] == raw["documents"]["intValue"] == len(_run_batch(server))
    assert raw["processed"]["intValue"] == 1
    raw_schema = definition["raw_documents"]["dagster/column_schema"]["schema"]["columns"]
    assert [c["name"] for c in raw_schema][:2] == ["doc_id", "source_file"]
    schema = {c["name"]: c for c in definition["metrics"]["dagster/column_schema"]["schema"]["columns"]}
    assert schema["metric_id"]["constraints"] == {"nullable": False, "unique": True}


def test_release_published_into_the_temporary_dist(server, release_run):
    dist = server.root / "work" / "dist"
    latest = dist / "latest"
    assert latest.is_symlink() and latest.resolve().name.startswith("v")
    assert validate_release(latest) == []
    (materialization,) = _graphql(server.port, """{ assetNodeOrError(assetKey: {path: ["release"]}) {
        ... on AssetNode { assetMaterializations(limit: 1) { runId """ + METADATA + " } } } }"
                                  )["assetNodeOrError"]["assetMaterializations"]
    assert materialization["runId"] == release_run
    meta = _entries(materialization["metadataEntries"])
    assert meta["status"]["text"] == "published"
    assert Path(meta["path"]["path"]).resolve() == latest.resolve()
    assert meta["version"]["text"] == latest.resolve().name.removeprefix("v")
    for tb in TABLES:
        assert meta[f"rows/{tb.name}"]["intValue"] == len(pd.read_parquet(latest / f"{tb.name}.parquet")), tb.name
    # the batches of the seeds folder's documents: added by the command line, the sensor's run updated the added one's
    keys = _graphql(server.port, """{ partitionSetsOrError(repositorySelector: {repositoryLocationName: "%s",
        repositoryName: "%s"}, pipelineName: "release_job") { ... on PartitionSets { results {
        partitionsOrError { ... on Partitions { results { name } } } } } } }""" % (LOCATION, REPOSITORY))
    (pset,) = keys["partitionSetsOrError"]["results"]
    batches = set(batch_of(p.stem for p in (server.root / "work" / "seeds").glob("*.txt")).values())
    assert sorted(p["name"] for p in pset["partitionsOrError"]["results"]) == sorted(batches)
    ticks = _graphql(server.port, """{ sensorOrError(sensorSelector: {repositoryLocationName: "%s",
        repositoryName: "%s", sensorName: "seeds_sensor"}) { ... on Sensor { sensorState {
        ticks(limit: 10) { status skipReason runIds } } } } }""" % (LOCATION, REPOSITORY)
                     )["sensorOrError"]["sensorState"]["ticks"]
    assert ticks[-1]["status"] == "SUCCESS" and ticks[-1]["runIds"] == [release_run], ticks


def test_launchpad_run_of_the_release_level_assets_republishes_nothing_new(server, release_run):
    run_id, status = _launch(server, ["indicators", "problems", "panel", "release"])
    assert status == "SUCCESS", _run_errors(server, run_id)
    (materialization,) = _graphql(server.port, """{ assetNodeOrError(assetKey: {path: ["release"]}) {
        ... on AssetNode { assetMaterializations(limit: 1) { runId """ + METADATA + " } } } }"
                                  )["assetNodeOrError"]["assetMaterializations"]
    assert materialization["runId"] == run_id
    assert _entries(materialization["metadataEntries"])["status"]["text"] == "unchanged"
