"""Sentence alignment of an Arabic article with an existing English translation.

The algorithm is a dynamic programme over the two sentence sequences, as in
Gale & Church (1993) and vecalign: a path from (0, 0) to (n, m) made of
blocks of type 1-1, 1-0, 0-1, 1-2, 2-1, 2-2, 1-3 and 3-1, each with a cost;
the cheapest path is the alignment.  Costs are in nats; a block's cost adds

* a prior for its type (``AlignOptions.type_cost``);
* a length cost, Gale–Church on characters: with ``c`` English characters
  per Arabic character and variance ``s2``,
  ``delta = (len_en - c·len_ar) / sqrt(s2 · (c·len_ar + len_en) / 2)`` and
  the cost is ``delta² / 2``.  ``c`` is the document's ratio, estimated
  again on the 1-1 blocks of a first pass when that moves it by more than
  3 % (sentences left out on one side bias the whole-document ratio);
* ``-lexical_weight · (cos(x, y) - lexical_threshold)`` when both sides
  carry features, where ``x`` and ``y`` are the summed bridge-feature
  vectors of the block's sides (:mod:`mt.align.features`: dictionary
  glosses, numbers, glossary entities, Latin-script tokens, quotes and
  parentheses), so a pair sharing nothing is penalised and a pair sharing
  much is rewarded;
* ``paragraph_weight`` when one side's block ends a paragraph and the other's
  does not (paragraph breaks are soft anchors);
* ``-mt_weight · (chrF / 100 - mt_threshold)`` of the machine translation of
  the Arabic block against the English block when a ``translate`` function
  is given (Bleualign's idea), in a second pass over a narrow band around
  the first path.

Long documents are aligned coarse to fine, as vecalign does: every ``k``
consecutive sentences are summed into one (lengths and feature vectors), the
coarse pair is aligned (recursively), and the full-resolution search covers
a band around the coarse path, widened while the best path touches its edge.
Feature dot products are sparse joins restricted to the band and the per-row
recurrence is vectorised across the band (the 0-1 move inside a row is a
running minimum), so time and memory grow linearly with the length.

``Alignment.score`` is a confidence in [0, 1] (see :func:`confidence`).
"""

from __future__ import annotations

import logging
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

import numpy as np

from ..text import normalize_text
from .features import FeatureBags, Lexicon, Translate, arabic_features, english_features

log = logging.getLogger(__name__)

Move = tuple[int, int]
MOVES: tuple[Move, ...] = ((1, 1), (1, 0), (0, 1), (1, 2), (2, 1), (2, 2), (1, 3), (3, 1))


@dataclass(frozen=True)
class Alignment:
    """One block of an alignment: source and target sentence indices.

    Equality and hashing ignore ``score``, so alignments compare as sets.
    """

    src: tuple[int, ...]
    tgt: tuple[int, ...]
    score: float = field(default=1.0, compare=False)

    @property
    def type(self) -> str:
        return f"{len(self.src)}-{len(self.tgt)}"

    def __iter__(self):  # ``for src, tgt in alignments``
        yield self.src
        yield self.tgt


DEFAULT_TYPE_COST: Mapping[Move, float] = {
    (1, 1): 0.0,
    (1, 0): 3.0,
    (0, 1): 3.0,
    (1, 2): 4.0,
    (2, 1): 4.0,
    (2, 2): 8.0,
    (1, 3): 8.0,
    (3, 1): 8.0,
}


@dataclass(frozen=True)
class AlignOptions:
    """Parameters of :func:`align_segments`; the defaults are tuned on NTREX dev."""

    moves: tuple[Move, ...] = MOVES
    type_cost: Mapping[Move, float] = field(default_factory=lambda: dict(DEFAULT_TYPE_COST))
    length_ratio: float | None = None
    """English characters per Arabic character; ``None``: the document's ratio."""
    length_variance: float = 10.0
    """Gale–Church variance ``s2`` (characters); fitted on NTREX dev 1-1 lines."""
    lexical_weight: float = 6.0
    lexical_threshold: float = 0.3
    """Cosine at which the lexical term is neutral: a block whose sides both
    carry features but share less than this is penalised, more is rewarded."""
    one_sided_evidence: bool = False
    """Count the lexical term also when only one side carries features (a
    number on one side only is then evidence against the pair); off by
    default: on NTREX dev it costs as much as it gains (quotes and numbers
    that translators add or drop)."""
    paragraph_weight: float = 1.0
    mt_weight: float = 6.0
    mt_threshold: float = 0.25
    """chrF/100 at which the MT term is neutral (unrelated sentences score about 0.15-0.25)."""
    full_cells: int = 250_000
    """Search the whole matrix when it has at most this many cells; above,
    align a coarser version first and search a band around its path."""
    coarse_size: int = 300
    """Sentences per side at the coarser level."""
    radius: int = 8
    """Initial half-width (sentences) of the band around the coarse path."""
    mt_radius: int = 4
    """Half-width of the band around the first path searched with MT."""
    confidence_offset: float = 1.25
    confidence_scale: float = 1.5
    """Logistic calibration of :func:`confidence` (fitted on NTREX dev)."""


# ------------------------------------------------------------------ the band


@dataclass(frozen=True, eq=False)
class _Band:
    """The DP cells searched: row ``i`` (source prefix length) holds the
    target prefix lengths ``lo[i] <= j < hi[i]``; cells are stored row after
    row in flat arrays, row ``i`` from ``off[i]``."""

    lo: np.ndarray
    hi: np.ndarray
    off: np.ndarray

    @classmethod
    def from_ranges(cls, lo: np.ndarray, hi: np.ndarray) -> _Band:
        lo = np.asarray(lo, dtype=np.int64)
        hi = np.asarray(hi, dtype=np.int64)
        off = np.zeros(len(lo) + 1, dtype=np.int64)
        np.cumsum(hi - lo, out=off[1:])
        return cls(lo, hi, off)

    @classmethod
    def full(cls, n: int, m: int) -> _Band:
        return cls.from_ranges(np.zeros(n + 1, dtype=np.int64), np.full(n + 1, m + 1, dtype=np.int64))

    @classmethod
    def around(cls, blocks: Sequence[tuple[Move, int, int]], factor: int, n: int, m: int, radius: int) -> _Band:
        """Cells within ``radius`` of a path found at ``factor`` times coarser
        resolution (``factor`` 1: the path itself)."""
        jmin = np.full(n + 1, m, dtype=np.int64)
        jmax = np.zeros(n + 1, dtype=np.int64)
        for (a, b), i, j in blocks:
            r0, r1 = min((i - a) * factor, n), min(i * factor, n)
            c0, c1 = min((j - b) * factor, m), min(j * factor, m)
            np.minimum(jmin[r0 : r1 + 1], c0, out=jmin[r0 : r1 + 1])
            np.maximum(jmax[r0 : r1 + 1], c1, out=jmax[r0 : r1 + 1])
        # The path is monotone, so the running min/max over rows i±radius are
        # the values at the window's ends.
        rows = np.arange(n + 1)
        lo = np.maximum(jmin[np.maximum(rows - radius, 0)] - radius, 0)
        hi = np.minimum(jmax[np.minimum(rows + radius, n)] + radius + 1, m + 1)
        lo[0], hi[n] = 0, m + 1
        return cls.from_ranges(lo, np.maximum(hi, lo + 1))

    @property
    def cells(self) -> int:
        return int(self.off[-1])

    def covers_all(self, m: int) -> bool:
        return bool((self.lo == 0).all() and (self.hi == m + 1).all())

    def coordinates(self) -> tuple[np.ndarray, np.ndarray]:
        """Row and column of every cell."""
        widths = self.hi - self.lo
        rows = np.repeat(np.arange(len(self.lo)), widths)
        cols = np.arange(self.cells) - np.repeat(self.off[:-1] - self.lo, widths)
        return rows, cols

    def near_edge(self, blocks: Sequence[tuple[Move, int, int]], m: int, margin: int) -> bool:
        """Does the path come within ``margin`` of an edge that is not the matrix's?"""
        for (a, b), i, j in blocks:
            for ii, jj in ((i - a, j - b), (i, j)):
                lo, hi = self.lo[ii], self.hi[ii]
                if (lo > 0 and jj - lo < margin) or (hi < m + 1 and hi - 1 - jj < margin):
                    return True
        return False


# ------------------------------------------------------------------ the costs


def _cumsum0(values: Sequence[float]) -> np.ndarray:
    out = np.zeros(len(values) + 1, dtype=np.float64)
    np.cumsum(np.asarray(values, dtype=np.float64), out=out[1:])
    return out


Sparse = tuple[np.ndarray, np.ndarray, np.ndarray]  # rows, cols, weights; sorted by (row, col)


def _coarsen_rows(sparse: Sparse, factor: int, n_feat: int) -> Sparse:
    rows, cols, weights = sparse
    if not len(rows):
        return sparse
    key = (rows // factor) * n_feat + cols
    uniq, inverse = np.unique(key, return_inverse=True)
    return uniq // n_feat, uniq % n_feat, np.bincount(inverse, weights=weights)


def _self_dots(sparse: Sparse, n: int, offset: int, n_feat: int) -> np.ndarray:
    """``x_p · x_{p+offset}`` for every p."""
    rows, cols, weights = sparse
    out = np.zeros(max(n, 0), dtype=np.float64)
    if not len(rows) or offset >= n:
        return out
    key = rows * n_feat + cols
    want = (rows + offset) * n_feat + cols
    pos = np.minimum(np.searchsorted(key, want), len(key) - 1)
    hit = key[pos] == want
    np.add.at(out, rows[hit], weights[hit] * weights[pos[hit]])
    return out


def _block_norms(norms: np.ndarray, adjacent: list[np.ndarray], size: int, count: int) -> np.ndarray:
    """``|x_{k-size} + … + x_{k-1}|²`` for k = 0..count (0 where the block does not fit)."""
    out = np.zeros(count + 1, dtype=np.float64)
    if size == 0:
        return out
    ends = np.arange(size, count + 1)
    for d in range(size):
        out[ends] += norms[ends - 1 - d]
    for gap in range(1, size):
        for d in range(gap, size):
            out[ends] += 2 * adjacent[gap - 1][ends - 1 - d]
    return out


def _paragraph_ends(par: Sequence[int] | None, count: int) -> np.ndarray:
    """``ends[k]``: a paragraph break lies before sentence k (k = 0..count)."""
    ends = np.ones(count + 1, dtype=bool)
    if par is None:
        ends[1:count] = False
    elif count:
        p = np.asarray(par)
        ends[1:count] = p[1:] != p[:-1]
    return ends


class _Problem:
    """One document pair at one resolution: lengths, features, paragraph ends."""

    def __init__(
        self,
        src_len: np.ndarray,
        tgt_len: np.ndarray,
        src: Sparse,
        tgt: Sparse,
        n_feat: int,
        src_par_end: np.ndarray | None,
        tgt_par_end: np.ndarray | None,
        options: AlignOptions,
        ratio: float,
        length_slack: float = 0.0,
    ) -> None:
        self.n, self.m = len(src_len), len(tgt_len)
        self.length_slack = length_slack
        self.src_len, self.tgt_len = src_len, tgt_len
        self.src, self.tgt, self.n_feat = src, tgt, max(1, n_feat)
        self.options, self.ratio = options, ratio
        self.cum_src, self.cum_tgt = _cumsum0(src_len), _cumsum0(tgt_len)
        self.src_par_end, self.tgt_par_end = src_par_end, tgt_par_end
        self.max_a = max(a for a, _ in options.moves)
        self.max_b = max(b for _, b in options.moves)
        n, m = self.n, self.m
        sr, sc, sw = src
        tr, tc, tw = tgt
        src_norm = np.bincount(sr, weights=sw * sw, minlength=n).astype(np.float64)
        tgt_norm = np.bincount(tr, weights=tw * tw, minlength=m).astype(np.float64)
        src_adj = [_self_dots(src, n, g, self.n_feat) for g in range(1, self.max_a)]
        tgt_adj = [_self_dots(tgt, m, g, self.n_feat) for g in range(1, self.max_b)]
        self.src_block_norm = {a: _block_norms(src_norm, src_adj, a, n) for a in range(self.max_a + 1)}
        self.tgt_block_norm = {b: _block_norms(tgt_norm, tgt_adj, b, m) for b in range(self.max_b + 1)}
        order = np.lexsort((tr, tc))  # target features by (feature, sentence), for the band join
        self._tgt_key = tc[order] * (m + 1) + tr[order]
        self._tgt_row = tr[order]
        self._tgt_w = tw[order]

    def coarsen(self, factor: int) -> _Problem:
        """The same pair with every ``factor`` consecutive sentences as one."""

        def lengths(values: np.ndarray) -> np.ndarray:
            pad = (-len(values)) % factor
            return np.concatenate([values, np.zeros(pad)]).reshape(-1, factor).sum(axis=1)

        # A coarse block stands for ``factor`` sentences: scale the per-block
        # terms so that its cost compares with the sum of the fine ones.
        coarse_options = replace(
            self.options,
            type_cost={mv: cost * factor for mv, cost in self.options.type_cost.items()},
            lexical_weight=self.options.lexical_weight * factor,
            paragraph_weight=0.0,
        )
        return _Problem(
            lengths(self.src_len),
            lengths(self.tgt_len),
            _coarsen_rows(self.src, factor, self.n_feat),
            _coarsen_rows(self.tgt, factor, self.n_feat),
            self.n_feat,
            None,
            None,
            coarse_options,
            self.ratio,
            # Coarse block boundaries cut through sentence pairs: allow for
            # about one sentence of length on either side.
            length_slack=self.length_slack + 2.0 * float(np.mean(self.tgt_len)) ** 2 if self.m else 0.0,
        )

    def _sentence_dots(self, band: _Band) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """``x_p · y_q`` for the (p, q) that blocks in ``band`` can hold, stored
        ragged: sentence p covers ``q`` in ``[qlo[p], qhi[p])`` from ``qoff[p]``."""
        n, m = self.n, self.m
        # Sentence p is in blocks ending at rows p+1 … p+max_a.
        qlo = np.full(n, m, dtype=np.int64)
        qhi = np.zeros(n, dtype=np.int64)
        for d in range(1, self.max_a + 1):
            rows = np.minimum(np.arange(n) + d, n)
            np.minimum(qlo, band.lo[rows] - self.max_b, out=qlo)
            np.maximum(qhi, band.hi[rows] - 1, out=qhi)
        qlo = np.maximum(qlo, 0)
        qhi = np.maximum(np.minimum(qhi, m), qlo)
        qoff = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(qhi - qlo, out=qoff[1:])
        dots = np.zeros(int(qoff[-1]) + 1, dtype=np.float64)
        sr, sc, sw = self.src
        if len(sr) and len(self._tgt_key):
            start = np.searchsorted(self._tgt_key, sc * (m + 1) + qlo[sr])
            stop = np.searchsorted(self._tgt_key, sc * (m + 1) + qhi[sr])
            counts = stop - start
            total = int(counts.sum())
            if total:
                owner = np.repeat(np.arange(len(sr)), counts)
                idx = start[owner] + np.arange(total) - np.repeat(np.cumsum(counts) - counts, counts)
                p = sr[owner]
                flat = qoff[p] + self._tgt_row[idx] - qlo[p]
                dots = np.bincount(flat, weights=sw[owner] * self._tgt_w[idx], minlength=len(dots))
        return dots, qlo, qhi, qoff

    def costs(self, band: _Band) -> dict[Move, np.ndarray]:
        """Cost of the block of each move ending at each cell (``inf`` where impossible)."""
        opt = self.options
        n, m = self.n, self.m
        rows, cols = band.coordinates()
        dots, qlo, qhi, qoff = self._sentence_dots(band)
        last = len(dots) - 1
        c, s2 = self.ratio, opt.length_variance
        out: dict[Move, np.ndarray] = {}
        for a, b in opt.moves:
            valid = (rows >= a) & (cols >= b)
            if a > n or b > m:
                out[(a, b)] = np.full(len(rows), np.inf)
                continue
            if a == 0 or b == 0:
                out[(a, b)] = np.where(valid, float(opt.type_cost.get((a, b), 3.0)), np.inf)
                continue
            ii = np.clip(rows, a, n)
            jj = np.clip(cols, b, m)
            ls = self.cum_src[ii] - self.cum_src[ii - a]
            lt = self.cum_tgt[jj] - self.cum_tgt[jj - b]
            delta = (lt - c * ls) / np.sqrt(s2 * np.maximum((c * ls + lt) / 2, 1.0) + self.length_slack)
            cost = opt.type_cost.get((a, b), 8.0) + delta * delta / 2
            dot = np.zeros(len(rows))
            for da in range(1, a + 1):
                p = ii - da
                base = qoff[p] - qlo[p]
                for db in range(1, b + 1):
                    q = jj - db
                    ok = (q >= qlo[p]) & (q < qhi[p])
                    dot += np.where(ok, dots[np.clip(base + q, 0, last)], 0.0)
            src_norm = self.src_block_norm[a][ii]
            tgt_norm = self.tgt_block_norm[b][jj]
            both = (src_norm > 0) & (tgt_norm > 0)
            cos = np.minimum(dot / np.sqrt(np.where(both, src_norm * tgt_norm, 1.0)), 1.0)
            # Evidence when either side carries features (a number on one side
            # only is evidence against the pair); none when neither does.
            has = (src_norm > 0) | (tgt_norm > 0) if opt.one_sided_evidence else both
            cost = cost - opt.lexical_weight * np.where(has, cos - opt.lexical_threshold, 0.0)
            if opt.paragraph_weight and self.src_par_end is not None and self.tgt_par_end is not None:
                cost = cost + opt.paragraph_weight * (self.src_par_end[ii] != self.tgt_par_end[jj])
            out[(a, b)] = np.where(valid, cost, np.inf)
        return out


# -------------------------------------------------------------- the programme


def _dp(costs: Mapping[Move, np.ndarray], band: _Band, moves: Sequence[Move]) -> list[tuple[Move, int, int]]:
    """Cheapest path through ``band``: blocks ``(move, i_end, j_end)`` in order."""
    lo, hi, off = band.lo, band.hi, band.off
    n = len(lo) - 1
    m = int(hi[n]) - 1
    inf = np.inf
    table = np.full(band.cells, inf)
    back = np.zeros(band.cells, dtype=np.int8)
    move_index = {mv: k for k, mv in enumerate(moves)}
    vertical = [mv for mv in moves if mv[0] > 0]
    vertical_index = np.asarray([move_index[mv] for mv in vertical], dtype=np.int8)
    hcost = costs.get((0, 1)) if (0, 1) in move_index else None
    h_index = move_index.get((0, 1), -1)

    def horizontal(i: int, row: np.ndarray, moved_to: np.ndarray) -> np.ndarray:
        # D[k] = min(row[k], D[k-1] + h[k]): a running minimum over the prefix
        # sums of the insertion costs.
        h = hcost[off[i] : off[i + 1]].copy()
        h[0] = 0.0
        h[~np.isfinite(h)] = 1e300
        cum = np.cumsum(h)
        best = np.minimum.accumulate(row - cum) + cum
        moved = best < row - 1e-9
        moved_to[moved] = h_index
        return np.where(moved, best, row)

    first = np.full(hi[0] - lo[0], inf)
    first[0] = 0.0  # lo[0] is 0
    if hcost is not None:
        first = horizontal(0, first, back[off[0] : off[1]])
    table[off[0] : off[1]] = first
    cands = np.empty((len(vertical), int((hi - lo).max())))
    for i in range(1, n + 1):
        width = int(hi[i] - lo[i])
        cand = cands[:, :width]
        cand.fill(inf)
        for k, (a, b) in enumerate(vertical):
            r = i - a
            if r < 0:
                continue
            # cells j of row i whose predecessor j - b lies in row r's range
            k0 = max(0, int(lo[r] + b - lo[i]))
            k1 = min(width, int(hi[r] + b - lo[i]))
            if k1 <= k0:
                continue
            p0 = off[r] + lo[i] + k0 - b - lo[r]
            np.add(table[p0 : p0 + k1 - k0], costs[(a, b)][off[i] + k0 : off[i] + k1], out=cand[k, k0:k1])
        choice = np.argmin(cand, axis=0)
        row = cand[choice, np.arange(width)]
        back_row = back[off[i] : off[i + 1]]
        back_row[:] = vertical_index[choice]
        if hcost is not None:
            row = horizontal(i, row, back_row)
        table[off[i] : off[i + 1]] = row
    if not math.isfinite(table[off[n] + m - lo[n]]):
        raise RuntimeError("no alignment path through the search band")
    path = []
    i, j = n, m
    while i > 0 or j > 0:
        mv = moves[back[off[i] + j - lo[i]]]
        path.append((mv, i, j))
        i, j = i - mv[0], j - mv[1]
    path.reverse()
    return path


def _search(problem: _Problem, extra=None, band: _Band | None = None) -> tuple[list[tuple[Move, int, int]], list[float]]:
    """Coarse to fine: align a coarser version of the pair, then search a band
    around its path, widening the band while the path touches its edge.
    With ``band`` given, search that band alone."""
    opt = problem.options
    n, m = problem.n, problem.m
    if band is not None:
        bands = iter([band])
    elif (n + 1) * (m + 1) <= opt.full_cells:
        bands = iter([_Band.full(n, m)])
    else:
        factor = max(2, math.ceil(max(n, m) / opt.coarse_size))
        coarse, _ = _search(problem.coarsen(factor))

        def widening():
            radius = max(opt.radius, factor)
            while True:
                yield _Band.around(coarse, factor, n, m, radius)
                radius *= 2

        bands = widening()
    for band in bands:
        costs = problem.costs(band)
        if extra is not None:
            for mv, arr in extra(band).items():
                costs[mv] = costs[mv] + arr
        path = _dp(costs, band, opt.moves)
        if extra is not None or band.covers_all(m) or not band.near_edge(path, m, margin=2):
            break
        log.debug("alignment path near the band edge (%d cells); widening", band.cells)
    cell_costs = [float(costs[mv][band.off[i] + j - band.lo[i]]) for mv, i, j in path]
    return path, cell_costs


# ------------------------------------------------------------- confidence


def confidence(move: Move, cost: float, options: AlignOptions) -> float:
    """Confidence in [0, 1] of one block, from its cost.

    The costs are negative log-likelihoods (nats), so a block of ``a``
    source and ``b`` target sentences can be weighed against the other
    explanation of the same sentences, that they are all left unaligned
    (``a`` 1-0 and ``b`` 0-1 blocks).  The confidence is the logistic of
    that margin, ``1 / (1 + exp(-(margin - confidence_offset) /
    confidence_scale))``, with offset and scale fitted on the NTREX dev
    benchmark with deletions so that it reads as the share of blocks of that
    confidence that are right (on that benchmark: 65 % right at margin 2-4,
    94 % at 4-6, 99 % above 6).  Insertions and deletions (1-0, 0-1) get
    0.5: their margin against being left unaligned is zero by definition.
    """
    a, b = move
    if a == 0 or b == 0:
        return 0.5
    skip = options.type_cost.get((1, 0), 3.0) * a + options.type_cost.get((0, 1), 3.0) * b
    margin = skip - cost
    z = (margin - options.confidence_offset) / options.confidence_scale
    return float(1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z)))))


# ------------------------------------------------------------------ the API


def _translation_costs(problem: _Problem, src: Sequence[str], tgt: Sequence[str], translate: Translate):
    """The Bleualign term for every cell of a band:
    ``-mt_weight · (chrF(MT(source block), target block) / 100 - mt_threshold)``."""
    from sacrebleu.metrics import CHRF

    hyps = list(translate(list(src)))
    if len(hyps) != len(src):
        raise ValueError(f"translate returned {len(hyps)} sentences for {len(src)}")
    chrf = CHRF()
    weight, threshold = problem.options.mt_weight, problem.options.mt_threshold

    def extra(band: _Band) -> dict[Move, np.ndarray]:
        rows, cols = band.coordinates()
        out = {}
        for a, b in problem.options.moves:
            arr = np.zeros(band.cells)
            if a and b:
                for cell in np.flatnonzero((rows >= a) & (cols >= b)):
                    i, j = int(rows[cell]), int(cols[cell])
                    hyp = " ".join(hyps[i - a : i])
                    ref = " ".join(tgt[j - b : j])
                    arr[cell] = -weight * (chrf.sentence_score(hyp, [ref]).score / 100.0 - threshold)
            out[(a, b)] = arr
        return out

    return extra


def align_segments(
    src: Sequence[str],
    tgt: Sequence[str],
    *,
    lexicon: Lexicon | None = None,
    glossary=None,
    translate: Translate | None = None,
    src_paragraphs: Sequence[int] | None = None,
    tgt_paragraphs: Sequence[int] | None = None,
    options: AlignOptions | None = None,
) -> list[Alignment]:
    """Align Arabic sentences ``src`` with English sentences ``tgt``.

    Returns blocks in order covering every sentence of both sides exactly
    once (1-0 and 0-1 blocks for sentences left out; all of them when a side
    is empty).  ``lexicon`` is a bilingual word list, ``glossary`` anything
    with ``match(text)`` returning matches with ``.entry.en``, ``translate``
    a machine translation function (Arabic sentences → English sentences,
    one for one).  ``src_paragraphs`` and ``tgt_paragraphs`` give each
    sentence's paragraph number (``Segment.paragraph``); paragraph ends are
    soft anchors.
    """
    options = options or AlignOptions()
    n, m = len(src), len(tgt)
    if n == 0 or m == 0:
        return [Alignment((i,), (), 0.5) for i in range(n)] + [Alignment((), (j,), 0.5) for j in range(m)]
    for name, par, count in (("src_paragraphs", src_paragraphs, n), ("tgt_paragraphs", tgt_paragraphs, m)):
        if par is not None and len(par) != count:
            raise ValueError(f"{name} has {len(par)} entries for {count} sentences")
    src_norm = [normalize_text(s) for s in src]
    bags = FeatureBags.build(
        [arabic_features(s, lexicon, glossary, normalized=z) for s, z in zip(src, src_norm)],
        [english_features(t) for t in tgt],
    )
    src_len = np.asarray([len(s) for s in src_norm], dtype=np.float64)
    tgt_len = np.asarray([len(t) for t in tgt], dtype=np.float64)
    ratio = options.length_ratio
    if ratio is None:
        ratio = tgt_len.sum() / src_len.sum() if src_len.sum() > 0 and tgt_len.sum() > 0 else 1.0
    with_paragraphs = src_paragraphs is not None and tgt_paragraphs is not None
    problem = _Problem(
        src_len,
        tgt_len,
        bags.src,
        bags.tgt,
        len(bags.vocabulary),
        _paragraph_ends(src_paragraphs, n) if with_paragraphs else None,
        _paragraph_ends(tgt_paragraphs, m) if with_paragraphs else None,
        options,
        float(ratio),
    )
    path, cell_costs = _search(problem)
    if options.length_ratio is None:
        # Sentences left out on one side bias the document's length ratio;
        # re-estimate it on the 1-1 blocks found and search again if it moved.
        one_one = [(i - 1, j - 1) for mv, i, j in path if mv == (1, 1)]
        if one_one:
            ii, jj = np.asarray(one_one).T
            refined = float(tgt_len[jj].sum() / max(src_len[ii].sum(), 1.0))
            if abs(refined / problem.ratio - 1.0) > 0.03:
                log.debug("length ratio %.3f → %.3f; aligning again", problem.ratio, refined)
                problem.ratio = refined
                path, cell_costs = _search(problem)
    if translate is not None:
        band = _Band.around(path, 1, n, m, options.mt_radius)
        path, cell_costs = _search(problem, _translation_costs(problem, src, tgt, translate), band)
    return [
        Alignment(tuple(range(i - mv[0], i)), tuple(range(j - mv[1], j)), confidence(mv, cost, options))
        for (mv, i, j), cost in zip(path, cell_costs)
    ]
