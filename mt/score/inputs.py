"""Inputs of scoring: reading each side, pairing references with the hypothesis.

A side is our pairs JSON or TMX (the English side is scored, the Arabic side
is the source; pairs are matched by ``id``) or plain text, one segment per
line (a blank line is an empty segment; ids are ``"0"``, ``"1"``, …).  Lines
are split on ``\\n`` only and trailing whitespace is dropped, as the
``sacrebleu`` command does.

A plain-text reference that is a whole article, not segment-aligned with the
hypothesis (its line count differs, or alignment is forced), is split into
sentences and aligned to the hypothesis's Arabic source with
:func:`mt.align.align_segments`.  Blocks that join several source segments
(2-1, 2-2 …) make the hypothesis segments they cover one scoring unit, with
id ``"3+4"``; reference sentences aligned to no source are left out.  The
hypothesis itself is never used to align, so the pairing cannot favour it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError
from ..formats import FORMATS, read_pairs
from ..text import read_text, split_sentences

PAIRS = "pairs"
TEXT = "text"


Aligner = Callable[[Sequence[str], Sequence[str]], Sequence]
"""``(arabic_sentences, english_sentences) -> blocks`` with ``.src``/``.tgt`` index tuples."""


@dataclass(frozen=True)
class ScoredSide:
    """The segments of one input file: ids, English text, Arabic source if known."""

    path: str
    ids: tuple[str, ...]
    english: tuple[str, ...]
    arabic: tuple[str, ...] | None = None
    kind: str = TEXT

    def __len__(self) -> int:
        return len(self.english)


@dataclass(frozen=True)
class ScoringSet:
    """Hypothesis and references cut into the same units, ready to score.

    ``units`` lists the hypothesis segment indices of each unit (one each
    unless a reference was aligned with n-m blocks); ``aligned`` names each
    aligned reference with its number of alignment pairs.
    """

    ids: tuple[str, ...]
    hypotheses: tuple[str, ...]
    references: tuple[tuple[str, ...], ...]
    sources: tuple[str, ...] | None
    units: tuple[tuple[int, ...], ...]
    aligned: tuple[tuple[str, int, int], ...] = ()
    """(reference path, alignment pairs, reference sentences left out)."""


def read_lines(path: Path | str, encoding: str = "utf-8") -> tuple[str, ...]:
    """The lines of a text file, one segment each (blank lines kept as empty segments).

    ``encoding`` is ``mt score --encoding``, which an undecodable file's
    message suggests."""
    text = read_text(path, encoding, allow_empty=True, hint=True)
    if not text:
        raise InputError(f"{path}: empty file, expected one segment per line")
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()
    return tuple(line.rstrip() for line in lines)


def load_segments(path: Path | str, encoding: str = "utf-8") -> ScoredSide:
    """Read a ``.json``/``.tmx`` file of pairs, or plain text with one segment
    per line (decoded with ``encoding``; pairs files are always UTF-8)."""
    path = Path(path)
    if path.suffix.lower() in FORMATS:
        document = read_pairs(path)
        if not document.pairs:
            raise InputError(f"{path}: holds no pairs to score")
        pairs = document.pairs
        return ScoredSide(
            path=str(path),
            ids=tuple(p.id for p in pairs),
            english=tuple(p.target for p in pairs),
            arabic=tuple(p.source for p in pairs),
            kind=PAIRS,
        )
    lines = read_lines(path, encoding)
    return ScoredSide(path=str(path), ids=tuple(map(str, range(len(lines)))), english=lines)


def count_mismatch(a: ScoredSide | tuple[str, int], b: ScoredSide | tuple[str, int], hint: str = "") -> InputError:
    """The one-line error for two inputs whose segment counts differ."""
    (pa, na), (pb, nb) = (_name_count(x) for x in (a, b))
    return InputError(f"segment counts differ: {pa} has {na}, {pb} has {nb}{hint}")


def _name_count(side: ScoredSide | tuple[str, int]) -> tuple[str, int]:
    return (side.path, len(side)) if isinstance(side, ScoredSide) else side


def match_side(hyp: ScoredSide, other: ScoredSide) -> ScoredSide:
    """``other`` in the hypothesis's segment order.

    Two pairs files are matched by id; when either side is plain text, by
    position.  Different counts or id sets raise ``InputError``.
    """
    if len(other) != len(hyp):
        raise count_mismatch(hyp, other)
    if hyp.kind != PAIRS or other.kind != PAIRS or other.ids == hyp.ids:
        return other
    where = {seg_id: k for k, seg_id in enumerate(other.ids)}
    missing = [seg_id for seg_id in hyp.ids if seg_id not in where]
    if missing:
        raise InputError(
            f"segment ids differ: {len(missing)} of the {len(hyp)} ids of {hyp.path} "
            f"are not in {other.path} ({len(other)} segments), first {missing[0]!r}"
        )
    order = [where[seg_id] for seg_id in hyp.ids]
    return ScoredSide(
        path=other.path,
        ids=hyp.ids,
        english=tuple(other.english[k] for k in order),
        arabic=None if other.arabic is None else tuple(other.arabic[k] for k in order),
        kind=other.kind,
    )


def needs_alignment(hyp: ScoredSide, ref: ScoredSide, align: bool | None) -> bool:
    """Whether ``ref`` is a whole-article text to align (``align``: None = when counts differ)."""
    if ref.kind != TEXT or align is False:
        return False
    return align is True or len(ref) != len(hyp)


def align_blocks(sources: Sequence[str], ref: ScoredSide, aligner: Aligner) -> list[tuple[tuple[int, ...], tuple[str, ...]]]:
    """Split the reference article into sentences and align them to ``sources``.

    Returns ``(source indices, reference sentences)`` per block, including
    blocks with an empty side.
    """
    sentences = [s.text for s in split_sentences("\n".join(ref.english))]
    if not sentences:
        raise InputError(f"{ref.path}: reference holds no sentences to align")
    blocks = []
    for block in aligner(list(sources), sentences):
        src, tgt = tuple(block.src), tuple(block.tgt)
        blocks.append((src, tuple(sentences[j] for j in tgt)))
    return blocks


def merge_units(count: int, groups: Sequence[Sequence[int]]) -> tuple[tuple[int, ...], ...]:
    """Partition ``range(count)`` into runs so that no group spans two runs."""
    joined = [False] * max(count - 1, 0)  # joined[i]: i and i + 1 in one unit
    for group in groups:
        if group:
            for i in range(min(group), max(group)):
                joined[i] = True
    units: list[list[int]] = [[0]] if count else []
    for i in range(1, count):
        if joined[i - 1]:
            units[-1].append(i)
        else:
            units.append([i])
    return tuple(tuple(u) for u in units)


def join_units(texts: Sequence[str], units: Sequence[Sequence[int]]) -> tuple[str, ...]:
    """The texts of each unit joined with a space (empty texts skipped)."""
    return tuple(" ".join(t for t in (texts[i] for i in unit) if t) for unit in units)


def _blocks_per_unit(blocks, units: Sequence[Sequence[int]]) -> tuple[str, ...]:
    unit_of = {i: k for k, unit in enumerate(units) for i in unit}
    parts: list[list[str]] = [[] for _ in units]
    for src, sentences in blocks:
        if src:
            parts[unit_of[min(src)]].extend(sentences)
    return tuple(" ".join(p) for p in parts)


def _default_aligner(glossary=None) -> Aligner:
    from ..align import align_segments

    return lambda src, tgt: align_segments(src, tgt, glossary=glossary)


def pick_sources(
    hyp: ScoredSide, refs: Sequence[ScoredSide], src_path: Path | str | None, encoding: str = "utf-8"
) -> tuple[str, ...] | None:
    """The Arabic source of each hypothesis segment: ``--src``, else the hypothesis's, else a pairs reference's."""
    if src_path is not None:
        lines = read_lines(src_path, encoding)
        if len(lines) != len(hyp):
            raise count_mismatch(hyp, (str(src_path), len(lines)))
        return lines
    if hyp.arabic is not None:
        return hyp.arabic
    for ref in refs:
        if ref.kind == PAIRS and len(ref) == len(hyp):
            return match_side(hyp, ref).arabic
    return None


def build_scoring_set(
    hyp: ScoredSide,
    refs: Sequence[ScoredSide],
    sources: Sequence[str] | None,
    *,
    align: bool | None = None,
    aligner: Aligner | None = None,
    glossary=None,
) -> ScoringSet:
    """Pair every reference with the hypothesis, aligning whole-article ones."""
    if not refs:
        raise InputError("no reference given")
    plain: dict[int, ScoredSide] = {}
    blocks: dict[int, list] = {}
    for k, ref in enumerate(refs):
        if not needs_alignment(hyp, ref, align):
            plain[k] = match_side(hyp, ref)
            continue
        if sources is None:
            raise count_mismatch(
                hyp, ref, "; to align a whole-article reference, give the Arabic source (--src) or a JSON/TMX hypothesis"
            )
        blocks[k] = align_blocks(sources, ref, aligner or _default_aligner(glossary))
    units = merge_units(len(hyp), [src for bs in blocks.values() for src, _ in bs])
    references = tuple(
        join_units(plain[k].english, units) if k in plain else _blocks_per_unit(blocks[k], units)
        for k in range(len(refs))
    )
    aligned = tuple(
        (refs[k].path, sum(1 for src, _ in bs if src), sum(len(s) for src, s in bs if not src))
        for k, bs in blocks.items()
    )
    return ScoringSet(
        ids=tuple("+".join(hyp.ids[i] for i in unit) for unit in units),
        hypotheses=join_units(hyp.english, units),
        references=references,
        sources=None if sources is None else join_units(sources, units),
        units=units,
        aligned=aligned,
    )
