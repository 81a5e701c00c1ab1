"""The same job on other executors, chosen by configuration only: a small corpus (the seeds and four generated
documents, six partitions) built on a local Dask cluster (dagster-dask, two worker processes) and with a process
per step gives a release byte-identical to the in-process build."""
import filecmp
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.buildlock import LOCK_NAME  # who holds the folder: not part of a release
from pipeline.release.parts import RECORD as PARTS_RECORD   # the identities of the files published: bookkeeping

from conftest import ROOT, SEEDS, run_release

@pytest.fixture(scope="module")
def small_corpus(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("executors")
    seeds = root / "seeds"
    shutil.copytree(SEEDS, seeds)
    generated = root / "generated"
    subprocess.run([sys.executable, str(ROOT / "bench" / "make_corpus.py"), "4", str(generated), "--seed", "3"],
                   check=True, capture_output=True)
    for p in generated.iterdir():
        if p.name != "manifest.csv":
            shutil.copyfile(p, seeds / p.name)
    return seeds


@pytest.fixture(scope="module")
def in_process(small_corpus, tmp_path_factory) -> Path:
    dist = tmp_path_factory.mktemp("in_process") / "dist"
    assert run_release(small_corpus, dist) == 0
    return dist


def differences(a: Path, b: Path) -> list[str]:
    """Files that differ or exist on one side only, anywhere under two dist folders."""
    left = {p.relative_to(a) for p in a.rglob("*") if p.is_file() and p.name not in (LOCK_NAME, PARTS_RECORD)}
    right = {p.relative_to(b) for p in b.rglob("*") if p.is_file() and p.name not in (LOCK_NAME, PARTS_RECORD)}
    out = sorted(str(p) for p in left ^ right)
    out += sorted(str(p) for p in left & right if not filecmp.cmp(a / p, b / p, shallow=False))
    return out


@pytest.mark.parametrize("executor", ["dask", "multiprocess"])
def test_release_is_byte_identical_on_another_executor(executor, small_corpus, in_process, tmp_path, capsys):
    dist = tmp_path / "dist"
    assert run_release(small_corpus, dist, "--executor", executor) == 0
    out = capsys.readouterr().out
    assert f"{executor} executor" in out and "6 to process" in out and "published v0.1.0" in out
    assert differences(in_process, dist) == []
    assert (dist / "latest").resolve().name == "v0.1.0"


def _structure(field) -> object:
    """A config field's shape: its kind, whether it is required, and its fields' shapes by name."""
    kind = field.config_type.kind.name
    fields = getattr(field.config_type, "fields", None)
    inner = {name: _structure(f) for name, f in sorted(fields.items())} if fields else None
    return kind, field.is_required, inner


def test_dask_config_is_dagster_dasks():
    """The Dask executor's config is declared without importing dagster_dask (pipeline.assets.executors): it must
    accept exactly what dagster-dask's own executor accepts."""
    from dagster_dask import dask_executor

    from pipeline.assets.executors import partition_safe_dask_executor

    ours = partition_safe_dask_executor.config_schema.as_field()
    theirs = dask_executor.config_schema.as_field()
    assert _structure(ours) == _structure(theirs)


def test_neither_the_executors_nor_a_no_op_build_import_dask():
    """Declaring the executors does not import dagster_dask, and what a build with nothing changed imports does
    not import dask at all (1.45 s of every start)."""
    code = ("import sys; import pipeline.assets.executors, pipeline.assets.plan, pipeline.assets.uptodate, "
            "pipeline.assets.settings, pipeline.instance, pipeline.text.sources; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('dask', 'distributed', 'dagster_dask')))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
