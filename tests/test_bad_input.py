"""Bad input: undecodable, empty, binary and non-report files are named with a reason in `problems`
and in the CLI summary, and the other documents still make a release."""
import pandas as pd

from conftest import run_release


def test_bad_files_are_reported_and_the_rest_go_on(seeds_copy, tmp_path, capsys):
    (seeds_copy / "empty.txt").write_bytes(b"")
    (seeds_copy / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    (seeds_copy / "english.txt").write_text("Quarterly sales were strong across all regions.\n" * 20, encoding="utf-8")
    (seeds_copy / "copy of 000.txt").write_bytes((seeds_copy / "000_176ab9c851656b8e.txt").read_bytes())
    seed1 = (seeds_copy / "001_4a3b9fde25d10259.txt").read_text("utf-8")
    (seeds_copy / "报告 utf16.txt").write_bytes(seed1.encode("utf-16"))  # same text, other encoding
    (seeds_copy / "metadata.csv").write_text("source_file,speaker,plan_year\n000_176ab9c851656b8e.txt,张三,2030\n",
                                              encoding="utf-8")  # overrides, not a document
    dist = tmp_path / "dist"
    assert run_release(seeds_copy, dist) == 0
    out = capsys.readouterr().out
    problems = pd.read_parquet(dist / "latest" / "problems.parquet")
    named = dict(zip(problems["source_file"], problems["reason"]))
    assert set(named) == {"empty.txt", "english.txt", "copy of 000.txt", "报告 utf16.txt"}
    assert "image.png: a .png file, not read" in out[out.index("skipped ("):]   # no text file: skipped, no problem
    assert "001_4a3b9fde25d10259.txt" in named["报告 utf16.txt"] and "encoding" in named["报告 utf16.txt"]
    assert "empty" in named["empty.txt"]
    assert "000_176ab9c851656b8e.txt" in named["copy of 000.txt"]
    assert all(problems["hint"] != "")
    for name in named:
        assert name in out, f"the CLI summary does not name {name}"
    docs = pd.read_parquet(dist / "latest" / "documents.parquet")
    assert sorted(docs["doc_id"]) == ["000_176ab9c851656b8e", "001_4a3b9fde25d10259"]
    seed = docs.set_index("doc_id").loc["000_176ab9c851656b8e"]
    assert (seed["speaker"], seed["plan_year"]) == ("张三", 2030)


def test_a_folder_without_documents_publishes_nothing(tmp_path, capsys):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "empty.txt").write_bytes(b"")
    dist = tmp_path / "dist"
    assert run_release(seeds, dist) == 1
    assert "no usable document" in capsys.readouterr().out
    assert not (dist / "latest").exists()
