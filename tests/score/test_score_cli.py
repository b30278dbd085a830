"""``mt score`` on the command line: JSON, tables, the segments CSV, errors."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli import app
from mt.formats import write_json
from mt.types import Pair, PairDocument

from ..conftest import DATA, HOUSE, assert_one_line_error

runner = CliRunner()
HYP, HYP2 = str(DATA / "score_hyp.txt"), str(DATA / "score_hyp2.txt")
REF, REF2, SRC = str(DATA / "score_ref.txt"), str(DATA / "score_ref2.txt"), str(DATA / "score_src.txt")
ARTICLE = str(DATA / "score_article.txt")
GLOSSARY = HOUSE


def run_json(*args: str) -> dict:
    result = runner.invoke(app, ["score", "--json", *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def glossary() -> str:
    return str(GLOSSARY)


def test_json_has_the_documented_keys_and_no_terms_without_glossary():
    record = run_json("--hyp", HYP, "--ref", REF)
    assert {"bleu", "chrf", "chrf_pp", "ter", "term_accuracy", "signatures", "segments"} <= set(record)
    assert set(record["signatures"]) == {"bleu", "chrf", "chrf_pp", "ter"}
    assert record["segments"] == 8
    assert record["term_accuracy"] is None and record["term_accuracy_reference"] is None
    assert record["misses"] == [] and "compare" not in record


def test_json_with_glossary_two_references_and_compare():
    record = run_json("--hyp", HYP, "--ref", REF, "--ref", REF2, "--src", SRC, "--glossary", glossary(), "--compare", HYP2)
    assert record["signatures"]["bleu"].startswith("nrefs:2|")
    assert record["term_accuracy"] == pytest.approx(13 / 16)
    assert record["term_accuracy_reference"] == [1.0, 1.0]
    assert [(m["id"], m["source"], m["en"]) for m in record["misses"]] == [
        ("4", "واشنطن", "Washington"),
        ("5", "طهران", "Tehran"),
        ("7", "خان شيخون", "Khan Sheikhoun"),
    ]
    compare = record["compare"]
    assert compare["metrics"]["bleu"]["baseline"] == pytest.approx(record["bleu"])
    assert compare["metrics"]["bleu"]["p_value"] < 0.05
    assert compare["term_accuracy"] == pytest.approx(13 / 16)


def test_table_for_people():
    result = runner.invoke(app, ["score", "--hyp", HYP, "--ref", REF, "--src", SRC, "--glossary", glossary()])
    assert result.exit_code == 0, result.output
    out = result.stdout
    for text in ("BLEU", "chrF++", "TER", "nrefs:1", "term accuracy", "81.2%", "Khan Sheikhoun"):
        assert text in out


def test_glossary_without_source_says_term_accuracy_is_unavailable():
    record = run_json("--hyp", HYP, "--ref", REF, "--glossary", glossary())
    assert record["term_accuracy"] is None
    assert any("term accuracy unavailable" in note for note in record["notes"])


def test_segments_csv(tmp_path):
    out = tmp_path / "segments.csv"
    run_json("--hyp", HYP, "--ref", REF, "--ref", REF2, "--segments", str(out))
    with out.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 8
    assert list(rows[0]) == ["id", "bleu", "chrf", "missed_terms", "hypothesis", "reference", "reference_2"]
    assert rows[0]["bleu"] == "100.0000"
    assert rows[4]["hypothesis"] == "" and rows[4]["bleu"] == "0.0000"
    assert rows[4]["reference_2"] == "Washington made no comment."


def test_whole_article_reference_is_aligned_and_said():
    result = runner.invoke(app, ["score", "--hyp", HYP, "--ref", ARTICLE, "--src", SRC])
    assert result.exit_code == 0, result.output
    assert "reference aligned to the hypothesis's source (8 pairs)" in " ".join(result.stdout.split())


def test_mismatched_counts_one_line_error(tmp_path):
    short = tmp_path / "short.txt"
    short.write_text("one\ntwo\n", encoding="utf-8")
    result = runner.invoke(app, ["score", "--hyp", HYP, "--ref", str(short), "--no-align"])
    assert_one_line_error(result, f"error: segment counts differ: {HYP} has 8, {short} has 2")


def test_bad_pairs_file_is_one_line(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    result = runner.invoke(app, ["score", "--hyp", str(bad), "--ref", REF])
    assert_one_line_error(result, "bad.json: not valid JSON")


def test_missing_reference_file(tmp_path):
    result = runner.invoke(app, ["score", "--hyp", HYP, "--ref", str(tmp_path / "nope.txt")])
    assert_one_line_error(result, "nope.txt: no such file")


def test_short_glossary_option():
    long = run_json("--hyp", HYP, "--ref", REF, "--src", SRC, "--glossary", glossary())
    short = run_json("--hyp", HYP, "--ref", REF, "--src", SRC, "-g", glossary())
    assert short["term_accuracy"] == long["term_accuracy"] == pytest.approx(13 / 16)


def test_case_sensitive_term_accuracy(tmp_path):
    """--case-sensitive: the glossary's casing, except a capital opening a segment."""
    src = tmp_path / "src.txt"
    src.write_text("قال الأسد\nقال الأسد\n", encoding="utf-8")
    hyp = tmp_path / "hyp.txt"
    hyp.write_text("ASSAD SAID\nassad said\n", encoding="utf-8")
    args = ["--hyp", str(hyp), "--ref", str(hyp), "--src", str(src), "-g", glossary()]
    assert run_json(*args)["term_accuracy"] == 1.0
    record = run_json(*args, "--case-sensitive")
    assert record["term_accuracy"] == 0.0 and record["terms"]["case_sensitive"] is True


def test_plain_text_inputs_in_a_legacy_encoding(tmp_path):
    """--encoding decodes the plain-text hypothesis, references and source;
    without it the message suggests it."""
    paths = {}
    for name, source in (("hyp", HYP), ("ref", REF), ("src", SRC)):
        paths[name] = tmp_path / f"{name}.txt"
        paths[name].write_bytes(Path(source).read_text(encoding="utf-8").encode("cp1256"))
    args = ["--hyp", str(paths["hyp"]), "--ref", str(paths["ref"]), "--src", str(paths["src"]), "-g", glossary()]
    result = runner.invoke(app, ["score", *args])
    assert_one_line_error(result, f"{paths['src']}: not valid utf-8 at byte 0 (is it legacy Arabic Windows text? try --encoding cp1256)")
    assert run_json(*args, "--encoding", "cp1256") == {
        **run_json("--hyp", HYP, "--ref", REF, "--src", SRC, "-g", glossary()),
        "hypothesis": str(paths["hyp"]),
        "references": [str(paths["ref"])],
    }


def test_unpaired_surrogate_in_a_json_target_is_one_line(tmp_path):
    """JSON can escape a lone surrogate; no output can hold it, so the input
    is refused before anything is written."""
    good = tmp_path / "hyp.json"
    write_json(PairDocument(meta={"doc": "hyp", "source_file": "t"}, pairs=(Pair(id="a", source="قال", target="said"),)), good)
    bad = tmp_path / "bad.json"
    bad.write_text(good.read_text(encoding="utf-8").replace('"said"', '"sa\\ud800id"'), encoding="utf-8")
    out = tmp_path / "s.csv"
    result = runner.invoke(app, ["score", "--hyp", str(bad), "--ref", str(good), "--segments", str(out)])
    assert_one_line_error(result, f"{bad}: pair 0: 'target' holds an unpaired surrogate U+D800")
    assert not out.exists()


def test_segments_directory_is_checked_before_scoring(tmp_path):
    out = tmp_path / "no" / "s.csv"
    result = runner.invoke(app, ["score", "--hyp", HYP, "--ref", REF, "--segments", str(out), "-g", str(tmp_path / "nope.tsv")])
    assert_one_line_error(result, f"{tmp_path / 'no'}: output directory does not exist")
