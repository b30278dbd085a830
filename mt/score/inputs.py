"""Inputs of scoring: reading each side, pairing references with the hypothesis.

A side is our pairs JSON or TMX (the English side is scored, the Arabic side
is the source; pairs are matched by ``id``) or plain text, one segment per
line (a blank line is an empty segment; ids are ``"0"``, ``"1"``, …).  Lines
are split on ``\\n`` only and trailing whitespace is dropped, as the
``sacrebleu`` command does.

A plain-text reference that is a whole article, not segment-aligned with the
hypothesis (its line count differs, or alignment is forced), is split into
sentences (:func:`mt.text.split_sentences`, as ``mt align`` splits it).  When
the hypothesis's segments are runs of those very sentences (an ``mt align``
output scored against its own English), each segment is paired exactly with
its run.  Otherwise the sentences are aligned to the hypothesis's Arabic
source with :func:`mt.align.align_segments`, the aligner and features of
``mt align`` (the glossary, and paragraphs as soft anchors where the source's
paragraphs are known: an Arabic article given as ``--src``).  Blocks that
join several source segments (2-1, 2-2 …) make the hypothesis segments they
cover one scoring unit, with id ``"3+4"``; reference sentences aligned to no
source are left out.  The hypothesis's text is never used to align, so the
pairing cannot favour it.

``--src`` is the Arabic source, one segment per line, or an article, which
is then segmented as ``mt translate`` segments it.
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


Aligner = Callable[..., Sequence]
"""``(arabic_sentences, english_sentences, *, src_paragraphs, tgt_paragraphs) -> blocks``
with ``.src``/``.tgt`` index tuples; a paragraphs argument is ``None`` when unknown."""


@dataclass(frozen=True)
class Sources:
    """The Arabic source of each hypothesis segment, with each one's
    paragraph number when known (an article given as ``--src``)."""

    texts: tuple[str, ...]
    paragraphs: tuple[int, ...] | None = None


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
    exact: tuple[str, ...] = ()
    """The whole-article references whose sentences were paired exactly."""


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


def reference_sentences(ref: ScoredSide) -> list:
    """The whole-article reference split into sentences (``Segment``s), as ``mt align`` splits it."""
    segments = split_sentences("\n".join(ref.english))
    if not segments:
        raise InputError(f"{ref.path}: reference holds no sentences to align")
    return segments


def pair_exactly(english: Sequence[str], sentences: Sequence[str]) -> list[tuple[tuple[int, ...], tuple[str, ...]]] | None:
    """Blocks pairing each hypothesis segment with the run of reference
    ``sentences`` that spells it (joined with a space; none for an empty
    segment), when the segments, in order, use up the sentences so; else ``None``."""
    blocks = []
    j = 0
    for i, text in enumerate(english):
        taken: list[str] = []
        while " ".join(taken) != text:
            if j == len(sentences) or not text.startswith(" ".join([*taken, sentences[j]])):
                return None
            taken.append(sentences[j])
            j += 1
        blocks.append(((i,), tuple(taken)))
    return blocks if j == len(sentences) else None


def align_blocks(
    sources: Sources, ref: ScoredSide, aligner: Aligner, segments: Sequence | None = None
) -> list[tuple[tuple[int, ...], tuple[str, ...]]]:
    """Align the reference article's sentences (``segments``, else split here)
    to ``sources``.

    Returns ``(source indices, reference sentences)`` per block, including
    blocks with an empty side.
    """
    segments = reference_sentences(ref) if segments is None else segments
    sentences = [s.text for s in segments]
    blocks = []
    found = aligner(
        list(sources.texts),
        sentences,
        src_paragraphs=sources.paragraphs,
        tgt_paragraphs=[s.paragraph for s in segments] if sources.paragraphs is not None else None,
    )
    for block in found:
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
    """``mt align``'s aligner with its features: ``align_segments`` with the
    glossary, and paragraphs as soft anchors when both sides' are known."""
    from ..align import align_segments

    def aligner(src, tgt, *, src_paragraphs=None, tgt_paragraphs=None):
        return align_segments(src, tgt, glossary=glossary, src_paragraphs=src_paragraphs, tgt_paragraphs=tgt_paragraphs)

    return aligner


def read_sources(src_path: Path | str, count: int, hyp: ScoredSide, encoding: str = "utf-8") -> Sources:
    """``--src``: one segment per line when it has ``count`` lines; else an
    article, segmented as ``mt translate`` segments it (with paragraphs, which
    are known too when the lines are the segments ``mt translate`` makes)."""
    lines = read_lines(src_path, encoding)
    segments = split_sentences("\n".join(lines))
    if len(lines) == count and [s.text for s in segments] != [line.strip() for line in lines]:
        return Sources(lines)  # segmented by hand, not as mt translate would
    if len(segments) == count:
        return Sources(tuple(s.text for s in segments), tuple(s.paragraph for s in segments))
    raise count_mismatch(
        hyp, (str(src_path), f"{len(lines)} lines and {len(segments)} segments as mt translate segments it")
    )


def pick_sources(
    hyp: ScoredSide, refs: Sequence[ScoredSide], src_path: Path | str | None, encoding: str = "utf-8"
) -> Sources | None:
    """The Arabic source of each hypothesis segment: ``--src``, else the hypothesis's, else a pairs reference's."""
    if src_path is not None:
        return read_sources(src_path, len(hyp), hyp, encoding)
    if hyp.arabic is not None:
        return Sources(hyp.arabic)
    for ref in refs:
        if ref.kind == PAIRS and len(ref) == len(hyp):
            return Sources(match_side(hyp, ref).arabic)
    return None


def build_scoring_set(
    hyp: ScoredSide,
    refs: Sequence[ScoredSide],
    sources: Sources | Sequence[str] | None,
    *,
    align: bool | None = None,
    aligner: Aligner | None = None,
    glossary=None,
) -> ScoringSet:
    """Pair every reference with the hypothesis: exactly where a
    whole-article reference's sentences spell the hypothesis's segments,
    else aligning it to the source."""
    if not refs:
        raise InputError("no reference given")
    if sources is not None and not isinstance(sources, Sources):
        sources = Sources(tuple(sources))
    plain: dict[int, ScoredSide] = {}
    blocks: dict[int, list] = {}
    exact: list[str] = []
    for k, ref in enumerate(refs):
        if not needs_alignment(hyp, ref, align):
            plain[k] = match_side(hyp, ref)
            continue
        segments = reference_sentences(ref)
        paired = pair_exactly(hyp.english, [s.text for s in segments])
        if paired is not None:
            blocks[k] = paired
            exact.append(ref.path)
            continue
        if sources is None:
            raise count_mismatch(
                hyp, ref, "; to align a whole-article reference, give the Arabic source (--src) or a JSON/TMX hypothesis"
            )
        blocks[k] = align_blocks(sources, ref, aligner or _default_aligner(glossary), segments)
    units = merge_units(len(hyp), [src for bs in blocks.values() for src, _ in bs])
    references = tuple(
        join_units(plain[k].english, units) if k in plain else _blocks_per_unit(blocks[k], units)
        for k in range(len(refs))
    )
    aligned = tuple(
        (refs[k].path, sum(1 for src, _ in bs if src), sum(len(s) for src, s in bs if not src))
        for k, bs in blocks.items()
        if refs[k].path not in exact
    )
    return ScoringSet(
        ids=tuple("+".join(hyp.ids[i] for i in unit) for unit in units),
        hypotheses=join_units(hyp.english, units),
        references=references,
        sources=None if sources is None else join_units(sources.texts, units),
        units=units,
        aligned=aligned,
        exact=tuple(exact),
    )
