"""The command line: ``python -m pipeline release [--seeds DIR] [--dist DIR] [--work DIR] [--executor NAME]`` runs
the Dagster job (new and changed documents, then the release) and publishes; ``python -m pipeline validate DIR``
re-validates a published release folder (``validate --all DIST``: every release of a dist folder and their hash
chain)."""
from __future__ import annotations

import argparse
import logging
import os
import sys
import time
from pathlib import Path

import dagster as dg

DEFAULT_EXECUTOR = "in_process"
EXECUTORS = ("in_process", "multiprocess", "dask")


class _Progress(logging.Handler):
    """Prints the assets' own progress lines and every warning or error, one line each, with elapsed time."""

    def __init__(self, stream, started: float):
        super().__init__(logging.INFO)
        self.stream, self.started, self.warnings = stream, started, []

    def emit(self, record: logging.LogRecord) -> None:
        meta = getattr(record, "dagster_meta", {}) or {}
        event = meta.get("dagster_event")
        message = meta.get("orig_message") or record.getMessage()
        if event is not None:
            if event.event_type_value in ("STEP_FAILURE", "RUN_FAILURE"):
                self.stream.write(f"[{time.monotonic() - self.started:6.1f}s] FAILED {meta.get('step_key') or ''}: "
                                  f"{message}\n")
            return
        if record.levelno >= logging.WARNING:
            self.warnings.append(message)
        tag = "warning: " if record.levelno >= logging.WARNING else ""
        self.stream.write(f"[{time.monotonic() - self.started:6.1f}s] {tag}{message}\n")
        self.stream.flush()


def _progress_logger(handler: logging.Handler) -> dg.LoggerDefinition:
    @dg.logger(description="Compact progress lines for the command line.")
    def progress(_init_context) -> logging.Logger:
        log = logging.Logger("pipeline.progress", level=logging.INFO)
        log.addHandler(handler)
        return log
    return progress


def cmd_release(seeds: Path, dist: Path, work: Path | None = None, executor: str = DEFAULT_EXECUTOR,
                wait: float = 0.0, jobs: int = 1) -> int:
    """Build and publish, holding the work and dist folders' build lock for the whole build (one build at a time:
    a second one waits ``wait`` seconds, then exits with code 3 and who holds the lock)."""
    from pipeline.assets.settings import work_dir_for
    from pipeline.buildlock import BuildLocked, hold

    work = work or work_dir_for(dist)
    try:
        with hold(work, dist, wait=wait):
            return _build(seeds, dist, work, executor, jobs)
    except BuildLocked as err:
        print(f"error: {err}")
        return 3


def _build(seeds: Path, dist: Path, work: Path, executor: str, jobs: int = 1) -> int:
    from pipeline.assets.plan import current_stamps
    from pipeline.assets.settings import PipelineSettings
    from pipeline.assets.uptodate import fingerprint, up_to_date
    from pipeline.instance import instance_home
    from pipeline.text.sources import scan

    started = time.monotonic()
    print(f"building a release from {seeds} into {dist} (work folder {work}, {executor} executor, Dagster instance "
          f"{instance_home(work)})")
    settings = PipelineSettings(seeds_dir=str(seeds), dist_dir=str(dist), work_dir=str(work), processes=jobs)
    try:
        stamps = current_stamps(seeds)
    except FileNotFoundError as err:
        print(f"error: {err}")
        return 2
    state = fingerprint(seeds, stamps, settings.store, dist, instance_home(work))
    # Nothing changed since the last build that succeeded: say so before loading Dagster's definitions and instance
    # and dask, which a no-op would pay for nothing (a no-op build of 1,000 documents: 3.5 s -> 1.4 s)
    if up_to_date(work, state):
        print(f"[{time.monotonic() - started:6.1f}s] plan: {len(stamps)} document(s): 0 to process, "
              f"{len(stamps)} unchanged, 0 removed (as the last build left them)")
        return _nothing_to_do(dist, started, scan(seeds).skipped)
    return _run(seeds, dist, work, executor, settings, stamps, state, started, jobs)


def _run(seeds: Path, dist: Path, work: Path, executor: str, settings, stamps: dict[str, str], state: dict,
         started: float, jobs: int = 1) -> int:
    from pipeline.assets.automation import run_target, shard_targets, stored_assets
    from pipeline.assets.executors import run_config_for
    from pipeline.assets.plan import apply_partitions, plan_for, prune_store
    from pipeline.assets.store import check_store
    from pipeline.assets.uptodate import forget as forget_state
    from pipeline.assets.uptodate import store_changes
    from pipeline.definitions import build_definitions
    from pipeline.instance import open_instance
    from pipeline.text.sources import scan

    # One "planned" event per asset for the run's partition range, not one per asset and document (Dagster's
    # switch; its cost: a failed run does not mark its partitions failed, so the UI shows them not materialized
    # rather than failed; the build itself reads the store's stamps): 200 documents' raw_documents step 7.9 s -> 3.3 s.
    os.environ.setdefault("DAGSTER_EMIT_PARTITION_SUBSET_IN_PLANNED_EVENTS", "true")
    handler = _Progress(sys.stdout, started)
    # files of the store changed since the last build left it (edited, truncated, copied in): checked now, since a
    # run reads only the batches it needs; a damaged one is removed and its documents processed again
    for message in check_store(settings.store, *store_changes(work, settings.store)):
        print(f"[{time.monotonic() - started:6.1f}s] warning: {message}")
    defs = build_definitions(settings, loggers={"progress": _progress_logger(handler)})
    graph = defs.resolve_asset_graph()
    with open_instance(work) as instance:   # the persistent instance the UI reads (pipeline.instance)
        for attempt in (1, 2):
            try:
                plan = plan_for(seeds, settings.store, instance, stored_assets(graph), stamps if attempt == 1 else None)
            except FileNotFoundError as err:
                print(f"error: {err}")
                return 2
            print(f"[{time.monotonic() - started:6.1f}s] plan: {plan.summary()}")
            skipped = scan(seeds).skipped
            forget_state(work)   # until this build succeeds: a failed or killed build leaves nothing to trust
            apply_partitions(plan, instance)
            prune_store(plan, settings.store, stored_assets(graph))
            target = run_target(plan, graph)
            if executor == "in_process":
                job = defs.resolve_job_def("release_job")
                ranges = plan.shards(jobs) if jobs > 1 else []
                if len(ranges) > 1:   # runs over disjoint ranges of batches at once, then the release's
                    before, over, target = shard_targets(graph)
                    failed = _run_shards(job, work, before, over, ranges, instance, handler, started)
                    if failed is not None and attempt == 1 and failed.damaged(started):
                        continue
                    if failed is not None:
                        return failed.report(started)
                result = job.execute_in_process(
                    instance=instance, raise_on_error=False, run_config={"loggers": {"progress": {}}}, **target)
                if attempt == 1 and _damaged_store(result, started):
                    continue
                return _remember(_report(result, handler, started, skipped), work, state, settings, dist)
            run_config = {**run_config_for(executor), "resources": settings_config(settings)}
            from pipeline.definitions import release_job_def
            with dg.execute_job(dg.reconstructable(release_job_def), instance, run_config=run_config,
                                raise_on_error=False, **target) as result:
                if attempt == 1 and _damaged_store(result, started):
                    continue
                return _remember(_report(result, handler, started, skipped), work, state, settings, dist)
    return 1


def _count(text: str) -> int:
    """A command-line count of at least 1."""
    try:
        n = int(text)
    except ValueError:
        n = 0
    if n < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of at least 1")
    return n


def default_jobs() -> int:
    """Runs at once by default: one per CPU this process may use."""
    from pipeline.assets.settings import cpus
    return cpus()


class _ShardsFailed:
    """What the summary reads of a build whose runs over ranges of batches did not all succeed: it stands for the
    run result ``_report``, ``_failures`` and ``_damaged_store`` read."""

    def __init__(self, results, before=None):
        self.results, self.before = results, before

    def damaged(self, started: float) -> bool:
        """Did a run stop on damaged stored tables? Then say so, as ``_damaged_store`` does for one run."""
        if self.before is not None:
            return _damaged_store(self.before, started)
        return _say_damaged([m for r in self.results for m in r.damaged], started)

    def report(self, started: float) -> int:
        print(f"\nsummary ({time.monotonic() - started:.1f}s)")
        for line in _failures(self.before) if self.before is not None else []:
            print(line)
        for r in self.results:
            if not r.success:
                print(f"  in the run over batches {r.first}..{r.last}:")
                for line in r.failures:
                    print(line)
        print("  NOT published: the previous release, if any, is untouched.")
        return 1


def _run_shards(job, work: Path, before: dict, over, ranges, instance, handler, started: float):
    """The per-document tables in one run per range of batches, at once (``pipeline.assets.shards``; ``over(first,
    last)``: a range's run target), after the release-level tables they read (``before``). None when every run
    succeeded (the caller then runs the release), else what failed (``_ShardsFailed``)."""
    from pipeline.assets import store
    from pipeline.assets.shards import ShardResult, run_at_once
    from pipeline.instance import open_instance

    config = {"loggers": {"progress": {}}}
    first = job.execute_in_process(instance=instance, raise_on_error=False, run_config=config, **before)
    if not first.success:
        return _ShardsFailed([], first)
    print(f"[{time.monotonic() - started:6.1f}s] {len(ranges)} runs at once over batches "
          + ", ".join(f"{a}..{b}" for a, b in ranges))
    seen = len(handler.warnings)

    def one(start: str, end: str) -> ShardResult:
        store.MEMO_BUDGET //= len(ranges)   # (a forked process: its own copy) the runs at once share the memory
        with open_instance(work) as own:
            result = job.execute_in_process(instance=own, raise_on_error=False, run_config=config, **over(start, end))
        return ShardResult(start, end, result.success, failures=tuple(_failures(result)),
                           damaged=tuple(e.message.strip() for e in _causes(result, "DamagedStoreEntry")),
                           warnings=tuple(handler.warnings[seen:]))

    results = run_at_once(ranges, one)
    for r in results:
        handler.warnings.extend(r.warnings)
    return None if all(r.success for r in results) else _ShardsFailed(results)


def _remember(code: int, work: Path, state: dict, settings, dist: Path) -> int:
    """After a build that succeeded, record the state it left (``uptodate``): the next build with nothing changed
    has nothing to do."""
    from pipeline.assets.uptodate import record
    from pipeline.instance import instance_home

    if code == 0:
        record(work, state, settings.store, dist, instance_home(work))
    return code


def _nothing_to_do(dist: Path, started: float, skipped) -> int:
    latest = dist / "latest"
    version = os.readlink(latest).removeprefix("v") if latest.is_symlink() else "?"
    print(f"\nsummary ({time.monotonic() - started:.1f}s)")
    if skipped:
        print(f"  skipped ({len(skipped)} entr{'y' if len(skipped) == 1 else 'ies'} of the input folder not read):")
        for k in skipped:
            print(f"    - {k.name}: {k.reason} — {k.hint}")
    print(f"  unchanged: v{version} already holds exactly this build; nothing new published (nothing changed "
          f"since the last build: no run started)")
    return 0


def _damaged_store(result, started: float) -> bool:
    """Did the run stop on damaged stored tables (removed by the store as it found them)? Then say so: the caller
    plans again, which processes those documents again from their sources."""
    return _say_damaged([e.message.strip() for e in _causes(result, "DamagedStoreEntry")], started)


def _say_damaged(messages: list[str], started: float) -> bool:
    for m in messages:
        print(f"[{time.monotonic() - started:6.1f}s] warning: {m}")
    if messages:
        print(f"[{time.monotonic() - started:6.1f}s] re-creating the damaged stored tables from their source "
              f"documents: planning and running again")
    return bool(messages)


def settings_config(settings) -> dict:
    """Run config giving a reconstructed job (another process, a Dask worker) the same folders."""
    return {"settings": {"config": {"seeds_dir": settings.seeds_dir, "dist_dir": settings.dist_dir,
                                    "work_dir": settings.work_dir, "processes": settings.processes}},
            "io_manager": {"config": {"base_dir": str(settings.store)}}}


def _report(result, handler: "_Progress", started: float, skipped=()) -> int:
    print(f"\nsummary ({time.monotonic() - started:.1f}s)")
    release = _release_metadata(result)
    if release:
        rows = {k.removeprefix("rows/"): v.value for k, v in release.items() if k.startswith("rows/")}
        print(f"  documents: {rows.get('documents', 0)}; problems: {rows.get('problems', 0)}")
        print("  rows: " + ", ".join(f"{k} {v}" for k, v in rows.items()))
    problems = _output(result, "problems")
    if problems is not None and len(problems):
        print(f"  problems ({len(problems)}: input files left out, metadata.csv cells not used):")
        for p in problems.itertuples():
            print(f"    - {p.source_file}: {p.reason} — {p.hint}")
    if skipped:
        print(f"  skipped ({len(skipped)} entr{'y' if len(skipped) == 1 else 'ies'} of the input folder not read):")
        for k in skipped:
            print(f"    - {k.name}: {k.reason} — {k.hint}")
    if handler.warnings:
        print(f"  warnings: {len(handler.warnings)} (listed above)")
    for line in _failures(result):
        print(line)
    partly = _partly_published(result)
    if partly is not None:   # the release step failed after the new release was in place: say what is published
        print(f"  {partly}")
        return 1
    if not result.success or not release:
        print("  NOT published: the previous release, if any, is untouched.")
        return 1
    status, version = release["status"].value, release["version"].value
    if status == "unchanged":
        print(f"  unchanged: v{version} already holds exactly this build; nothing new published")
    else:
        print(f"  published v{version} at {release['path'].value}")
    return 0


def _failures(result) -> list[str]:
    """The summary's lines about what failed in a run: the run itself (before any step), its steps, its checks."""
    out = []
    if not result.success and not result.get_step_failure_events():   # the run failed before any step (resources)
        for event in result.all_events:
            error = getattr(event.event_specific_data, "error", None)
            if event.event_type_value in ("RESOURCE_INIT_FAILURE", "PIPELINE_FAILURE") and error is not None:
                out.append("  run failed: " + "\n    ".join(failure_lines(error)))
                break
    for failure in result.get_step_failure_events():
        error = failure.event_specific_data.error
        if getattr(root_cause(error), "cls_name", None) == "PartlyPublished":
            continue   # said once, below, as what state the dist folder is in
        out.append(f"  step {failure.step_key} failed: " + "\n    ".join(failure_lines(error)))
    for check in result.get_asset_check_evaluations():
        if not check.passed:
            cases = check.metadata.get("failure_cases")
            out.append(f"  failed check {check.asset_check_key.name} on {check.asset_key.to_user_string()}:\n"
                       + "    " + (cases.value if cases else "").replace("\n", "\n    "))
    return out


def _partly_published(result) -> str | None:
    """What is published when the release step failed after the release was renamed into place (publish's
    PartlyPublished: the link or the page is not up to date yet), or None."""
    for cause in _causes(result, "PartlyPublished"):
        return (cause.message or "").strip().split(": ", 1)[-1].splitlines()[0]
    return None


def _causes(result, cls_name: str) -> list:
    """The root causes of the run's failed steps that are ``cls_name`` exceptions."""
    causes = (root_cause(f.event_specific_data.error) for f in result.get_step_failure_events())
    return [c for c in causes if c is not None and c.cls_name == cls_name]


def root_cause(error):
    """The innermost error of a Dagster error chain: the exception the step raised, not Dagster's wrapper
    ("Error occurred while executing op ...")."""
    while error is not None and (error.cause or error.context) is not None:
        error = error.cause or error.context
    return error


def failure_lines(error) -> list[str]:
    """What a failed step prints: the underlying exception's type and message (at most 40 lines) and what to do."""
    if error is None:
        return ["(no error recorded)"]
    from pipeline.errors import advice

    cause = root_cause(error)
    # (an exception's message starts with its class name: "OSError: [Errno 28] No space left on device")
    lines = (cause.message or "").strip().splitlines()[:40] or [cause.cls_name or "error"]
    return lines + [f"what to do: {advice(cause.cls_name or '', cause.message or '')}"]


def _output(result, node: str):
    """An asset's value from an in-process run, or None when the step did not run."""
    try:
        return result.output_for_node(node)
    except dg.DagsterError:  # the step failed or was skipped
        return None


def _release_metadata(result) -> dict | None:
    for event in result.get_asset_materialization_events():
        mat = event.event_specific_data.materialization
        if mat.asset_key.to_user_string() == "release":
            return dict(mat.metadata)
    return None


def cmd_validate(folder: Path, every: bool = False) -> int:
    """``folder``: a release folder (its tables, files, metadata, and its hash-chain entry when the release it follows
    is beside it); with ``every``, a dist folder: every release in it, the chain between them and dist/latest."""
    from pipeline.release.verify import verify_dist, verify_release

    if not every:
        failures = verify_release(folder)
        if not failures:
            print(f"{folder}: valid")
            return 0
        print(f"{folder}: {len(failures)} failure(s)")
        for f in failures:
            print(f"  - {f}")
        return 1
    if not folder.is_dir():
        print(f"{folder}: not a folder")
        return 1
    report = verify_dist(folder)
    for name, failures in report.failures.items():
        print(f"{folder / name}: " + (f"{len(failures)} failure(s)" if failures else "valid"))
        for f in failures:
            print(f"  - {f}")
    print(f"{folder}: hash chain, latest and index.html: "
          + (f"{len(report.chain)} failure(s)" if report.chain else "valid"))
    for f in report.chain:
        print(f"  - {f}")
    for note in report.notes:
        print(f"  note: {note}")
    return 0 if report.valid and report.failures else 1


def _tolerant_output() -> None:
    """Never fail on printing: a terminal or pipe whose encoding cannot show Chinese (PYTHONIOENCODING=latin-1, a
    C locale) gets \\uXXXX escapes instead of a UnicodeEncodeError."""
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")


def main(argv: list[str] | None = None) -> int:
    _tolerant_output()
    ap = argparse.ArgumentParser(prog="python -m pipeline", description=__doc__)
    sub = ap.add_subparsers(dest="command", required=True)
    rel = sub.add_parser("release", help="run the Dagster job over every document and publish a release")
    rel.add_argument("--seeds", type=Path, default=Path("seeds"), help="folder of text files (default: seeds)")
    rel.add_argument("--dist", type=Path, default=Path("dist"), help="release folder (default: dist)")
    rel.add_argument("--work", type=Path, default=None,
                     help="work folder: per-document tables, so only new or changed documents are processed, and "
                          "the Dagster instance the UI reads, <work>/dagster unless DAGSTER_HOME is set (default: "
                          "build/<dist name> beside dist)")
    rel.add_argument("--executor", choices=EXECUTORS, default=DEFAULT_EXECUTOR,
                     help="run the steps in this process (default), a process per step, or on a local Dask cluster")
    rel.add_argument("--jobs", type=_count, default=None, metavar="N",
                     help="with the in-process executor, build the per-document tables in N runs over disjoint "
                          "batches at once, one process each; with any executor, write and check the release's table "
                          "parts in N processes (default: the number of CPUs this process may use; 1: one run, one "
                          "process)")
    rel.add_argument("--wait", type=float, default=0.0, metavar="SECONDS",
                     help="when another build holds the work or dist folder, wait this long for it (default: exit "
                          "at once with code 3)")
    val = sub.add_parser("validate", help="re-validate a published release folder (or, with --all, a dist folder)")
    val.add_argument("folder", type=Path)
    val.add_argument("--all", action="store_true", dest="every",
                     help="FOLDER is a dist folder: validate every release in it and the hash chain between them")
    a = ap.parse_args(argv)
    if a.command == "release":
        return cmd_release(a.seeds, a.dist, a.work, a.executor, a.wait, default_jobs() if a.jobs is None else a.jobs)
    return cmd_validate(a.folder, a.every)


if __name__ == "__main__":
    sys.exit(main())
