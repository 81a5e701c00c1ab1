"""What a run has to do, from the seeds folder, the stored tables' stamps and the batch partitions: which batches
to add (new) and delete (gone: their documents deleted, or the batch split in two), which documents to process
(new, changed, or processed by other code), which batches to run (those holding such a document, or one removed or
moved), and the one partition range that covers exactly those batches.

Dagster runs a single-run backfill over a *range* of partitions, in the order they were added. So that the batches
to run always form one range at the end, a stale batch's partition is deleted and added again (its history stays
in the event log); when every batch must be run the order is left as it is."""

import hashlib
import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import dagster as dg

from pipeline.assets.partitions import BATCHES, batch_of, document_stamp, members
from pipeline.assets.store import prune, stamps as stored_stamps
from pipeline.extract.metadata import load_overrides
from pipeline.text.sources import METADATA_FILE, file_name, locate, source_sha


MIN_PER_RUN = 100   # documents to process a run at least, when a build runs several at once (``Plan.shards``)


@dataclass(frozen=True)
class Plan:
    stamps: dict[str, str]  # every document of the seeds folder: its current stamp
    batches: dict[str, str]  # every document of the seeds folder: its batch
    delete: tuple[str, ...]  # partitions (batches) to delete: gone, then batches moved to the end
    add: tuple[str, ...]  # partitions to add, in this order, after the deletions
    process: tuple[str, ...]  # batches to run (a document new, changed, moved or removed), in partition order
    changed: tuple[str, ...]  # documents whose tables must be (re)computed
    removed: tuple[str, ...]  # documents whose file is gone

    @property
    def partition_range(self) -> tuple[str, str] | None:
        return (self.process[0], self.process[-1]) if self.process else None

    @property
    def changes_anything(self) -> bool:
        return bool(self.delete or self.add or self.process)

    def signature(self) -> str:
        """Identifies what this plan asks for (a sensor's cursor: the same plan is not requested twice)."""
        body = json.dumps([self.stamps, self.process, self.removed], sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(body.encode()).hexdigest()[:16]

    def shards(self, n: int) -> list[tuple[str, str]]:
        """The batches to run as at most ``n`` consecutive ranges (first, last), cut so that the range with the most
        documents to process has as few as can be: runs over disjoint ranges go at the same time
        (``pipeline.assets.shards``), and the build waits for the longest. No more ranges than there are
        MIN_PER_RUN documents to process: a run more costs about 0.6 s (two documents in two batches, one run 4.8 s,
        two runs at once 5.5 s), about what 30 documents' text work saves on a second core; 100 leaves room for
        batches of uneven size."""
        if not self.process:
            return []
        weight = Counter(self.batches[d] for d in self.changed if d in self.batches)
        sizes = [max(weight.get(b, 0), 1) for b in self.process]
        n = max(1, min(n, sum(weight.values()) // MIN_PER_RUN))

        def cuts(cap: int) -> list[int]:   # where ranges end, each at most ``cap`` documents (greedy)
            out, load = [], 0
            for i, size in enumerate(sizes):
                if load + size > cap:
                    out.append(i - 1)
                    load = 0
                load += size
            return out + [len(sizes) - 1]

        low, high = max(sizes), sum(sizes)
        while low < high:   # the smallest cap that needs no more than n ranges
            mid = (low + high) // 2
            low, high = (low, mid) if len(cuts(mid)) <= n else (mid + 1, high)
        ends = cuts(low)
        return [(self.process[a + 1 if k else 0], self.process[b]) for k, (a, b) in enumerate(zip([-1, *ends], ends))]

    def summary(self) -> str:
        n_batches = len(set(self.batches.values()))
        return (f"{len(self.stamps)} document(s): {len(self.changed)} to process, "
                f"{len(self.stamps) - len(self.changed)} unchanged, {len(self.removed)} removed; "
                f"{len(self.process)} of {n_batches} batch(es) to run")


def current_stamps(seeds: Path) -> dict[str, str]:
    """{document: stamp} of every file in the seeds folder (reads every file's bytes once)."""
    overrides = load_overrides(seeds / METADATA_FILE)
    return {doc_id: document_stamp(source_sha(path), overrides.get(file_name(path)))
            for doc_id, path in locate(seeds).items()}


def _signature(pairs: list[tuple[str, str]]) -> str:
    return hashlib.sha256(json.dumps(sorted(pairs), ensure_ascii=False).encode("utf-8")).hexdigest()[:16]


def make_plan(current: dict[str, str], partitions: list[str],
              stored: dict[str, dict[str, tuple[str, str]]]) -> Plan:
    """The plan for documents with ``current`` stamps, given the existing ``partitions`` (batches, in order) and
    what each per-document asset has stored ({asset: {document: (stamp, batch)}}). A batch is run when, for some
    asset, the documents it stores for the batch and their stamps are not the batch's current ones."""
    where = batch_of(current)
    now = {b: _signature([(d, current[d]) for d in docs]) for b, docs in members(where).items()}
    kept_by = {a: {b: _signature([(d, s[0]) for d, s in recorded.items() if s[1] == b]) for b in now}
               for a, recorded in stored.items()}
    stale = {b for b in now if any(k.get(b) != now[b] for k in kept_by.values()) or not stored}
    removed = [p for p in partitions if p not in now]
    kept = [p for p in partitions if p in now]
    new = sorted(b for b in now if b not in set(partitions))
    order = kept + new
    tail = order[len(order) - len(stale):] if stale else []
    if set(tail) == stale:  # already one range at the end: nothing to move
        moved: list[str] = []
    else:
        moved = [p for p in kept if p in stale]
        order = [p for p in kept if p not in stale] + moved + new
    changed = sorted(d for d in current if not stored or any(r.get(d, ("",))[0] != current[d]
                                                               for r in stored.values()))
    gone = sorted({d for r in stored.values() for d in r if d not in current})
    return Plan(stamps=dict(current), batches=where, delete=tuple(removed + moved), add=tuple(moved + new),
                process=tuple(p for p in order if p in stale), changed=tuple(changed), removed=tuple(gone))


def plan_for(seeds: Path, store, instance: dg.DagsterInstance, assets: list[str],
             current: dict[str, str] | None = None) -> Plan:
    """The plan for the seeds folder (``current``: its stamps, when already computed) against an instance's
    partitions and the store's stamps of ``assets``."""
    partitions = list(instance.get_dynamic_partitions(BATCHES.name))
    current = current_stamps(seeds) if current is None else current
    return make_plan(current, partitions, {a: stored_stamps(store / a) for a in assets})


def prune_store(plan: Plan, store, assets: list[str]) -> None:
    """Let the store forget documents that are gone and batch files no document is in any more."""
    for a in assets:
        prune(store / a, plan.batches)


def apply_partitions(plan: Plan, instance: dg.DagsterInstance) -> None:
    """Delete and add the plan's partitions on an instance (the command line; a sensor returns requests)."""
    for key in plan.delete:
        instance.delete_dynamic_partition(BATCHES.name, key)
    if plan.add:
        instance.add_dynamic_partitions(BATCHES.name, list(plan.add))


def partition_requests(plan: Plan) -> list:
    """The plan's partition changes as a sensor's dynamic partition requests (deletions first)."""
    out: list = []
    if plan.delete:
        out.append(BATCHES.build_delete_request(list(plan.delete)))
    if plan.add:
        out.append(BATCHES.build_add_request(list(plan.add)))
    return out
