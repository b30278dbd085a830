"""``mt score`` on the command line: JSON, tables, the segments CSV, errors."""

from __future__ import annotations

import csv
import json

import pytest
from typer.testing import CliRunner

from cli import app

from .conftest import DATA, ROOT

runner = CliRunner()
HYP, HYP2 = str(DATA / "score_hyp.txt"), str(DATA / "score_hyp2.txt")
REF, REF2, SRC = str(DATA / "score_ref.txt"), str(DATA / "score_ref2.txt"), str(DATA / "score_src.txt")
ARTICLE = str(DATA / "score_article.txt")
GLOSSARY = ROOT / "glossary" / "entities.tsv"


def run_json(*args: str) -> dict:
    result = runner.invoke(app, ["score", "--json", *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def glossary() -> str:
    if not GLOSSARY.exists():
        pytest.skip(f"{GLOSSARY} is absent")
    pytest.importorskip("mt.glossary")
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
    pytest.importorskip("mt.align")
    result = runner.invoke(app, ["score", "--hyp", HYP, "--ref", ARTICLE, "--src", SRC])
    assert result.exit_code == 0, result.output
    assert "reference aligned to the hypothesis's source (8 pairs)" in " ".join(result.stdout.split())


def test_mismatched_counts_one_line_error(tmp_path):
    short = tmp_path / "short.txt"
    short.write_text("one\ntwo\n", encoding="utf-8")
    result = runner.invoke(app, ["score", "--hyp", HYP, "--ref", str(short), "--no-align"])
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.output
    assert lines[0].startswith("error: segment counts differ:")
    assert f"{HYP} has 8" in lines[0] and f"{short} has 2" in lines[0]


def test_bad_pairs_file_is_one_line(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    result = runner.invoke(app, ["score", "--hyp", str(bad), "--ref", REF])
    assert result.exit_code == 1
    assert len(result.stderr.strip().splitlines()) == 1 and "bad.json: not valid JSON" in result.stderr


def test_missing_reference_file(tmp_path):
    result = runner.invoke(app, ["score", "--hyp", HYP, "--ref", str(tmp_path / "nope.txt")])
    assert result.exit_code == 1
    assert "nope.txt: no such file" in result.stderr
