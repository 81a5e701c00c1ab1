"""The input folder (issue 13, items 2, 5 and 9): document ids unique by construction, never an overwrite; links
leading outside the folder, FIFOs, devices and folders are not read and are listed; an unreadable file is a named
problem, not a traceback."""
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.assets import ingest
from pipeline.assets.plan import current_stamps
from pipeline.text import sources
from pipeline.text.sources import scan
from conftest import run_release

ROOT = Path(__file__).resolve().parents[1]
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))


def _folder(tmp_path: Path, names: list[str]) -> Path:
    d = tmp_path / "in"
    d.mkdir()
    for i, n in enumerate(names):
        (d / n).write_text(f"文本{i}", encoding="utf-8")
    return d


def test_same_stem_other_extension_and_a_look_alike_get_three_ids(tmp_path):
    d = _folder(tmp_path, ["a.txt", "a.md", "a txt.md"])
    docs = scan(d).documents
    assert {k: v.name for k, v in docs.items()} == {"a": "a.txt", "a_md": "a.md", "a_txt_md": "a txt.md"}


@pytest.mark.parametrize("names", [["a.md"], ["a.md", "a.txt"], ["a.txt", "a.md", "a txt.md", "a_txt.md"]])
def test_an_id_depends_on_its_own_file_name_not_on_what_lies_beside_it(tmp_path, names):
    docs = scan(_folder(tmp_path, names)).documents
    assert {v.name: k for k, v in docs.items()}["a.md"] == "a_md"


def test_a_name_that_is_its_id_keeps_it_and_a_rewritten_look_alike_gets_a_suffix(tmp_path):
    d = _folder(tmp_path, ["a b.txt", "a_b.txt"])
    docs = {v.name: k for k, v in scan(d).documents.items()}
    assert docs["a_b.txt"] == "a_b" and docs["a b.txt"].startswith("a_b~") and len(docs["a b.txt"]) == 10


def test_an_unresolvable_collision_is_a_named_problem_not_an_overwrite(tmp_path):
    d = _folder(tmp_path, ["a b.txt", "a_b.txt"])
    taken = {v.name: k for k, v in scan(d).documents.items()}["a b.txt"]
    (d / f"{taken}.txt").write_text("另一个", encoding="utf-8")
    folder = scan(d)
    assert {v.name: k for k, v in folder.documents.items()} == {"a_b.txt": "a_b", f"{taken}.txt": taken}
    assert [c.name for c in folder.collisions] == ["a b.txt"] and "rename" in folder.collisions[0].hint


@pytest.mark.parametrize("name", ["=HYPERLINK(1+1).txt", "+1.txt", "-draft.txt", "@x.txt"])
def test_no_document_id_starts_like_a_spreadsheet_formula(tmp_path, name):
    d = _folder(tmp_path, [name])
    (doc_id,) = scan(d).documents
    assert not doc_id.startswith(("=", "+", "-", "@")) and doc_id.lstrip("_") == Path(name).stem


def test_links_outside_fifos_and_folders_are_skipped_unread_and_listed(tmp_path, monkeypatch):
    d = _folder(tmp_path, ["a.txt"])
    outside = tmp_path / "secret.txt"
    outside.write_text("机密", encoding="utf-8")
    os.symlink(outside, d / "link_out.txt")
    os.symlink("/proc/self/environ", d / "environ.txt")
    os.symlink(d / "a.txt", d / "link_in.txt")
    os.mkfifo(d / "pipe.txt")
    (d / "folder.txt").mkdir()
    read = []
    real = sources._open_regular
    monkeypatch.setattr(sources, "_open_regular", lambda path: read.append(path.name) or real(path))
    folder = scan(d)
    assert sorted(p.name for p in folder.documents.values()) == ["a.txt", "link_in.txt"]
    reasons = {s.name: s.reason for s in folder.skipped}
    assert set(reasons) == {"link_out.txt", "environ.txt", "pipe.txt", "folder.txt"}
    assert "outside the input folder" in reasons["link_out.txt"] and "FIFO" in reasons["pipe.txt"]
    assert "folder" in reasons["folder.txt"]
    current_stamps(d)   # the plan reads every document's bytes: never the skipped entries
    assert sorted(read) == ["a.txt", "link_in.txt"]


def test_an_unreadable_file_is_a_problem_with_its_name_not_a_traceback(tmp_path, monkeypatch):
    d = tmp_path / "in"
    d.mkdir()
    shutil.copy(SEEDS[0], d / "locked.txt")
    real = sources._open_regular

    def deny(path):
        if path.name == "locked.txt":
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(sources, "_open_regular", deny)
    stamps = current_stamps(d)   # planning goes on
    row = ingest.raw_row("locked", d / "locked.txt", {})
    assert row["problem"] == "cannot read the file: Permission denied" and "permission" in row["hint"]
    monkeypatch.setattr(sources, "_open_regular", real)
    assert current_stamps(d) != stamps   # readable again: the document is processed again


def test_the_command_line_lists_skipped_entries_and_publishes_the_three_documents(tmp_path, capsys):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    shutil.copy(SEEDS[0], seeds / "a.txt")
    shutil.copy(SEEDS[1], seeds / "a.md")
    shutil.copy(ROOT / "tests/fixtures/corpus" / sorted(os.listdir(ROOT / "tests/fixtures/corpus"))[0],
                seeds / "a txt.md")
    os.symlink("/etc/passwd", seeds / "passwd.txt")
    code = run_release(seeds, tmp_path / "dist")
    out = capsys.readouterr().out
    assert code == 0, out
    assert "passwd.txt: symbolic link leading outside the input folder" in out
    import pandas as pd
    docs = pd.read_parquet(tmp_path / "dist/latest/documents.parquet")
    assert dict(zip(docs.doc_id, docs.source_file)) == {"a": "a.txt", "a_md": "a.md", "a_txt_md": "a txt.md"}
    assert (docs.sha256.nunique(), len(docs)) == (3, 3)



def test_an_unresolvable_collision_is_a_problem_row_and_the_rest_is_published(tmp_path, capsys):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    corpus = sorted((ROOT / "tests/fixtures/corpus").glob("*.txt"))
    shutil.copy(SEEDS[0], seeds / "a_b.txt")
    shutil.copy(SEEDS[1], seeds / "a b.txt")
    taken = {v.name: k for k, v in scan(seeds).documents.items()}["a b.txt"]
    shutil.copy(corpus[0], seeds / f"{taken}.txt")
    assert run_release(seeds, tmp_path / "dist") == 0
    out = capsys.readouterr().out
    assert "a b.txt: document id 'a_b' is taken by a_b.txt" in out
    import pandas as pd
    problems = pd.read_parquet(tmp_path / "dist/latest/problems.parquet")
    assert problems[["source_file", "stage"]].values.tolist() == [["a b.txt", "locate"]]
    docs = pd.read_parquet(tmp_path / "dist/latest/documents.parquet")
    assert dict(zip(docs.doc_id, docs.source_file)) == {"a_b": "a_b.txt", taken: f"{taken}.txt"}


def test_a_huge_file_is_hashed_as_a_stream_and_refused_without_being_read_into_memory(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    with open(d / "huge.txt", "wb") as f:   # sparse: 300 MB on paper, nothing on disk
        f.truncate(300_000_000)
    code = ("import resource, sys; from pathlib import Path\n"
            "from pipeline.assets.plan import current_stamps; from pipeline.assets.ingest import raw_row\n"
            "d = Path(sys.argv[1]); before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
            "current_stamps(d); row = raw_row('huge', d / 'huge.txt', {})\n"
            "grew = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before\n"
            "print(grew // 1024, row['n_bytes'], row['problem'])\n")
    out = subprocess.run([sys.executable, "-c", code, str(d)], capture_output=True, text=True, cwd=ROOT, check=True)
    grew_mib, n_bytes, problem = out.stdout.split(" ", 2)
    assert int(grew_mib) < 50, out.stdout   # reading it whole would add 300 MiB
    assert int(n_bytes) == 300_000_000 and problem.startswith("file is 300.0 MB")


def test_a_gold_link_leading_outside_the_input_folder_is_not_followed(tmp_path):
    d = _folder(tmp_path, ["a.txt"])
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    os.symlink(outside, d / "gold")
    assert not sources.gold_folder(d).exists()
    (d / "gold").unlink()
    (d / "gold").mkdir()
    assert sources.gold_folder(d) == d / "gold"


@pytest.mark.parametrize("name, documents", [
    ("manifest.csv", False), ("scan.png", False), ("report.docx", False), ("noext", False),
    ("README.md", False), ("readme.txt", False), ("a.md", True), ("B.TXT", True)])
def test_only_text_files_are_documents_the_rest_is_listed_as_skipped(tmp_path, name, documents):
    folder = scan(_folder(tmp_path, ["a.txt", name]))
    assert (name in {p.name for p in folder.documents.values()}) == documents
    assert (name in {s.name for s in folder.skipped}) != documents
