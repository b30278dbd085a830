"""``mt align``: files in, pairs JSON or TMX out, one-line errors."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

import mt.align
import mt.translate
from cli import app
from mt.formats import read_pairs
from mt.translate import BACKEND_CHOICES

from ..conftest import assert_one_line_error
from .test_align import AR, EN

runner = CliRunner()


@pytest.fixture()
def article(tmp_path):
    """An Arabic article with a headline and its English translation, where
    the English joins two Arabic sentences and leaves one out."""
    ar = tmp_path / "story.ar.txt"
    en = tmp_path / "story.en.txt"
    ar.write_text("محادثات جنيف\n" + " ".join(AR[:6]) + "\n", encoding="utf-8")
    joined = EN[0][:-1] + ", and " + EN[1][0].lower() + EN[1][1:]
    en.write_text("Geneva talks\n" + " ".join([joined, EN[2], EN[3], EN[5]]) + "\n", encoding="utf-8")
    return ar, en


def test_align_writes_json_pairs(article, tmp_path):
    ar, en = article
    out = tmp_path / "story.json"
    result = runner.invoke(app, ["align", str(ar), str(en), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"{out}: 6 pairs (1-1 ×4, 1-0 ×1, 2-1 ×1)")
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["kind"] == "alignment" and data["doc"] == "story.ar"
    assert data["source_file"] == str(ar) and data["target_file"] == str(en)
    pairs = data["pairs"]
    assert [p["type"] for p in pairs] == ["1-1", "2-1", "1-1", "1-1", "1-0", "1-1"]
    assert [p["id"] for p in pairs] == [str(k) for k in range(6)]
    assert pairs[1]["source_ids"] == [1, 2] and pairs[1]["target_ids"] == [1]
    assert pairs[1]["source"] == AR[0] + " " + AR[1]
    assert pairs[4]["target"] == "" and pairs[4]["target_ids"] == []
    text = ar.read_text(encoding="utf-8")
    for p in pairs:
        assert text[p["source_start"] : p["source_end"]] == p["source"]
        assert 0.0 <= p["confidence"] <= 1.0


def test_align_writes_tmx_that_reads_back(article, tmp_path):
    ar, en = article
    out = tmp_path / "story.tmx"
    result = runner.invoke(app, ["align", str(ar), str(en), "--out", str(out), "--all-units"])
    assert result.exit_code == 0, result.output
    back = read_pairs(out)
    assert [p.type for p in back.pairs] == ["1-1", "2-1", "1-1", "1-1", "1-0", "1-1"]
    assert back.pairs[1].source_ids == (1, 2)
    json_out = tmp_path / "story.json"
    assert runner.invoke(app, ["align", str(ar), str(en), "--out", str(json_out)]).exit_code == 0
    assert read_pairs(json_out).pairs == back.pairs


def test_align_tmx_leaves_out_pairs_with_an_empty_side_and_says_so(article, tmp_path):
    ar, en = article
    out = tmp_path / "story.tmx"
    result = runner.invoke(app, ["align", str(ar), str(en), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "; left out of the TMX: 1 with an empty side (--all-units keeps them)" in result.stdout
    assert [p.type for p in read_pairs(out).pairs] == ["1-1", "2-1", "1-1", "1-1", "1-1"]
    assert b"<seg></seg>" not in out.read_bytes()


def test_align_with_dictionary_and_glossary(article, tmp_path):
    ar, en = article
    dictionary = tmp_path / "dict.tsv"
    dictionary.write_text("محادثات\tTalks\nالنفط\tOil\n", encoding="utf-8")
    glossary = tmp_path / "glossary.tsv"
    glossary.write_text("ar\ten\ttype\tvariants\tnote\nجنيف\tGeneva\tLOC\t\t\n", encoding="utf-8")
    out = tmp_path / "story.json"
    args = ["align", str(ar), str(en), "--out", str(out), "--dictionary", str(dictionary), "--glossary", str(glossary)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["options"] == {"glossary": str(glossary), "dictionary": str(dictionary), "model": None}
    assert [p["type"] for p in data["pairs"]] == ["1-1", "2-1", "1-1", "1-1", "1-0", "1-1"]


def test_missing_source_is_one_line(article, tmp_path):
    _, en = article
    result = runner.invoke(app, ["align", str(tmp_path / "nope.txt"), str(en), "--out", str(tmp_path / "o.json")])
    assert assert_one_line_error(result, "nope.txt") == f"error: {tmp_path / 'nope.txt'}: no such file"


def test_empty_target_is_an_input_error(article, tmp_path):
    ar, _ = article
    empty = tmp_path / "empty.txt"
    empty.write_text(" \n\n", encoding="utf-8")
    out = tmp_path / "o.json"
    result = runner.invoke(app, ["align", str(ar), str(empty), "--out", str(out)])
    assert_one_line_error(result, f"{empty}: empty or whitespace-only input")
    assert not out.exists()


def test_unknown_output_suffix_is_refused_before_work(article, tmp_path):
    ar, en = article
    result = runner.invoke(app, ["align", str(ar), str(en), "--out", str(tmp_path / "o.csv")])
    assert_one_line_error(result, "o.csv: unknown output format '.csv', expected .json or .tmx")


def test_bad_dictionary_and_output_directory(article, tmp_path):
    ar, en = article
    bad = tmp_path / "bad.tsv"
    bad.write_text("just words\n", encoding="utf-8")
    result = runner.invoke(app, ["align", str(ar), str(en), "--out", str(tmp_path / "o.json"), "--dictionary", str(bad)])
    assert_one_line_error(result, f"{bad}:1: expected 'arabic<TAB>english glosses'")
    result = runner.invoke(app, ["align", str(ar), str(en), "--out", str(tmp_path / "no" / "o.json")])
    assert_one_line_error(result, f"{tmp_path / 'no'}: output directory does not exist")


def test_missing_output_directory_is_refused_before_any_work(article, tmp_path, monkeypatch):
    """The output directory is checked before the model is loaded (which can
    take minutes) and anything is aligned."""
    ar, en = article

    def no_model(*args, **kwargs):
        raise AssertionError("the model was loaded before the output was checked")

    def no_alignment(*args, **kwargs):
        raise AssertionError("aligned before the output was checked")

    monkeypatch.setattr(mt.translate, "model_translator", no_model)
    monkeypatch.setattr(mt.align, "align_files", no_alignment)
    for out in ("o.csv", "no/o.json"):
        result = runner.invoke(app, ["align", str(ar), str(en), "--out", str(tmp_path / out), "-m", "some/model"])
        assert_one_line_error(result, "o.csv: unknown output format" if out == "o.csv" else "output directory does not exist")


def test_model_and_backend_options_reach_the_translator(article, tmp_path, monkeypatch):
    """``-m``/``--model`` and ``--backend`` go to ``model_translator``; its
    translations join the score."""
    ar, en = article
    seen = []

    def fake_translator(model, backend="auto"):
        seen.append((model, backend))
        return lambda texts: ["" for _ in texts]

    monkeypatch.setattr(mt.translate, "model_translator", fake_translator)
    out = tmp_path / "story.json"
    for args, expected in (([], "auto"), (["--backend", "ctranslate2"], "ctranslate2"), (["-b", "transformers"], "transformers")):
        result = runner.invoke(app, ["align", str(ar), str(en), "--out", str(out), "-m", "my/model", *args])
        assert result.exit_code == 0, result.output
        assert seen[-1] == ("my/model", expected)
    assert json.loads(out.read_text(encoding="utf-8"))["options"]["model"] == "my/model"


def test_backend_choices_come_from_the_registry(article, tmp_path):
    ar, en = article
    result = runner.invoke(app, ["align", "--help"])
    assert "|".join(BACKEND_CHOICES) in " ".join(result.stdout.split())
    result = runner.invoke(app, ["align", str(ar), str(en), "--out", str(tmp_path / "o.json"), "-m", "x", "--backend", "onnx"])
    assert_one_line_error(result, "onnx", code=2)


def test_inputs_and_dictionary_are_read_with_the_encoding(tmp_path):
    ar, en = tmp_path / "a.txt", tmp_path / "e.txt"
    ar.write_bytes(" ".join(AR[:3]).encode("cp1256"))
    en.write_bytes(" ".join(EN[:3]).encode("cp1256"))
    dictionary = tmp_path / "dict.tsv"
    dictionary.write_bytes("الوفد\tDelegation\n".encode("cp1256"))
    out = tmp_path / "o.json"
    result = runner.invoke(app, ["align", str(ar), str(en), "--out", str(out)])
    assert_one_line_error(result, f"{ar}: not valid utf-8 at byte 0 (is it legacy Arabic Windows text? try --encoding cp1256)")
    args = ["align", str(ar), str(en), "--out", str(out), "--dictionary", str(dictionary)]
    result = runner.invoke(app, args)
    assert_one_line_error(result, f"{dictionary}: not valid utf-8 at byte 0 (is it legacy Arabic Windows text? try --encoding cp1256)")
    result = runner.invoke(app, [*args, "--encoding", "cp1256"])
    assert result.exit_code == 0, result.output
    assert [p["type"] for p in json.loads(out.read_text(encoding="utf-8"))["pairs"]] == ["1-1"] * 3


def test_same_file_twice_is_refused(article, tmp_path):
    ar, _ = article
    result = runner.invoke(app, ["align", str(ar), str(ar), "--out", str(tmp_path / "o.json")])
    assert_one_line_error(result, "source and target are the same file")


@pytest.mark.slow
def test_align_with_a_model(article, tmp_path):
    """``--model``: a random-weight model's translations join the score (and
    must not break a clear alignment)."""
    from mt.dev.models import build_tiny_model

    ar, en = article
    model = build_tiny_model(tmp_path / "tiny", AR + EN)
    out = tmp_path / "story.json"
    result = runner.invoke(app, ["align", str(ar), str(en), "--out", str(out), "-m", str(model), "--backend", "transformers"])
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["options"]["model"] == str(model)
    assert [p["type"] for p in data["pairs"]] == ["1-1", "2-1", "1-1", "1-1", "1-0", "1-1"]


def test_each_side_has_its_own_encoding(tmp_path):
    """``--encoding`` (or ``--ar-encoding``) is the Arabic side's, ``--en-encoding``
    the English side's: UTF-8 English beside cp1256 Arabic keeps "Rodríguez"."""
    ar, en = tmp_path / "a.txt", tmp_path / "e.txt"
    ar.write_bytes(" ".join(AR[:3]).encode("cp1256"))
    english = ["Rodríguez said the talks would resume on Monday in Geneva.", *EN[1:3]]
    en.write_text(" ".join(english), encoding="utf-8")
    out = tmp_path / "o.json"
    for option in ("--encoding", "--ar-encoding"):
        result = runner.invoke(app, ["align", str(ar), str(en), "--out", str(out), option, "cp1256"])
        assert result.exit_code == 0, result.output
        pairs = json.loads(out.read_text(encoding="utf-8"))["pairs"]
        assert pairs[0]["target"] == english[0] and pairs[0]["source"] == AR[0]
    legacy_en = tmp_path / "e1252.txt"
    legacy_en.write_bytes(" ".join(english).encode("cp1252"))
    both = ["align", str(ar), str(legacy_en), "--out", str(out), "--encoding", "cp1256", "--en-encoding", "cp1252"]
    result = runner.invoke(app, both)
    assert result.exit_code == 0, result.output
    assert json.loads(out.read_text(encoding="utf-8"))["pairs"][0]["target"] == english[0]


def test_english_that_decodes_into_arabic_script_mojibake_is_refused(tmp_path):
    ar, en = tmp_path / "a.txt", tmp_path / "e.txt"
    ar.write_text(" ".join(AR[:3]), encoding="utf-8")
    en.write_text("Rodríguez said the talks would resume.\nThe White House did not comment.", encoding="utf-8")
    out = tmp_path / "o.json"
    result = runner.invoke(app, ["align", str(ar), str(en), "--out", str(out), "--en-encoding", "cp1256"])
    line = assert_one_line_error(result, f"{en}: decoded as cp1256, the English has Arabic letters inside Latin words")
    assert "line 1" in line and "--en-encoding utf-8" in line
    assert not out.exists()
