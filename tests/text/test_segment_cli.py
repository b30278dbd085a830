from __future__ import annotations

import json

from typer.testing import CliRunner

from cli import app

from ..conftest import assert_one_line_error

runner = CliRunner()


def test_segment_text_output(seed_paths):
    result = runner.invoke(app, ["segment", str(seed_paths[4])])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "سليماني يزور موسكو لبحث تعزيز التعاون العسكري مع طهران"
    assert lines[1] == "الجمعة 2016/04/15"


def test_segment_jsonl_offsets_index_the_file(seed_paths):
    result = runner.invoke(app, ["segment", str(seed_paths[0].parent), "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert {r["doc"] for r in records} == {p.stem for p in seed_paths}
    texts = {p.stem: p.read_text(encoding="utf-8") for p in seed_paths}
    for r in records:
        assert texts[r["doc"]][r["start"] : r["end"]] == r["text"]
        assert set(r) >= {"doc", "index", "start", "end", "text"}


def test_segment_cp1256_needs_flag(tmp_path):
    path = tmp_path / "legacy.txt"
    path.write_bytes("قال الرئيس. وأضاف.".encode("cp1256"))
    result = runner.invoke(app, ["segment", str(path)])
    line = assert_one_line_error(result, "legacy.txt: not valid utf-8 at byte 0")
    assert "try --encoding cp1256" in line
    result = runner.invoke(app, ["segment", str(path), "--encoding", "cp1256"])
    assert result.exit_code == 0
    assert result.stdout.splitlines() == ["قال الرئيس.", "وأضاف."]


def test_segment_empty_file_is_an_error(tmp_path):
    path = tmp_path / "empty.txt"
    path.write_text("   \n", encoding="utf-8")
    result = runner.invoke(app, ["segment", str(path)])
    assert_one_line_error(result, "empty.txt: empty or whitespace-only input")


def test_segment_missing_file(tmp_path):
    result = runner.invoke(app, ["segment", str(tmp_path / "nope.txt")])
    assert_one_line_error(result, "nope.txt: no such file")


def test_unknown_encoding_is_a_usage_error(seed_paths):
    result = runner.invoke(app, ["segment", str(seed_paths[0]), "--encoding", "bogus"])
    line = assert_one_line_error(result, "unknown encoding 'bogus'; try utf-8 or cp1256", code=2)
    assert line.startswith("error: Invalid value for '--encoding'") and result.stdout == ""
