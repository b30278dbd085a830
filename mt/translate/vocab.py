"""SentencePiece tokenisation of MarianMT-style models, shared by both backends.

A Marian model directory holds ``source.spm``, ``target.spm`` and the joint
``vocab.json`` (piece → id).  A CTranslate2 directory holds the same
SentencePiece files (copied by ``mt model prepare`` or the converter's
``--copy_files``) and its own vocabulary files.  Both backends tokenise here,
so they see identical pieces; the transformers backend maps pieces to ids
through ``vocab.json``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from ..errors import ModelError

EOS = "</s>"
UNK = "<unk>"
PAD = "<pad>"
WORD_START = "\u2581"  # ▁, SentencePiece's word-start marker


def _load_spm(path: Path):
    import sentencepiece as spm

    if not path.is_file():
        raise ModelError(f"{path.parent}: missing {path.name} (the SentencePiece model of the {path.stem} side)")
    try:
        return spm.SentencePieceProcessor(model_file=str(path))
    except (OSError, RuntimeError) as err:
        raise ModelError(f"{path}: not a SentencePiece model ({err})") from None


def _load_json(path: Path):
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as err:
        raise ModelError(f"{path}: not a readable vocabulary ({type(err).__name__}: {str(err)[:80]})") from None


def _load_piece_list(model_dir: Path) -> list[str] | None:
    """The target vocabulary of a CTranslate2 model directory, if present."""
    for name in ("shared_vocabulary.json", "target_vocabulary.json"):
        path = model_dir / name
        if path.is_file():
            return _load_json(path)
    for name in ("shared_vocabulary.txt", "target_vocabulary.txt"):
        path = model_dir / name
        if path.is_file():
            return path.read_text(encoding="utf-8").split("\n")[:-1]
    return None


@dataclass(frozen=True)
class Encoded:
    """Source pieces of one text with the character span of each piece."""

    pieces: tuple[str, ...]
    spans: tuple[tuple[int, int], ...]


class MarianVocabulary:
    """Source/target SentencePiece models plus the piece ↔ id table."""

    def __init__(self, model_dir: Path | str):
        model_dir = Path(model_dir)
        self.model_dir = model_dir
        self.source_spm = _load_spm(model_dir / "source.spm")
        self.target_spm = _load_spm(model_dir / "target.spm")
        vocab_path = model_dir / "vocab.json"
        if vocab_path.is_file():
            self.piece_to_id: dict[str, int] = _load_json(vocab_path)
        else:
            pieces = _load_piece_list(model_dir)
            if pieces is None:
                raise ModelError(f"{model_dir}: no vocab.json or CTranslate2 vocabulary file")
            self.piece_to_id = {piece: i for i, piece in enumerate(pieces)}
        if not isinstance(self.piece_to_id, dict) or not all(isinstance(i, int) for i in self.piece_to_id.values()):
            raise ModelError(f"{model_dir}: vocabulary is not a mapping of pieces to ids")
        self.id_to_piece = {i: piece for piece, i in self.piece_to_id.items()}
        for special in (EOS, UNK):
            if special not in self.piece_to_id:
                raise ModelError(f"{model_dir}: vocabulary has no {special} token")
        self.eos_id = self.piece_to_id[EOS]
        self.unk_id = self.piece_to_id[UNK]
        self.pad_id = self.piece_to_id.get(PAD)

    def encode_source(self, text: str) -> Encoded:
        """Source pieces (without ``</s>``) and their character spans in ``text``."""
        mapping = self.source_spm.encode_as_offset_mapping(text)
        return Encoded(pieces=tuple(mapping["pieces"]), spans=tuple(tuple(o) for o in mapping["offsets"]))

    def encode_target(self, text: str) -> tuple[str, ...]:
        """Target pieces of ``text`` as it would appear after a space."""
        return tuple(self.target_spm.encode(text, out_type=str))

    def decode_target(self, pieces) -> str:
        return self.target_spm.decode([p for p in pieces if p not in (EOS, PAD)])

    def is_known(self, piece: str) -> bool:
        return piece in self.piece_to_id

    def to_ids(self, pieces) -> list[int]:
        return [self.piece_to_id.get(p, self.unk_id) for p in pieces]

    def to_pieces(self, ids) -> list[str]:
        return [self.id_to_piece.get(int(i), UNK) for i in ids]
