"""Scoring an alignment against its English: exact pairing where it exists,
and otherwise the re-alignment ``mt align`` itself makes (same aligner, same
features), with an Arabic article as ``--src`` segmented as ``mt translate``
segments it."""

from __future__ import annotations

from typer.testing import CliRunner

from cli import app
from mt.align import align_files
from mt.score import evaluate
from mt.text import split_sentences

runner = CliRunner()


def paragraphs(sentences: list[str], size: int) -> str:
    return "\n".join(" ".join(sentences[k : k + size]) for k in range(0, len(sentences), size)) + "\n"


def write_article_pair(tmp_path, doc) -> tuple:
    """The document as two articles, four Arabic and three English sentences a paragraph."""
    ar, en = tmp_path / f"{doc['doc_id']}.ar.txt", tmp_path / f"{doc['doc_id']}.en.txt"
    ar.write_text(paragraphs(doc["ar_sentences"], 4), encoding="utf-8")
    en.write_text(paragraphs(doc["en_sentences"], 3), encoding="utf-8")
    return ar, en


def test_an_aligned_file_scored_against_its_own_english_gives_100(ntrex_docs, tmp_path):
    """Regression: bbc.381760, telegraph.405430 and six others scored 53–98."""
    below = {}
    for doc in ntrex_docs:
        ar, en = write_article_pair(tmp_path, doc)
        hyp = tmp_path / "aligned.json"
        assert runner.invoke(app, ["align", str(ar), str(en), "--out", str(hyp)]).exit_code == 0
        result = evaluate(hyp, [en])
        if result.report.bleu < 100 - 1e-9 or result.report.ter > 0:
            below[doc["doc_id"]] = round(result.report.bleu, 2)
    assert not below, below


def test_a_whole_article_reference_is_paired_as_mt_align_pairs_it(ntrex_docs, tmp_path):
    """A hypothesis that differs from the reference cannot be paired exactly:
    the reference is then aligned to the ``--src`` article with mt align's
    aligner and features, so each scoring unit gets mt align's English."""
    for doc in ntrex_docs:
        ar, en = write_article_pair(tmp_path, doc)
        aligned = align_files(ar, en)
        segments = split_sentences(ar.read_text(encoding="utf-8"))
        hyp = tmp_path / "hyp.txt"
        hyp.write_text("".join(f"segment {k}\n" for k in range(len(segments))), encoding="utf-8")
        result = evaluate(hyp, [en], src_path=ar, align=True)
        unit_of = {i: k for k, unit in enumerate(result.scored.units) for i in unit}
        expected = {}
        for pair in aligned.pairs:
            if pair.source_ids:
                unit = unit_of[pair.source_ids[0]]
                expected[unit] = " ".join(t for t in (expected.get(unit, ""), pair.target) if t)
        got = {k: ref for k, ref in enumerate(result.scored.references[0])}
        assert got == {k: expected.get(k, "") for k in got}, doc["doc_id"]


def test_src_article_is_segmented_as_mt_translate_segments_it(tmp_path):
    article = tmp_path / "article.txt"
    article.write_text("بوتين يزور دمشق. الأسد يستقبله في المطار.\nوقال مسؤول إن الزيارة ستستمر يومين.\n", encoding="utf-8")
    hyp = tmp_path / "hyp.txt"
    hyp.write_text("Putin visits Damascus.\nAssad meets him at the airport.\nAn official said the visit would last two days.\n")
    ref = tmp_path / "ref.txt"
    ref.write_text("Putin visits Damascus.\nAssad receives him at the airport.\nAn official said the visit would last two days.\n")
    result = runner.invoke(app, ["score", "--hyp", str(hyp), "--ref", str(ref), "--src", str(article), "--json"])
    assert result.exit_code == 0, result.output
    assert '"bleu"' in result.stdout
    too_few = tmp_path / "short.txt"
    too_few.write_text("Putin visits Damascus.\n")
    result = runner.invoke(app, ["score", "--hyp", str(too_few), "--ref", str(too_few), "--src", str(article)])
    assert result.exit_code == 1
    assert "segment counts differ" in result.stderr and "3 segments as mt translate segments it" in result.stderr
