"""Models the project builds itself, for tests and benchmarks.

No trained Arabic→English weights can be downloaded here, so tests and
benchmarks use MarianMT models with random weights, saved with
``save_pretrained`` and loaded through the same code path as a real model:

* ``build_tiny_model``: a few-layer Marian with a SentencePiece vocabulary
  trained on the seed articles.  Latin script is spelt letter by letter in
  that vocabulary, so random weights never write a glossary name by chance:
  enforcement is the only way a term appears.
* ``build_random_model``: the real opus-mt-ar-en shape (76.8M parameters,
  62,834 pieces) from a config and tokenizer directory without weights.

Both need torch and transformers (the ``[torch]`` extra).
"""

from __future__ import annotations

import json
import shutil
import string
import tempfile
from pathlib import Path

from ..translate import EOS, PAD, UNK, quiet_transformers

TOKENIZER_FILES = ("source.spm", "target.spm", "vocab.json", "tokenizer_config.json", "special_tokens_map.json")


def _train_spm(lines: list[str], prefix: Path, vocab_size: int, max_piece_length: int = 4) -> None:
    import sentencepiece as spm

    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(lines),
        model_prefix=str(prefix),
        vocab_size=vocab_size,
        model_type="unigram",
        character_coverage=1.0,
        # ids 0 and 1 are </s> and <unk> as in Marian vocabularies
        eos_id=0,
        unk_id=1,
        bos_id=-1,
        pad_id=-1,
        hard_vocab_limit=False,
        num_threads=1,
        minloglevel=2,
        # 4 keeps Latin letters single pieces in the tiny model: see the module docstring.
        max_sentencepiece_length=max_piece_length,
        split_by_number=True,
    )


def _latin_lines() -> list[str]:
    """Latin letters, digits and punctuation, one per line, so every English
    term can be spelt, but no English word becomes a piece."""
    chars = string.ascii_letters + string.digits + string.punctuation + "«»“”’‘–—…"
    return [" ".join(chars)] * 3 + list(chars)


def _write_tokenizer_config(out: Path) -> None:
    (out / "tokenizer_config.json").write_text(
        json.dumps(
            {
                "tokenizer_class": "MarianTokenizer",
                "source_lang": "ar",
                "target_lang": "en",
                "eos_token": EOS,
                "unk_token": UNK,
                "pad_token": PAD,
                "model_max_length": 512,
                "separate_vocabs": False,
            },
            indent=1,
        ),
        encoding="utf-8",
    )
    (out / "special_tokens_map.json").write_text(
        json.dumps({"eos_token": EOS, "unk_token": UNK, "pad_token": PAD}), encoding="utf-8"
    )


def write_vocabulary(out: Path, lines: list[str], vocab_size: int, max_piece_length: int = 4) -> dict[str, int]:
    """Train one SentencePiece model on ``lines`` (plus every Latin letter, so
    any English term can be spelt), write it as both ``source.spm`` and
    ``target.spm`` with ``vocab.json`` and the tokenizer files into ``out``,
    and return the piece → id table (``</s>`` 0, ``<unk>`` 1, ``<pad>`` last)."""
    with tempfile.TemporaryDirectory() as tmp:
        prefix = Path(tmp) / "spm"
        _train_spm(lines + _latin_lines(), prefix, vocab_size, max_piece_length)
        shutil.copy(f"{prefix}.model", out / "source.spm")
        shutil.copy(f"{prefix}.model", out / "target.spm")
        pieces = [line.split("\t")[0] for line in Path(f"{prefix}.vocab").read_text(encoding="utf-8").splitlines()]
    vocab = {piece: i for i, piece in enumerate(pieces)}
    assert vocab[EOS] == 0 and vocab[UNK] == 1
    vocab[PAD] = len(vocab)
    (out / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False, indent=0), encoding="utf-8")
    _write_tokenizer_config(out)
    return vocab


def marian_model(vocab: dict[str, int], *, d_model: int, layers: int, heads: int, ffn: int, max_positions: int, seed: int):
    """A random-weight ``MarianMTModel`` for ``vocab`` (tied embeddings,
    sinusoidal positions, no dropout) with a generation config of its own."""
    import torch
    from transformers import GenerationConfig, MarianConfig, MarianMTModel

    pad = vocab[PAD]
    config = MarianConfig(
        vocab_size=len(vocab),
        decoder_vocab_size=len(vocab),
        d_model=d_model,
        encoder_layers=layers,
        decoder_layers=layers,
        encoder_attention_heads=heads,
        decoder_attention_heads=heads,
        encoder_ffn_dim=ffn,
        decoder_ffn_dim=ffn,
        max_position_embeddings=max_positions,
        pad_token_id=pad,
        eos_token_id=0,
        bos_token_id=0,
        decoder_start_token_id=pad,
        forced_eos_token_id=0,
        activation_function="swish",
        scale_embedding=True,
        share_encoder_decoder_embeddings=True,
        static_position_embeddings=True,
        dropout=0.0,
    )
    torch.manual_seed(seed)
    model = MarianMTModel(config).eval()
    model.generation_config = GenerationConfig(
        bad_words_ids=[[pad]], bos_token_id=0, decoder_start_token_id=pad, eos_token_id=0,
        forced_eos_token_id=0, max_length=512, num_beams=4, pad_token_id=pad,
    )
    return model


def build_tiny_model(
    out: Path | str,
    texts: list[str],
    *,
    vocab_size: int = 600,
    d_model: int = 64,
    layers: int = 2,
    heads: int = 4,
    ffn: int = 128,
    max_positions: int = 512,
    seed: int = 1234,
) -> Path:
    """Train a SentencePiece vocabulary on ``texts`` and save a random-weight
    MarianMT model with it to ``out`` (``save_pretrained`` layout)."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    lines = [line for text in texts for line in text.splitlines() if line.strip()]
    vocab = write_vocabulary(out, lines, vocab_size)
    model = marian_model(vocab, d_model=d_model, layers=layers, heads=heads, ffn=ffn, max_positions=max_positions, seed=seed)
    _save(model, out)
    return out


def _save(model, out: Path) -> None:
    """``save_pretrained`` without transformers' "Writing model shards" bar,
    every file then readable as a file the user writes is (safetensors
    writes the weights 0600)."""
    import os

    quiet_transformers()
    before = set(out.iterdir())
    model.save_pretrained(out)
    umask = os.umask(0)
    os.umask(umask)
    for path in set(out.iterdir()) - before:  # what save_pretrained wrote, nothing else
        if path.is_file() and not path.is_symlink():
            path.chmod(0o666 & ~umask)


def build_random_model(config_dir: Path | str, out: Path | str, *, seed: int = 1234) -> Path:
    """A random-weight MarianMT at the shape of ``config_dir`` (config.json and
    tokenizer files, no weights), saved to ``out`` with its tokenizer files."""
    import torch
    from transformers import GenerationConfig, MarianConfig, MarianMTModel

    config_dir, out = Path(config_dir), Path(out)
    out.mkdir(parents=True, exist_ok=True)
    config = MarianConfig.from_pretrained(config_dir)
    torch.manual_seed(seed)
    model = MarianMTModel(config).eval()
    if (config_dir / "generation_config.json").is_file():
        model.generation_config = GenerationConfig.from_pretrained(config_dir)
    _save(model, out)
    for name in TOKENIZER_FILES:
        if (config_dir / name).is_file():
            shutil.copy(config_dir / name, out / name)
    return out
