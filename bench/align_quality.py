"""Sentence alignment quality on the NTREX-128 dev documents, without MT.

For each document the Arabic lines and the English lines are joined into
running text (``mt.dev.evaluation.running_text``), both sides are segmented with
``mt.text.split_sentences`` and aligned with ``mt.align.align_segmented``.
Gold: line k ↔ line k, i.e. the segments of line k on each side form one
block (``mt.dev.evaluation.line_alignment_gold``).  Scores are vecalign's strict
and lax precision/recall/F1, pooled over documents.

    python bench/align_quality.py [--dictionary PATH | --no-dictionary] [--delete R --seed N] [--show]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
NTREX = SHARED / "data" / "ntrex-dev" / "ntrex_dev_docs.jsonl"
DICTIONARY = SHARED / "data" / "dictionary" / "freedict-ara-eng.tsv"

sys.path.insert(0, str(ROOT))

from mt.align import AlignOptions, Lexicon, align_segmented  # noqa: E402
from mt.dev.evaluation import AlignmentScore, line_alignment_gold, running_text, score_alignment  # noqa: E402
from mt.text import split_sentences  # noqa: E402


def load_docs(path: Path = NTREX) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def ntrex_case(doc: dict, drop_src: frozenset[int] = frozenset(), drop_tgt: frozenset[int] = frozenset()):
    """Segments of both sides and the gold alignment of one NTREX document,
    optionally with some lines left out of one side (deletions)."""

    def side(lines, drop):
        kept = [k for k in range(len(lines)) if k not in drop]
        text, spans = running_text([lines[k] for k in kept])
        full = [None] * len(lines)
        for k, span in zip(kept, spans):
            full[k] = span
        return text, full

    src_text, src_lines = side(doc["ar_sentences"], drop_src)
    tgt_text, tgt_lines = side(doc["en_sentences"], drop_tgt)
    src = split_sentences(src_text, doc["doc_id"])
    tgt = split_sentences(tgt_text, doc["doc_id"])
    gold = line_alignment_gold(
        [(s.start, s.end) for s in src], [(t.start, t.end) for t in tgt], src_lines, tgt_lines
    )
    return src, tgt, gold


def deletions(doc: dict, rate: float, rng: random.Random) -> tuple[frozenset[int], frozenset[int]]:
    """Lines to leave out: each line, with probability ``rate``, from one side
    chosen at random (never both, never every line of a side)."""
    drop_src, drop_tgt = set(), set()
    for k in range(len(doc["ar_sentences"])):
        if rng.random() < rate:
            (drop_src if rng.random() < 0.5 else drop_tgt).add(k)
    n = len(doc["ar_sentences"])
    return frozenset(drop_src if len(drop_src) < n else ()), frozenset(drop_tgt if len(drop_tgt) < n else ())


def evaluate(docs, lexicon=None, options=None, *, delete: float = 0.0, seed: int = 1, show=None):
    """Pooled score and per-document rows ``(doc_id, n, m, score)``."""
    rng = random.Random(seed)
    total = AlignmentScore()
    rows = []
    for doc in docs:
        drop = deletions(doc, delete, rng) if delete else (frozenset(), frozenset())
        src, tgt, gold = ntrex_case(doc, *drop)
        test = align_segmented(src, tgt, lexicon=lexicon, options=options)
        score = score_alignment(gold, test)
        total = total + score
        rows.append((doc["doc_id"], len(src), len(tgt), score))
        if show is not None:
            found = {(a.src, a.tgt) for a in test}
            wrong = sorted(found - set(gold))
            if wrong:
                print(f"  {doc['doc_id']}: wrong {wrong}", file=show)
                print(f"  {' ' * len(doc['doc_id'])}  gold  {sorted(set(gold) - found)}", file=show)
    return total, rows


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dictionary", type=Path, default=DICTIONARY)
    parser.add_argument("--no-dictionary", action="store_true")
    parser.add_argument("--delete", type=float, default=0.0, help="leave out this share of lines, each from one side")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--show", action="store_true", help="show the wrong blocks of each document")
    args = parser.parse_args(argv)
    if not NTREX.exists():
        print(f"{NTREX} is absent (../shared data not beside the project)", file=sys.stderr)
        return 2
    docs = load_docs()
    lexicon = None
    if not args.no_dictionary and args.dictionary.exists():
        t0 = time.perf_counter()
        lexicon = Lexicon.load(args.dictionary)
        print(f"dictionary: {args.dictionary.name}, {len(lexicon)} keys, {time.perf_counter() - t0:.2f} s")
    t0 = time.perf_counter()
    total, rows = evaluate(
        docs, lexicon, AlignOptions(), delete=args.delete, seed=args.seed, show=sys.stdout if args.show else None
    )
    elapsed = time.perf_counter() - t0
    print(f"{'doc':<24} {'ar':>3} {'en':>3}  {'P strict':>8} {'R strict':>8} {'F1 strict':>9}  {'F1 lax':>6}")
    for doc_id, n, m, s in rows:
        print(
            f"{doc_id:<24} {n:>3} {m:>3}  {s.precision_strict:8.3f} {s.recall_strict:8.3f} "
            f"{s.f1_strict:9.3f}  {s.f1_lax:6.3f}"
        )
    perfect = sum(1 for *_, s in rows if s.f1_strict == 1.0)
    print(f"documents: {len(rows)}, perfect: {perfect}, time {elapsed:.2f} s")
    print("            strict    lax")
    print(f"precision   {total.precision_strict:.4f}  {total.precision_lax:.4f}")
    print(f"recall      {total.recall_strict:.4f}  {total.recall_lax:.4f}")
    print(f"F1          {total.f1_strict:.4f}  {total.f1_lax:.4f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
