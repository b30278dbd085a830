"""Presenting an :class:`mt.score.Evaluation`: one JSON object, a CSV of segments, rich tables."""

from __future__ import annotations

import csv
from pathlib import Path

from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..errors import FormatError, OutputError
from ..text import atomic_writer
from .metrics import METRICS, Comparison, Evaluation
from .terms import TermAccuracy

LABELS = {"bleu": "BLEU", "chrf": "chrF", "chrf_pp": "chrF++", "ter": "TER"}
MAX_MISSES_SHOWN = 20


def _misses(terms: TermAccuracy | None) -> list[dict] | None:
    if terms is None:
        return None
    return [{"id": m.segment, "source": m.source, "en": m.en} for m in terms.misses]


def _term_counts(terms: TermAccuracy) -> dict:
    return {"correct": terms.correct, "total": terms.total, "accuracy": terms.accuracy}


def comparison_to_dict(comparison: Comparison, terms: TermAccuracy | None) -> dict:
    """The ``compare`` object of the JSON output."""
    return {
        "baseline": comparison.baseline,
        "system": comparison.system,
        "test": comparison.test,
        "samples": comparison.samples,
        "metrics": {
            m.metric: {
                "baseline": m.baseline,
                "system": m.system,
                "p_value": m.p_value,
                "baseline_mean": m.baseline_mean,
                "baseline_ci": m.baseline_ci,
                "system_mean": m.system_mean,
                "system_ci": m.system_ci,
            }
            for m in comparison.metrics
        },
        "signatures": dict(comparison.signatures),
        "term_accuracy": None if terms is None else terms.accuracy,
        "misses": _misses(terms),
    }


def evaluation_to_dict(result: Evaluation, glossary: str | None = None) -> dict:
    """The one JSON object of ``mt score --json``."""
    report = result.report
    out: dict = {key: report.score(key) for key in METRICS}
    out.update(
        {
            "term_accuracy": None if result.terms is None else result.terms.accuracy,
            "term_accuracy_reference": (
                None if result.reference_terms is None else [t.accuracy for t in result.reference_terms]
            ),
            "signatures": dict(report.signatures),
            "segment_signatures": dict(report.segment_signatures),
            "segments": len(report.segments),
            "hypothesis": result.hypothesis,
            "references": list(result.references),
            "glossary": glossary,
            "terms": None
            if result.terms is None
            else {
                "hypothesis": _term_counts(result.terms),
                "references": [_term_counts(t) for t in result.reference_terms or ()],
                "case_sensitive": result.case_sensitive,
                "match": "canonical English at word boundaries, one occurrence per source term (WMT21 exact match)",
            },
            "misses": _misses(result.terms) or [],
            "reference_misses": (
                None if result.reference_terms is None else [_misses(t) for t in result.reference_terms]
            ),
            "aligned": [{"reference": p, "pairs": n, "left_out": d} for p, n, d in result.scored.aligned],
            "notes": list(result.notes),
        }
    )
    if result.comparison is not None:
        out["compare"] = comparison_to_dict(result.comparison, result.compare_terms)
    return out


def check_segments_path(path: Path | str) -> Path:
    """Refuse a segments CSV whose directory does not exist, before any scoring."""
    path = Path(path)
    if not path.parent.is_dir():
        raise OutputError(f"{path.parent}: output directory does not exist")
    return path


def write_segments_csv(result: Evaluation, path: Path | str) -> None:
    """Per-segment id, sentence BLEU, chrF, missed terms, hypothesis and reference(s), atomically."""
    segments = result.report.segments
    nrefs = len(result.references)
    misses: dict[str, list[str]] = {}
    for miss in result.terms.misses if result.terms else ():
        misses.setdefault(miss.segment, []).append(miss.en)
    ref_columns = ["reference"] + [f"reference_{k}" for k in range(2, nrefs + 1)]
    seg_id = None
    try:
        with atomic_writer(path) as handle:
            writer = csv.writer(handle)
            writer.writerow(["id", "bleu", "chrf", "missed_terms", "hypothesis", *ref_columns])
            for seg in segments:
                seg_id = seg.id
                writer.writerow(
                    [seg.id, f"{seg.bleu:.4f}", f"{seg.chrf:.4f}", "; ".join(misses.get(seg.id, [])), seg.hypothesis, *seg.references]
                )
    except UnicodeEncodeError as err:
        # load_segments refuses such inputs; this guards Evaluations built otherwise.
        char = f"U+{ord(err.object[err.start]):04X}"
        raise FormatError(f"{path}: segment {seg_id!r} holds {char}, which UTF-8 cannot encode; nothing written") from None


def _fmt(value: float | None, percent: bool = False) -> str:
    if value is None:
        return "n/a"
    return f"{100 * value:.1f}%" if percent else f"{value:.2f}"


def _score_table(result: Evaluation) -> Table:
    report = result.report
    table = Table(title=Text(f"{result.hypothesis} against {len(result.references)} reference(s), {len(report.segments)} segments"))
    table.add_column("metric")
    table.add_column("score", justify="right")
    table.add_column("sacrebleu signature", overflow="fold")
    for key in METRICS:
        table.add_row(LABELS[key], _fmt(report.score(key)), Text(report.signatures[key]))
    if result.terms is not None:
        table.add_row("term accuracy", _fmt(result.terms.accuracy, True), f"{result.terms.correct}/{result.terms.total} terms")
        for path, terms in zip(result.references, result.reference_terms or ()):
            table.add_row("  in reference", _fmt(terms.accuracy, True), Text(f"{terms.correct}/{terms.total} in {path}"))
    return table


def _compare_table(comparison: Comparison, terms: TermAccuracy | None, base_terms: TermAccuracy | None) -> Table:
    table = Table(
        title=Text(f"{comparison.system} against baseline {comparison.baseline} ({comparison.test}, n={comparison.samples})")
    )
    for name, justify in (("metric", "left"), ("baseline", "right"), ("system", "right"), ("p-value", "right")):
        table.add_column(name, justify=justify)
    for m in comparison.metrics:
        table.add_row(LABELS[m.metric], _fmt(m.baseline), _fmt(m.system), f"{m.p_value:.4f}")
    if terms is not None and base_terms is not None:
        table.add_row("term accuracy", _fmt(base_terms.accuracy, True), _fmt(terms.accuracy, True), "")
    return table


def _misses_table(terms: TermAccuracy) -> Table:
    table = Table(title=f"missed terms ({len(terms.misses)})")
    for name in ("segment", "Arabic", "expected English"):
        table.add_column(name)
    for miss in terms.misses[:MAX_MISSES_SHOWN]:
        table.add_row(Text(miss.segment), Text(miss.source), Text(miss.en))
    if len(terms.misses) > MAX_MISSES_SHOWN:
        table.add_row("…", f"{len(terms.misses) - MAX_MISSES_SHOWN} more", "(all in --json)")
    return table


def print_evaluation(result: Evaluation, console: Console | None = None) -> None:
    """Rich tables for people: scores with signatures, missed terms, the comparison, notes."""
    console = console or Console()
    for note in result.notes:
        console.print(f"note: {note}", markup=False, highlight=False)
    console.print(_score_table(result))
    if result.terms is not None and result.terms.misses:
        console.print(_misses_table(result.terms))
    if result.comparison is not None:
        console.print(_compare_table(result.comparison, result.compare_terms, result.terms))
