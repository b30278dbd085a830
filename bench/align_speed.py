"""Alignment speed on a long synthetic document pair (10,000 × 10,000 sentences).

The NTREX-128 dev documents are joined into one running text per side
(``mt.dev.evaluation.running_text``) and repeated until both sides hold at least
``--sentences`` segments; both sides are then cut to exactly that many.
Timed: segmentation of both sides, and ``mt.align.align_segmented`` (features,
dictionary lookups, banded search).  The alignment is also scored against
the gold line alignment, on the blocks that lie wholly before the cut.

    python bench/align_speed.py [--sentences 10000] [--no-dictionary]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
NTREX = SHARED / "data" / "ntrex-dev" / "ntrex_dev_docs.jsonl"
DICTIONARY = SHARED / "data" / "dictionary" / "freedict-ara-eng.tsv"

sys.path.insert(0, str(ROOT))

from mt.align import Lexicon, align_segmented  # noqa: E402
from mt.dev.evaluation import line_alignment_gold, running_text, score_alignment  # noqa: E402
from mt.text import split_sentences  # noqa: E402


def synthetic(sentences: int):
    """Arabic and English texts of repeated NTREX documents, with their line spans."""
    docs = [json.loads(line) for line in NTREX.read_text(encoding="utf-8").splitlines() if line.strip()]
    ar_lines: list[str] = []
    en_lines: list[str] = []
    while min(len(ar_lines), len(en_lines)) < sentences * 1.05:
        for doc in docs:
            ar_lines += doc["ar_sentences"]
            en_lines += doc["en_sentences"]
    return running_text(ar_lines), running_text(en_lines)


def gold_before_cut(full_src, full_tgt, ar_lines, en_lines, n: int, m: int):
    """The gold line alignment of the whole texts (segments ``full_src``,
    ``full_tgt``), restricted to the blocks that lie before the cut at ``n``
    source and ``m`` target segments."""
    gold = line_alignment_gold(
        [(s.start, s.end) for s in full_src], [(t.start, t.end) for t in full_tgt], ar_lines, en_lines
    )
    return [(s, t) for s, t in gold if all(i < n for i in s) and all(j < m for j in t)]


def score_before_cut(gold, test):
    """Strict/lax score of the ``test`` blocks that lie within the gold's reach,
    and how many they are (blocks near the cut have no gold to compare with)."""
    last_src = max(max(s) for s, _ in gold if s)
    last_tgt = max(max(t) for _, t in gold if t)
    inside = [a for a in test if all(i <= last_src for i in a.src) and all(j <= last_tgt for j in a.tgt)]
    return score_alignment(gold, inside), len(inside)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sentences", type=int, default=10_000)
    parser.add_argument("--no-dictionary", action="store_true")
    parser.add_argument("--repeat", type=int, default=1, help="time this many runs, report the best")
    args = parser.parse_args(argv)
    if not NTREX.exists():
        print(f"{NTREX} is absent (../shared data not beside the project)", file=sys.stderr)
        return 2
    lexicon = None
    if not args.no_dictionary and DICTIONARY.exists():
        t0 = time.perf_counter()
        lexicon = Lexicon.load(DICTIONARY)
        print(f"dictionary load: {time.perf_counter() - t0:.2f} s")
    (ar_text, ar_lines), (en_text, en_lines) = synthetic(args.sentences)
    t0 = time.perf_counter()
    src = split_sentences(ar_text)[: args.sentences]
    tgt = split_sentences(en_text)[: args.sentences]
    t_seg = time.perf_counter() - t0
    print(f"segments: {len(src)} × {len(tgt)} ({len(ar_text) / 1e6:.1f} + {len(en_text) / 1e6:.1f} M characters before the cut)")
    best = None
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        test = align_segmented(src, tgt, lexicon=lexicon)
        elapsed = time.perf_counter() - t0
        best = elapsed if best is None else min(best, elapsed)
    print(f"segmentation: {t_seg:.2f} s, alignment: {best:.2f} s, total: {t_seg + best:.2f} s")
    gold = gold_before_cut(split_sentences(ar_text), split_sentences(en_text), ar_lines, en_lines, len(src), len(tgt))
    score, inside = score_before_cut(gold, test)
    print(f"strict F1 {score.f1_strict:.4f}, lax F1 {score.f1_lax:.4f} ({inside} blocks before the cut)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
