"""Alignment quality on NTREX-128 dev (skipped without ../shared); speed is in bench/align_speed.py."""

from __future__ import annotations

import pytest

from bench import align_quality as quality
from bench import align_speed
from mt.align import AlignOptions, Lexicon, align_segmented, align_segments
from mt.dev.evaluation import score_alignment
from mt.text import split_sentences

from ..conftest import shared_path


@pytest.fixture(scope="module")
def lexicon() -> Lexicon:
    return Lexicon.load(shared_path("data", "dictionary", "freedict-ara-eng.tsv"))


def test_ntrex_strict_f1_without_mt(ntrex_docs, lexicon):
    total, rows = quality.evaluate(ntrex_docs, lexicon)
    print(f"NTREX strict P={total.precision_strict:.4f} R={total.recall_strict:.4f} F1={total.f1_strict:.4f} lax F1={total.f1_lax:.4f}")
    assert len(rows) == 62
    assert total.f1_strict >= 0.99 and total.f1_lax >= 0.99


def test_ntrex_without_dictionary(ntrex_docs):
    total, _ = quality.evaluate(ntrex_docs, None)
    assert total.f1_strict >= 0.98


def test_ntrex_with_deleted_lines(ntrex_docs, lexicon):
    total, _ = quality.evaluate(ntrex_docs, lexicon, delete=0.1, seed=1)
    print(f"NTREX, 10% of lines deleted: strict F1={total.f1_strict:.4f} lax F1={total.f1_lax:.4f}")
    assert total.f1_strict >= 0.97


def _whole_corpus(ntrex_docs, drop_src=frozenset(), drop_tgt=frozenset()):
    doc = {
        "doc_id": "all",
        "ar_sentences": [line for d in ntrex_docs for line in d["ar_sentences"]],
        "en_sentences": [line for d in ntrex_docs for line in d["en_sentences"]],
    }
    return quality.ntrex_case(doc, drop_src, drop_tgt)


@pytest.mark.parametrize("side", ["src", "tgt"])
def test_long_gap_in_one_long_document(ntrex_docs, lexicon, side):
    """250 lines missing from one side of the whole corpus as one document:
    the length ratio is re-estimated and the coarse-to-fine search finds the
    gap as the full search does."""
    gap = frozenset(range(150, 400))
    src, tgt, gold = _whole_corpus(ntrex_docs, gap if side == "src" else frozenset(), gap if side == "tgt" else frozenset())
    texts = ([s.text for s in src], [t.text for t in tgt])
    paragraphs = {"src_paragraphs": [s.paragraph for s in src], "tgt_paragraphs": [t.paragraph for t in tgt]}
    banded = align_segments(*texts, lexicon=lexicon, **paragraphs, options=AlignOptions(full_cells=10_000, coarse_size=60))
    score = score_alignment(gold, banded)
    assert score.f1_strict >= 0.99, score
    full = align_segments(*texts, lexicon=lexicon, **paragraphs, options=AlignOptions(full_cells=10**7))
    assert score_alignment(gold, full).f1_strict == pytest.approx(score.f1_strict, abs=0.002)


def test_deep_coarse_to_fine_search_on_a_long_document(lexicon):
    """2,000 × 2,000 sentences with tiny search limits, so the coarse-to-fine
    search recurses three levels (2,000 → 40 → 20 → 10 sentences): the
    alignment still matches the gold line alignment.  (Speed at 10,000 ×
    10,000 is measured by bench/align_speed.py.)"""
    shared_path("data", "ntrex-dev", "ntrex_dev_docs.jsonl")
    (ar_text, ar_lines), (en_text, en_lines) = align_speed.synthetic(2_000)
    full_src, full_tgt = split_sentences(ar_text), split_sentences(en_text)
    src, tgt = full_src[:2_000], full_tgt[:2_000]
    gold = align_speed.gold_before_cut(full_src, full_tgt, ar_lines, en_lines, len(src), len(tgt))
    test = align_segmented(src, tgt, lexicon=lexicon, options=AlignOptions(full_cells=400, coarse_size=40))
    score, inside = align_speed.score_before_cut(gold, test)
    assert inside > 1_800
    assert score.f1_strict >= 0.98, score
