"""Runs over disjoint ranges of batches at the same time: how a build uses more than one core.

A run over a range of batches makes each per-document asset one step over all of them, and every asset of the chain
needs the one before it, so Dagster's executors (which run independent steps at once) have little to overlap: the
multiprocess executor built 1,000 documents in 1.73× and 10,000 in 0.95× the in-process time (issue 15, bench/run.py
``compare_ratio``). Dagster's unit of parallel work across partitions is the run (a backfill launches one run per
partition range), so the command line does the same: the plan's batches are cut into as many consecutive ranges as
there are cores (``Plan.shards``), one in-process run per range goes in its own process at once, then one run makes
the release-level tables from every batch. The store keeps one file per asset and batch, and its ``stamps.json`` is
changed under a lock (``store._edit_stamps``), so runs over disjoint batches never write the same thing.

The processes are forked from the command line, which has loaded the definitions already: a run starts in
milliseconds, not the seconds of importing Dagster again. Each opens the instance itself (nothing is shared but
files) and sends back what the command line's summary needs (``ShardResult``)."""
from __future__ import annotations

import multiprocessing
import sys
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class ShardResult:
    first: str   # the range of batches the run was over
    last: str
    success: bool
    failures: tuple[str, ...] = ()   # what to print of its failed steps and checks
    damaged: tuple[str, ...] = ()    # damaged stored tables it found (removed: planning again re-creates them)
    warnings: tuple[str, ...] = ()   # the warnings it logged (already printed)


def run_at_once(ranges: list[tuple[str, str]], run: Callable[[str, str], ShardResult]) -> list[ShardResult]:
    """``run(first, last)`` for every range, each in a process of its own, all at once; their results in the order of
    ``ranges``. A process that ends without a result (killed, out of memory) gives a failed one that says so."""
    context = multiprocessing.get_context("fork")
    sys.stdout.flush()   # a forked process would print again what is still buffered
    sys.stderr.flush()
    started = []
    for first, last in ranges:
        receive, send = context.Pipe(duplex=False)
        process = context.Process(target=_child, args=(run, first, last, send), name=f"batches {first}..{last}")
        process.start()
        send.close()
        started.append((process, receive, first, last))
    out = []
    for process, receive, first, last in started:
        try:
            result = receive.recv()
        except EOFError:
            result = None
        process.join()
        out.append(result if result is not None else ShardResult(first, last, False, failures=(
            f"the run over batches {first}..{last} ended without a result (exit code {process.exitcode}: killed, or "
            f"out of memory?); build again, or with --jobs 1 to run every batch in this process",)))
    return out


def _child(run: Callable[[str, str], ShardResult], first: str, last: str, send) -> None:
    try:
        result = run(first, last)
    except BaseException as err:   # whatever it is, the command line must hear of it
        result = ShardResult(first, last, False, failures=(f"{type(err).__name__}: {err}",))
    send.send(result)
    send.close()
