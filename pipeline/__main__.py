"""The command line: ``python -m pipeline release [--seeds DIR] [--dist DIR]`` runs the Dagster job in
process and publishes; ``python -m pipeline validate DIR`` re-validates a published release folder."""
from __future__ import annotations

import argparse
import logging
import sys
import time
from pathlib import Path

import dagster as dg


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


def cmd_release(seeds: Path, dist: Path) -> int:
    from pipeline.assets.settings import PipelineSettings
    from pipeline.definitions import build_definitions

    started = time.monotonic()
    handler = _Progress(sys.stdout, started)
    print(f"building a release from {seeds} into {dist}")
    defs = build_definitions(PipelineSettings(seeds_dir=str(seeds), dist_dir=str(dist)),
                             loggers={"progress": _progress_logger(handler)})
    job = defs.resolve_job_def("release_job")
    with dg.DagsterInstance.ephemeral() as instance:
        result = job.execute_in_process(instance=instance, raise_on_error=False,
                                        run_config={"loggers": {"progress": {}}})
    failed_checks = [e for e in result.get_asset_check_evaluations() if not e.passed]
    print(f"\nsummary ({time.monotonic() - started:.1f}s)")
    release = _release_metadata(result)
    if release:
        rows = {k.removeprefix("rows/"): v.value for k, v in release.items() if k.startswith("rows/")}
        print(f"  documents: {rows.get('documents', 0)}; problems: {rows.get('problems', 0)}")
        print("  rows: " + ", ".join(f"{k} {v}" for k, v in rows.items()))
    problems = _output(result, "problems")
    if problems is not None and len(problems):
        print(f"  problems ({len(problems)} file(s) left out):")
        for p in problems.itertuples():
            print(f"    - {p.source_file}: {p.reason} — {p.hint}")
    if handler.warnings:
        print(f"  warnings: {len(handler.warnings)} (listed above)")
    for failure in result.get_step_failure_events():
        error = failure.event_specific_data.error
        message = (error.message if error else "").strip().splitlines()
        print(f"  step {failure.step_key} failed: " + "\n    ".join(message[:40]))
    for check in failed_checks:
        cases = check.metadata.get("failure_cases")
        print(f"  failed check {check.asset_check_key.name} on {check.asset_key.to_user_string()}:")
        print("    " + (cases.value if cases else "").replace("\n", "\n    "))
    if not result.success or not release:
        print("  NOT published: the previous release, if any, is untouched.")
        return 1
    status, version = release["status"].value, release["version"].value
    if status == "unchanged":
        print(f"  unchanged: v{version} already holds exactly this build; nothing new published")
    else:
        print(f"  published v{version} at {release['path'].value}")
    return 0


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


def cmd_validate(folder: Path) -> int:
    from schemas.validate import validate_release

    failures = validate_release(folder)
    if not failures:
        print(f"{folder}: valid")
        return 0
    print(f"{folder}: {len(failures)} failure(s)")
    for f in failures:
        print(f"  - {f}")
    return 1


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m pipeline", description=__doc__)
    sub = ap.add_subparsers(dest="command", required=True)
    rel = sub.add_parser("release", help="run the Dagster job over every document and publish a release")
    rel.add_argument("--seeds", type=Path, default=Path("seeds"), help="folder of text files (default: seeds)")
    rel.add_argument("--dist", type=Path, default=Path("dist"), help="release folder (default: dist)")
    val = sub.add_parser("validate", help="re-validate a published release folder")
    val.add_argument("folder", type=Path)
    a = ap.parse_args(argv)
    if a.command == "release":
        return cmd_release(a.seeds, a.dist)
    return cmd_validate(a.folder)


if __name__ == "__main__":
    sys.exit(main())
