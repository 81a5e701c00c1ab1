"""What a run has to do, from the seeds folder, the stored tables' stamps and the document partitions: which
partitions to add (new files) and delete (deleted files), which documents to process (new, changed, or processed
by other code), and the one partition range that covers exactly those.

Dagster runs a single-run backfill over a *range* of partitions, in the order they were added. So that new and
changed documents always form one range at the end, a changed document's partition is deleted and added again
(its history stays in the event log); when every document must be processed the order is left as it is."""

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import dagster as dg

from pipeline.assets.partitions import DOCUMENTS, document_stamp
from pipeline.assets.store import stamps as stored_stamps
from pipeline.extract.metadata import load_overrides
from pipeline.text.sources import METADATA_FILE, file_name, locate, source_sha


@dataclass(frozen=True)
class Plan:
    stamps: dict[str, str]  # every document of the seeds folder: its current stamp
    delete: tuple[str, ...]  # partitions to delete: files removed, then documents moved to the end
    add: tuple[str, ...]  # partitions to add, in this order, after the deletions
    process: tuple[str, ...]  # documents whose tables must be (re)computed, in partition order
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

    def summary(self) -> str:
        return (f"{len(self.stamps)} document(s): {len(self.process)} to process, "
                f"{len(self.stamps) - len(self.process)} unchanged, {len(self.removed)} removed")


def current_stamps(seeds: Path) -> dict[str, str]:
    """{document: stamp} of every file in the seeds folder (reads every file's bytes once)."""
    overrides = load_overrides(seeds / METADATA_FILE)
    return {doc_id: document_stamp(source_sha(path), overrides.get(file_name(path)))
            for doc_id, path in locate(seeds).items()}


def make_plan(current: dict[str, str], partitions: list[str], stored: dict[str, dict[str, str]]) -> Plan:
    """The plan for documents with ``current`` stamps, given the existing ``partitions`` (in order) and the
    ``stored`` stamps of each per-document asset ({asset: {document: stamp}})."""
    removed = [p for p in partitions if p not in current]
    kept = [p for p in partitions if p in current]
    new = sorted(d for d in current if d not in set(partitions))
    stale = {d for d in current if any(s.get(d) != current[d] for s in stored.values()) or not stored}
    order = kept + new
    tail = order[len(order) - len(stale):] if stale else []
    if set(tail) == stale:  # already one range at the end: nothing to move
        moved: list[str] = []
    else:
        moved = [p for p in kept if p in stale]
        order = [p for p in kept if p not in stale] + moved + new
    return Plan(stamps=dict(current), delete=tuple(removed + moved), add=tuple(moved + new),
                process=tuple(p for p in order if p in stale), removed=tuple(removed))


def plan_for(seeds: Path, store: Path, instance: dg.DagsterInstance, assets: list[str]) -> Plan:
    """The plan for the seeds folder against an instance's partitions and the store's stamps of ``assets``."""
    partitions = list(instance.get_dynamic_partitions(DOCUMENTS.name))
    return make_plan(current_stamps(seeds), partitions, {a: stored_stamps(store / a) for a in assets})


def apply_partitions(plan: Plan, instance: dg.DagsterInstance) -> None:
    """Delete and add the plan's partitions on an instance (the command line; a sensor returns requests)."""
    for key in plan.delete:
        instance.delete_dynamic_partition(DOCUMENTS.name, key)
    if plan.add:
        instance.add_dynamic_partitions(DOCUMENTS.name, list(plan.add))


def partition_requests(plan: Plan) -> list:
    """The plan's partition changes as a sensor's dynamic partition requests (deletions first)."""
    out: list = []
    if plan.delete:
        out.append(DOCUMENTS.build_delete_request(list(plan.delete)))
    if plan.add:
        out.append(DOCUMENTS.build_add_request(list(plan.add)))
    return out
