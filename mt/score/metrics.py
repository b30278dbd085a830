"""Scoring translations against references: BLEU, chrF, chrF++, TER, term accuracy.

Every figure comes from sacrebleu (``BLEU``, ``CHRF``, ``CHRF(word_order=2)``,
``TER`` with their default settings, so the numbers equal the ``sacrebleu``
command's), each with its signature.  Sentence scores are BLEU with effective
order and chrF.  Two systems are compared with sacrebleu's paired bootstrap
resampling (1,000 resamples, seed 12345 unless ``SACREBLEU_SEED`` says
otherwise; the seed is in the signatures).  Term accuracy is in
:mod:`mt.score.terms`, reading and pairing the inputs in :mod:`mt.score.inputs`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from sacrebleu.metrics import BLEU, CHRF, TER
from sacrebleu.metrics.base import Metric

from ..errors import InputError
from .inputs import (
    Aligner,
    ScoringSet,
    build_scoring_set,
    count_mismatch,
    join_units,
    load_segments,
    match_side,
    pick_sources,
)
from .terms import (
    GlossaryLike,
    TermAccuracy,
    check_terms,
    find_source_terms,
)

METRICS = ("bleu", "chrf", "chrf_pp", "ter")
BOOTSTRAP_SAMPLES = 1000


def corpus_metrics() -> dict[str, Metric]:
    """Fresh sacrebleu metric objects, keyed as in our reports."""
    return {"bleu": BLEU(), "chrf": CHRF(), "chrf_pp": CHRF(word_order=2), "ter": TER()}


@dataclass(frozen=True)
class SegmentScore:
    """Sentence-level scores of one segment (BLEU with effective order, chrF)."""

    id: str
    bleu: float
    chrf: float
    hypothesis: str
    references: tuple[str, ...]


@dataclass(frozen=True)
class ScoreReport:
    """Corpus scores with their sacrebleu signatures and the per-segment scores."""

    bleu: float
    chrf: float
    chrf_pp: float
    ter: float
    signatures: Mapping[str, str]
    summaries: Mapping[str, str]
    """sacrebleu's one-line result per metric (BLEU's n-gram precisions, BP …)."""
    segments: tuple[SegmentScore, ...]
    segment_signatures: Mapping[str, str]

    def score(self, metric: str) -> float:
        return float(getattr(self, metric))


def _streams(hyps: Sequence[str], refs_list: Sequence[Sequence[str]]) -> tuple[list[str], list[list[str]]]:
    """Check the shapes and return plain lists, as sacrebleu wants them."""
    if not hyps:
        raise InputError("nothing to score: the hypothesis has no segments")
    if not refs_list:
        raise InputError("nothing to score against: no reference given")
    for k, refs in enumerate(refs_list, 1):
        if len(refs) != len(hyps):
            raise count_mismatch(("the hypothesis", len(hyps)), (f"reference {k}", len(refs)))
    return list(hyps), [list(r) for r in refs_list]


def sentence_scores(
    hyps: Sequence[str], refs_list: Sequence[Sequence[str]], ids: Sequence[str] | None = None
) -> tuple[tuple[SegmentScore, ...], dict[str, str]]:
    """Per-segment BLEU (effective order) and chrF, with the two signatures."""
    hyps, refs_list = _streams(hyps, refs_list)
    ids = [str(i) for i in range(len(hyps))] if ids is None else ids
    bleu, chrf = BLEU(effective_order=True), CHRF()
    segments = []
    for k, hyp in enumerate(hyps):
        refs = [r[k] for r in refs_list]
        segments.append(
            SegmentScore(
                id=ids[k],
                bleu=bleu.sentence_score(hyp, refs).score,
                chrf=chrf.sentence_score(hyp, refs).score,
                hypothesis=hyp,
                references=tuple(refs),
            )
        )
    return tuple(segments), {"bleu": str(bleu.get_signature()), "chrf": str(chrf.get_signature())}


def score_corpus(
    hyps: Sequence[str], refs_list: Sequence[Sequence[str]], ids: Sequence[str] | None = None
) -> ScoreReport:
    """Corpus BLEU, chrF, chrF++ and TER of ``hyps`` against one or more reference streams."""
    hyps, refs_list = _streams(hyps, refs_list)
    metrics = corpus_metrics()
    results = {key: metric.corpus_score(hyps, refs_list) for key, metric in metrics.items()}
    segments, segment_signatures = sentence_scores(hyps, refs_list, ids)
    return ScoreReport(
        **{key: result.score for key, result in results.items()},
        signatures={key: str(metric.get_signature()) for key, metric in metrics.items()},
        summaries={key: str(result) for key, result in results.items()},
        segments=segments,
        segment_signatures=segment_signatures,
    )


@dataclass(frozen=True)
class MetricComparison:
    """One metric of a paired test: both scores, the system's p-value, bootstrap means and 95% CIs."""

    metric: str
    baseline: float
    system: float
    p_value: float
    baseline_mean: float | None
    baseline_ci: float | None
    system_mean: float | None
    system_ci: float | None


@dataclass(frozen=True)
class Comparison:
    """Two systems scored on the same references with sacrebleu's paired test."""

    baseline: str
    system: str
    test: str
    samples: int
    metrics: tuple[MetricComparison, ...]
    signatures: Mapping[str, str]

    def metric(self, key: str) -> MetricComparison:
        return next(m for m in self.metrics if m.metric == key)


def paired_significance(
    baseline: Sequence[str],
    system: Sequence[str],
    refs_list: Sequence[Sequence[str]],
    *,
    names: tuple[str, str] = ("baseline", "system"),
    samples: int = BOOTSTRAP_SAMPLES,
) -> Comparison:
    """sacrebleu's paired bootstrap resampling test of ``system`` against ``baseline``.

    The p-value is the probability of a difference as large as the observed
    one arising by chance; deterministic (seed 12345) unless ``SACREBLEU_SEED``
    is set.
    """
    from sacrebleu.significance import PairedTest

    baseline, refs_list = _streams(baseline, refs_list)
    system, _ = _streams(system, refs_list)
    metrics = corpus_metrics()
    test = PairedTest(
        [(names[0], baseline), (names[1], system)], metrics, refs_list, test_type="bs", n_samples=samples
    )
    signatures, scores = test()
    # PairedTest keys its results by sacrebleu's score names (BLEU, chrF2, …), in our order.
    keyed = dict(zip(metrics, [name for name in scores if name != "System"]))
    results = []
    for key, name in keyed.items():
        base, sys_ = scores[name]
        results.append(
            MetricComparison(
                metric=key,
                baseline=base.score,
                system=sys_.score,
                p_value=float(sys_.p_value),
                baseline_mean=_float(base.mean),
                baseline_ci=_float(base.ci),
                system_mean=_float(sys_.mean),
                system_ci=_float(sys_.ci),
            )
        )
    return Comparison(
        baseline=names[0],
        system=names[1],
        test="paired bootstrap resampling",
        samples=samples,
        metrics=tuple(results),
        signatures={key: str(signatures[name]) for key, name in keyed.items()},
    )


def _float(value) -> float | None:
    return None if value is None else float(value)


@dataclass(frozen=True)
class Evaluation:
    """Everything ``mt score`` reports: the scores, term accuracy, comparison, notes."""

    hypothesis: str
    references: tuple[str, ...]
    report: ScoreReport
    scored: ScoringSet
    terms: TermAccuracy | None = None
    reference_terms: tuple[TermAccuracy, ...] | None = None
    comparison: Comparison | None = None
    compare_terms: TermAccuracy | None = None
    case_sensitive: bool = False
    notes: tuple[str, ...] = ()


def _alignment_notes(scored: ScoringSet) -> list[str]:
    notes = []
    for path, pairs, dropped in scored.aligned:
        note = f"{path}: reference aligned to the hypothesis's source ({pairs} pairs)"
        if dropped:
            note += f"; {dropped} reference sentence(s) aligned to no source sentence left out"
        notes.append(note)
    for path in scored.exact:
        notes.append(f"{path}: reference sentences paired exactly with the hypothesis's segments")
    if scored.aligned and len(scored.units) != sum(len(u) for u in scored.units):
        notes.append(f"{len(scored.units)} units scored: hypothesis segments joined where the alignment joins them")
    return notes


def evaluate(
    hyp_path: Path | str,
    ref_paths: Sequence[Path | str],
    *,
    glossary: GlossaryLike | None = None,
    src_path: Path | str | None = None,
    compare_path: Path | str | None = None,
    align: bool | None = None,
    case_sensitive: bool = False,
    aligner: Aligner | None = None,
    encoding: str = "utf-8",
) -> Evaluation:
    """Read, pair (aligning whole-article references), score and compare: ``mt score``.

    Plain-text inputs are decoded with ``encoding``; pairs files are UTF-8.
    Every input is read before anything is scored."""
    hyp = load_segments(hyp_path, encoding)
    refs = [load_segments(p, encoding) for p in ref_paths]
    compared = None if compare_path is None else match_side(hyp, load_segments(compare_path, encoding))
    sources = pick_sources(hyp, refs, src_path, encoding)
    scored = build_scoring_set(hyp, refs, sources, align=align, aligner=aligner, glossary=glossary)
    report = score_corpus(scored.hypotheses, scored.references, scored.ids)
    notes = _alignment_notes(scored)
    other = None if compared is None else join_units(compared.english, scored.units)
    comparison = None
    if other is not None:
        comparison = paired_significance(
            scored.hypotheses, other, scored.references, names=(hyp.path, str(compare_path))
        )
    terms = reference_terms = compare_terms = None
    if glossary is not None and scored.sources is None:
        notes.append("term accuracy unavailable: no Arabic source (give --src, or a JSON/TMX hypothesis)")
    elif glossary is not None:
        found = find_source_terms(scored.sources, glossary)

        def check(texts: Sequence[str]) -> TermAccuracy:
            return check_terms(found, texts, scored.ids, case_sensitive=case_sensitive)

        terms = check(scored.hypotheses)
        reference_terms = tuple(check(r) for r in scored.references)
        compare_terms = check(other) if other is not None else None
        if not terms.total:
            notes.append("term accuracy undefined: no glossary term occurs in the source")
    return Evaluation(
        hypothesis=hyp.path,
        references=tuple(r.path for r in refs),
        report=report,
        scored=scored,
        terms=terms,
        reference_terms=reference_terms,
        comparison=comparison,
        compare_terms=compare_terms,
        case_sensitive=case_sensitive,
        notes=tuple(notes),
    )

