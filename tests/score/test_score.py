"""Scoring: sacrebleu figures, pairing by id, alignment of whole-article references."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from mt.errors import FormatError, InputError
from mt.formats import write_json
from mt.score import evaluate, paired_significance, score_corpus, write_segments_csv
from mt.score.inputs import (
    ScoredSide,
    build_scoring_set,
    load_segments,
    match_side,
    merge_units,
)
from mt.types import Pair, PairDocument

from ..conftest import DATA

HYP, HYP2 = DATA / "score_hyp.txt", DATA / "score_hyp2.txt"
REF, REF2, SRC = DATA / "score_ref.txt", DATA / "score_ref2.txt", DATA / "score_src.txt"


def lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def write_pairs_json(path: Path, ids, sources, targets) -> Path:
    pairs = tuple(Pair(id=i, source=s, target=t) for i, s, t in zip(ids, sources, targets))
    write_json(PairDocument(meta={"doc": path.stem, "source_file": "test"}, pairs=pairs), path)
    return path


def sacrebleu_cli(refs: list[Path], hyp: Path) -> list[float]:
    exe = Path(sys.executable).parent / "sacrebleu"
    if not exe.exists():
        pytest.skip(f"{exe} is absent")
    cmd = [str(exe), *map(str, refs), "-i", str(hyp), "-m", "bleu", "chrf", "ter", "-b", "-w", "4"]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    return [float(x) for x in json.loads(out)]


# ------------------------------------------------------------- sacrebleu figures


@pytest.mark.parametrize("refs", [[REF], [REF, REF2]], ids=["one-ref", "two-refs"])
def test_figures_equal_the_sacrebleu_command(refs):
    ours = evaluate(HYP, refs).report
    bleu, chrf, ter = sacrebleu_cli(refs, HYP)
    assert round(ours.bleu, 4) == bleu
    assert round(ours.chrf, 4) == chrf
    assert round(ours.ter, 4) == ter


def test_report_has_every_metric_with_its_signature():
    report = score_corpus(lines(HYP), [lines(REF)])
    assert set(report.signatures) == {"bleu", "chrf", "chrf_pp", "ter"}
    assert report.signatures["bleu"].startswith("nrefs:1|")
    assert "nw:2" in report.signatures["chrf_pp"] and "nw:0" in report.signatures["chrf"]
    assert "eff:yes" in report.segment_signatures["bleu"]
    assert 0 < report.chrf_pp < 100 and len(report.segments) == 8


def test_empty_hypothesis_segment_is_scored_as_empty():
    report = evaluate(HYP, [REF]).report
    assert len(report.segments) == 8
    empty = report.segments[4]
    assert (empty.hypothesis, empty.bleu, empty.chrf) == ("", 0.0, 0.0)
    assert empty.references == ("There was no comment from Washington.",)


def test_identical_segments_score_100():
    seg = score_corpus(["Assad met Putin in Moscow."], [["Assad met Putin in Moscow."]]).segments[0]
    assert seg.bleu == pytest.approx(100) and seg.chrf == pytest.approx(100)


# --------------------------------------------------------------- reading inputs


def test_text_lines_keep_blank_segments(tmp_path):
    path = tmp_path / "h.txt"
    path.write_bytes(b"one\r\n\r\nthree  \n")
    side = load_segments(path)
    assert side.english == ("one", "", "three") and side.ids == ("0", "1", "2")
    assert side.arabic is None


def test_empty_text_file_is_refused(tmp_path):
    (tmp_path / "h.txt").write_text("")
    with pytest.raises(InputError, match="empty"):
        load_segments(tmp_path / "h.txt")


def test_pairs_are_matched_by_id(tmp_path):
    src, hyp, ref = lines(SRC), lines(HYP), lines(REF)
    ids = [f"s{k}" for k in range(8)]
    hyp_json = write_pairs_json(tmp_path / "hyp.json", ids, src, hyp)
    order = list(range(8))
    random.Random(3).shuffle(order)
    ref_json = write_pairs_json(tmp_path / "ref.json", [ids[k] for k in order], [src[k] for k in order], [ref[k] for k in order])
    assert load_segments(hyp_json).arabic == tuple(src)
    matched = match_side(load_segments(hyp_json), load_segments(ref_json))
    assert matched.english == tuple(ref)
    assert evaluate(hyp_json, [ref_json]).report.bleu == pytest.approx(evaluate(HYP, [REF]).report.bleu)


def test_segment_counts_differ_one_line_with_names_and_counts(tmp_path):
    short = tmp_path / "short.txt"
    short.write_text("\n".join(lines(REF)[:5]) + "\n")
    with pytest.raises(InputError) as err:
        evaluate(HYP, [short], align=False)
    message = str(err.value)
    assert "\n" not in message
    assert str(HYP) in message and str(short) in message
    assert "has 8" in message and "has 5" in message


def test_streams_of_different_lengths_get_the_same_message():
    with pytest.raises(InputError, match=r"^segment counts differ: the hypothesis has 2, reference 2 has 1$"):
        score_corpus(["a", "b"], [["a", "b"], ["a"]])


def test_unpaired_surrogate_in_a_pairs_file_is_refused(tmp_path):
    path = write_pairs_json(tmp_path / "h.json", ["a", "b"], ["قال", "قالت"], ["said", "she said"])
    path.write_text(path.read_text(encoding="utf-8").replace('"قالت"', '"\\udc00"'), encoding="utf-8")
    with pytest.raises(FormatError, match=r"h\.json: pair 1: 'source' holds an unpaired surrogate U\+DC00"):
        load_segments(path)


def test_segments_csv_refuses_text_utf8_cannot_hold(tmp_path):
    result = evaluate(HYP, [REF])
    segment = replace(result.report.segments[0], hypothesis="x\ud800")
    report = replace(result.report, segments=(segment, *result.report.segments[1:]))
    out = tmp_path / "s.csv"
    with pytest.raises(FormatError, match=r"s\.csv: segment '0' holds U\+D800, which UTF-8 cannot encode; nothing written"):
        write_segments_csv(replace(result, report=report), out)
    assert list(tmp_path.iterdir()) == []


def test_plain_text_in_a_legacy_encoding(tmp_path):
    path = tmp_path / "h.txt"
    path.write_bytes("قال\nقالت\n".encode("cp1256"))
    with pytest.raises(InputError, match=r"h\.txt: not valid utf-8 at byte 0 .*try --encoding cp1256"):
        load_segments(path)
    assert load_segments(path, "cp1256").english == ("قال", "قالت")


def test_different_ids_are_refused(tmp_path):
    hyp = write_pairs_json(tmp_path / "hyp.json", ["a", "b"], ["س", "ص"], ["x", "y"])
    ref = write_pairs_json(tmp_path / "ref.json", ["a", "c"], ["س", "ص"], ["x", "y"])
    with pytest.raises(InputError, match=r"segment ids differ: 1 of the 2 ids of .*hyp.json are not in .*ref.json.*'b'"):
        evaluate(hyp, [ref])


def test_source_count_must_match(tmp_path):
    src = tmp_path / "src.txt"
    src.write_text("س\n")
    with pytest.raises(InputError, match=r"has 8.*src.txt has 1"):
        evaluate(HYP, [REF], src_path=src)


# ------------------------------------------------- whole-article references


class Block:
    def __init__(self, src, tgt):
        self.src, self.tgt = tuple(src), tuple(tgt)


def test_merge_units_joins_what_a_block_spans():
    assert merge_units(5, [(0,), (1, 2), (), (3,), (4,)]) == ((0,), (1, 2), (3,), (4,))
    assert merge_units(3, []) == ((0,), (1,), (2,))
    assert merge_units(4, [(0, 1), (1, 2)]) == ((0, 1, 2), (3,))


def test_reference_blocks_become_units():
    hyp = ScoredSide("h.json", ("a", "b", "c"), ("One.", "Two.", "Three."), ("١", "٢", "٣"), "pairs")
    ref = ScoredSide("r.txt", ("0",), ("One two. Three. Extra.",))

    def aligner(src, tgt, **paragraphs):
        assert tgt == ["One two.", "Three.", "Extra."]
        return [Block((0, 1), (0,)), Block((2,), (1,)), Block((), (2,))]

    scored = build_scoring_set(hyp, [ref], hyp.arabic, aligner=aligner)
    assert scored.ids == ("a+b", "c")
    assert scored.hypotheses == ("One. Two.", "Three.")
    assert scored.references == (("One two.", "Three."),)
    assert scored.sources == ("١ ٢", "٣")
    assert scored.aligned == (("r.txt", 2, 1),)


def test_whole_article_without_source_is_a_count_error():
    with pytest.raises(InputError, match=r"segment counts differ: .*has 8, .*has 2; to align .*--src"):
        evaluate(HYP, [DATA / "score_article.txt"])


def test_whole_article_reference_is_aligned_and_said(tmp_path):
    result = evaluate(HYP, [DATA / "score_article.txt"], src_path=SRC)
    assert result.scored.aligned == ((str(DATA / "score_article.txt"), 8, 0),)
    assert f"{DATA / 'score_article.txt'}: reference aligned to the hypothesis's source (8 pairs)" in result.notes
    assert result.report.bleu == pytest.approx(evaluate(HYP, [REF]).report.bleu)


# ------------------------------------------------------------------ comparison


def test_paired_significance_is_deterministic_and_finds_the_better_system(monkeypatch):
    monkeypatch.delenv("SACREBLEU_SEED", raising=False)
    hyp, hyp2, refs = lines(HYP), lines(HYP2), [lines(REF), lines(REF2)]
    first = paired_significance(hyp, hyp2, refs)
    assert first == paired_significance(hyp, hyp2, refs)
    bleu = first.metric("bleu")
    assert bleu.baseline == pytest.approx(score_corpus(hyp, refs).bleu)
    assert bleu.system == pytest.approx(score_corpus(hyp2, refs).bleu)
    assert bleu.system < bleu.baseline and bleu.p_value < 0.05
    assert "bs:1000|seed:12345" in first.signatures["bleu"]
    assert {m.metric for m in first.metrics} == {"bleu", "chrf", "chrf_pp", "ter"}


def test_compare_file_must_have_the_same_segments(tmp_path):
    other = tmp_path / "other.txt"
    other.write_text("a\nb\n")
    with pytest.raises(InputError, match=r"segment counts differ: .*score_hyp.txt has 8, .*other.txt has 2"):
        evaluate(HYP, [REF], compare_path=other)


# ------------------------------------------------------------- NTREX sanity


def ntrex_english(ntrex_docs) -> list[str]:
    return [line for doc in ntrex_docs for line in doc["en_sentences"]]


def test_ntrex_reference_against_itself_and_shuffled(ntrex_docs, tmp_path):
    english = ntrex_english(ntrex_docs)
    ref = tmp_path / "ref.txt"
    ref.write_text("\n".join(english) + "\n", encoding="utf-8")
    shuffled = english[:]
    random.Random(1234).shuffle(shuffled)
    shuf = tmp_path / "shuffled.txt"
    shuf.write_text("\n".join(shuffled) + "\n", encoding="utf-8")
    same = evaluate(ref, [ref]).report
    assert same.bleu == pytest.approx(100) and same.chrf == pytest.approx(100) and same.ter == 0
    assert len(same.segments) == len(english) == 1007
    mixed = evaluate(shuf, [ref]).report
    assert mixed.bleu < 10 and mixed.chrf < 30


def test_ntrex_whole_articles_align_back_to_their_lines(ntrex_docs, tmp_path):
    bleus = []
    for doc in ntrex_docs[:10]:
        ar, en = doc["ar_sentences"], doc["en_sentences"]
        hyp = write_pairs_json(tmp_path / "hyp.json", [str(k) for k in range(len(ar))], ar, en)
        article = tmp_path / "article.txt"
        article.write_text("\n".join(" ".join(en[k : k + 3]) for k in range(0, len(en), 3)) + "\n", encoding="utf-8")
        result = evaluate(hyp, [article], align=True)
        assert result.scored.aligned[0][1] > 0
        bleus.append(result.report.bleu)
    assert min(bleus) > 90, bleus


def test_tmx_reference_and_json_hypothesis_bring_the_source(tmp_path):
    from mt.formats import write_tmx

    src, hyp, ref = lines(SRC), lines(HYP), lines(REF)
    ids = [str(k + 1) for k in range(8)]
    hyp_json = write_pairs_json(tmp_path / "hyp.json", ids, src, hyp)
    pairs = tuple(Pair(id=i, source=s, target=t) for i, s, t in zip(reversed(ids), reversed(src), reversed(ref)))
    write_tmx(PairDocument(meta={"doc": "ref", "source_file": "test"}, pairs=pairs), tmp_path / "ref.tmx")
    ref_side = load_segments(tmp_path / "ref.tmx")
    assert ref_side.kind == "pairs" and ref_side.ids == tuple(reversed(ids))

    class Glossary:
        def match(self, text):
            from types import SimpleNamespace as NS

            return [NS(text="طهران", entry=NS(en="Tehran"))] if "طهران" in text else []

    result = evaluate(hyp_json, [tmp_path / "ref.tmx"], glossary=Glossary())
    assert result.report.bleu == pytest.approx(evaluate(HYP, [REF]).report.bleu)
    assert (result.terms.correct, result.terms.total) == (0, 1)
    assert result.terms.misses[0].segment == "6"
    assert result.reference_terms[0].accuracy == 1.0
