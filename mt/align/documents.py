"""Aligning documents: segment an Arabic article and its English
translation, align them with the DP (:mod:`.dp`), and make the pairs that
``mt align`` writes.

Two texts that are not translations of each other still align, with a
lower but not low mean confidence (about 0.8 against 0.93–0.99 for true
pairs on NTREX).  :func:`relatedness` tells them apart with a null model: the
same Arabic aligned with the English sentences shuffled (their positions and
paragraph breaks kept), ``NULL_SHUFFLES`` times with a fixed seed.  The
*gap* is how much of the distance from the null's mean confidence to 1 the
real alignment covers; a true translation covers most of it (0.59 at the
lowest on the 62 NTREX dev documents), unrelated texts little (0.33 at most
in 248 mismatched pairings but for two at 0.49 and 0.53, 0.57).  Below
``UNRELATED_GAP`` the texts are called unrelated.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from ..errors import InputError, OutputError
from ..text import find_mojibake, has_arabic, read_text, split_sentences
from ..types import Pair, PairDocument, Segment
from .dp import Alignment, AlignOptions, align_segments
from .features import Lexicon, Translate

log = logging.getLogger(__name__)

UNRELATED_GAP = 0.45
NULL_SHUFFLES = 10
MIN_SENTENCES = 3  # fewer on either side: too few orders to shuffle, no verdict


@dataclass(frozen=True)
class AlignedDocument:
    """Both sides segmented, and their alignment."""

    source: tuple[Segment, ...]
    target: tuple[Segment, ...]
    alignments: tuple[Alignment, ...]


def align_texts(
    source_text: str,
    target_text: str,
    *,
    doc: str = "",
    lexicon: Lexicon | None = None,
    glossary=None,
    translate: Translate | None = None,
    options: AlignOptions | None = None,
) -> AlignedDocument:
    """Segment an Arabic article and its English translation and align them."""
    source = split_sentences(source_text, doc)
    target = split_sentences(target_text, doc)
    alignments = align_segmented(source, target, lexicon=lexicon, glossary=glossary, translate=translate, options=options)
    return AlignedDocument(tuple(source), tuple(target), tuple(alignments))


def align_segmented(source: Sequence[Segment], target: Sequence[Segment], **kwargs) -> list[Alignment]:
    """:func:`align_segments` on segments, their paragraphs as soft anchors;
    ``kwargs`` are the other keyword arguments of :func:`align_segments`."""
    return align_segments(
        [s.text for s in source],
        [t.text for t in target],
        src_paragraphs=[s.paragraph for s in source],
        tgt_paragraphs=[t.paragraph for t in target],
        **kwargs,
    )


@dataclass(frozen=True)
class Relatedness:
    """Whether two texts are translations of each other: the alignment's
    mean confidence, that of the shuffled pairings, and the gap between them."""

    confidence: float
    null_confidence: float
    gap: float
    threshold: float = UNRELATED_GAP

    @property
    def unrelated(self) -> bool:
        return self.gap < self.threshold

    def to_meta(self) -> dict:
        return {
            "confidence": round(self.confidence, 4),
            "null_confidence": round(self.null_confidence, 4),
            "gap": round(self.gap, 4),
            "threshold": self.threshold,
            "shuffles": NULL_SHUFFLES,
            "unrelated": self.unrelated,
        }

    def describe(self) -> str:
        return (
            f"mean confidence {self.confidence:.2f} is hardly above the {self.null_confidence:.2f} of the same texts "
            f"with the English shuffled (gap {self.gap:.2f} < {self.threshold})"
        )


def _mean_confidence(alignments: Sequence[Alignment]) -> float:
    return sum(a.score for a in alignments) / len(alignments) if alignments else 0.0


def relatedness(
    aligned: AlignedDocument,
    *,
    lexicon: Lexicon | None = None,
    glossary=None,
    options: AlignOptions | None = None,
    realign: bool = False,
) -> Relatedness | None:
    """Test ``aligned`` against the null model of shuffled pairings (see the
    module's docstring), with the features it was aligned with; ``realign``
    aligns it again first (when it was aligned with a translation model,
    which the null model does without).  ``None`` when a side has fewer than
    ``MIN_SENTENCES`` sentences."""
    source, target = aligned.source, aligned.target
    if min(len(source), len(target)) < MIN_SENTENCES:
        return None
    features = {"lexicon": lexicon, "glossary": glossary, "options": options}
    real = align_segmented(source, target, **features) if realign else aligned.alignments
    rng = random.Random(0)
    nulls = []
    for _ in range(NULL_SHUFFLES):
        texts = [t.text for t in target]
        rng.shuffle(texts)
        shuffled = [replace(t, text=text) for t, text in zip(target, texts)]
        nulls.append(_mean_confidence(align_segmented(source, shuffled, **features)))
    confidence, null = _mean_confidence(real), sum(nulls) / len(nulls)
    gap = (confidence - null) / max(1.0 - null, 1e-9)
    return Relatedness(confidence, null, gap)


def alignment_pairs(aligned: AlignedDocument) -> tuple[Pair, ...]:
    """One ``Pair`` per block: sides joined with a space, segment ids, confidence, type.

    ``id`` is the block's position from 0, so an alignment of 1-1 blocks only has
    the ids ``mt translate`` gives the segments of the same article.
    """
    pairs = []
    for k, block in enumerate(aligned.alignments):
        src_segs = [aligned.source[i] for i in block.src]
        tgt_segs = [aligned.target[j] for j in block.tgt]
        pairs.append(
            Pair(
                id=str(k),
                source=" ".join(s.text for s in src_segs),
                target=" ".join(t.text for t in tgt_segs),
                source_start=src_segs[0].start if src_segs else None,
                source_end=src_segs[-1].end if src_segs else None,
                source_ids=block.src,
                target_ids=block.tgt,
                confidence=round(block.score, 4),
                type=block.type,
            )
        )
    return tuple(pairs)


def alignment_document(
    aligned: AlignedDocument,
    *,
    doc: str,
    source_file: str,
    target_file: str,
    options: Mapping | None = None,
) -> PairDocument:
    """The ``PairDocument`` written by ``mt align`` (same shape as ``mt translate``'s)."""
    meta = {
        "doc": doc,
        "source_file": source_file,
        "target_file": target_file,
        "kind": "alignment",
        "options": dict(options or {}),
    }
    return PairDocument(meta=meta, pairs=alignment_pairs(aligned))


def align_files(
    source_path: Path | str,
    target_path: Path | str,
    *,
    lexicon: Lexicon | None = None,
    glossary=None,
    translate: Translate | None = None,
    options: AlignOptions | None = None,
    encoding: str = "utf-8",
    target_encoding: str = "utf-8",
    meta_options: Mapping | None = None,
    strict: bool = False,
) -> PairDocument:
    """Read, segment and align two files, the Arabic decoded with ``encoding``
    (``mt align --ar-encoding``), the English with ``target_encoding``
    (``--en-encoding``); empty files raise ``EmptyInputError``, English whose
    Latin words hold Arabic letters (UTF-8 read as cp1256) ``InputError``.

    Texts that look unrelated (:func:`relatedness`) get a warning, or with
    ``strict`` an ``InputError``; the verdict is in ``meta["relatedness"]``."""

    source_path, target_path = Path(source_path), Path(target_path)
    source_text = read_text(source_path, encoding, hint=True)
    target_text = read_text(target_path, target_encoding, hint=True)
    mojibake = find_mojibake(target_text)
    if mojibake is not None:
        line, word = mojibake
        fix = "try --en-encoding utf-8" if target_encoding.lower().replace("_", "-") not in ("utf-8", "utf8") else "repair the file"
        raise InputError(
            f"{target_path}: decoded as {target_encoding}, the English has Arabic letters inside Latin words "
            f"({word!r} at line {line}): it is not {target_encoding} text; {fix}"
        )
    if source_path.resolve() == target_path.resolve():
        raise InputError(f"{source_path}: source and target are the same file")
    if not has_arabic(source_text):
        raise InputError(f"{source_path}: no Arabic letters; the Arabic article comes first (mt align SOURCE_AR TARGET_EN)")
    doc = source_path.stem
    aligned = align_texts(
        source_text, target_text, doc=doc, lexicon=lexicon, glossary=glossary, translate=translate, options=options
    )
    verdict = relatedness(aligned, lexicon=lexicon, glossary=glossary, options=options, realign=translate is not None)
    if verdict is not None and verdict.unrelated:
        message = f"{source_path} and {target_path} look unrelated, not translations of each other: {verdict.describe()}"
        if strict:
            raise InputError(message)
        log.warning("%s", message)
    document = alignment_document(
        aligned, doc=doc, source_file=str(source_path), target_file=str(target_path), options=meta_options
    )
    meta = {**document.meta, "relatedness": verdict.to_meta() if verdict is not None else None}
    return replace(document, meta=meta)


def check_output_path(path: Path | str) -> Path:
    """Refuse, before any work, an output name that is neither ``.json`` nor
    ``.tmx`` or whose directory does not exist."""
    from ..formats import FORMATS

    path = Path(path)
    if path.suffix.lower() not in FORMATS:
        raise OutputError(f"{path}: unknown output format {path.suffix or '(no suffix)'!r}, expected .json or .tmx")
    if not path.parent.is_dir():
        raise OutputError(f"{path.parent}: output directory does not exist")
    return path


def alignment_summary(document: PairDocument) -> str:
    """One line: pair count, types, mean confidence."""
    pairs = document.pairs
    types: dict[str, int] = {}
    for pair in pairs:
        types[pair.type or "?"] = types.get(pair.type or "?", 0) + 1
    order = sorted(types, key=lambda t: (-types[t], t))
    scored = [p.confidence for p in pairs if p.confidence is not None]
    mean = f", mean confidence {sum(scored) / len(scored):.2f}" if scored else ""
    kinds = ", ".join(f"{t} ×{types[t]}" for t in order)
    return f"{len(pairs)} pairs ({kinds}){mean}"

