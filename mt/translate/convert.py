"""``mt model prepare``: make a CTranslate2 directory from a MarianMT model.

The result holds the converted weights (int8 by default) and the
SentencePiece files beside them, so translating with it needs neither torch
nor transformers.  The output directory appears whole or not at all: the
conversion is written to a temporary directory and renamed.
"""

from __future__ import annotations

import json
import shutil
import tempfile
import warnings
from pathlib import Path

from ..errors import DependencyError, ModelError, OutputError
from .models import locate_model, quiet_transformers
from .vocab import PAD, MarianVocabulary

QUANTIZATIONS = ("int8", "float32", "int8_float32", "int16", "float16")
# The output bias of <pad> in a converted MarianMT: never written.
NEVER = -1e4
COPIED_FILES = ("source.spm", "target.spm", "vocab.json", "tokenizer_config.json", "special_tokens_map.json", "generation_config.json")


def starts_from_pad(path: Path | str) -> bool:
    """Whether the CTranslate2 directory ``path`` starts its decoder from
    ``<pad>``, as ``mt model prepare`` makes it (``_pad_start_loader``); a
    copy from CTranslate2's own converter, or from ``mt model prepare``
    before it kept ``<pad>``, starts from a zero embedding instead."""
    try:
        config = json.loads((Path(path) / "config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(config, dict) and config.get("decoder_start_token") == PAD


def _check_out(out: Path, force: bool) -> None:
    if out.exists() and not out.is_dir():
        raise OutputError(f"{out}: exists and is not a directory")
    if out.is_dir() and any(out.iterdir()) and not force:
        raise OutputError(f"{out}: output directory exists and is not empty; use --force to replace it")
    if not out.parent.exists():
        raise OutputError(f"{out.parent}: directory does not exist")


def _replace_dir(tmp: Path, out: Path) -> None:
    """Move the finished ``tmp`` to ``out``; an existing ``out`` is moved
    aside first and removed after, so ``out`` is never half-written (for an
    instant it is absent, never mixed)."""
    try:
        if out.exists():
            old = out.with_name(f".{out.name}.old")
            shutil.rmtree(old, ignore_errors=True)
            out.rename(old)
            tmp.rename(out)
            shutil.rmtree(old, ignore_errors=True)
        else:
            tmp.rename(out)
    except OSError as err:
        raise OutputError(f"{out}: cannot write the model ({err.strerror or err})") from None


def prepare_model(model: str, out: Path | str, *, quantization: str | None = None, force: bool = False) -> Path:
    """Convert ``model`` (hub id or ``save_pretrained`` directory) into the
    CTranslate2 directory ``out``, quantized (``int8`` unless told).  A model
    that is already a CTranslate2 directory (``ct2-transformers-converter``'s
    output) is copied as it is, checking its SentencePiece files; it cannot
    be quantized again."""
    out = Path(out)
    if quantization is not None and quantization not in QUANTIZATIONS:
        raise ModelError(f"unknown quantization {quantization!r}, expected one of {', '.join(QUANTIZATIONS)}")
    _check_out(out, force)
    source = locate_model(model)
    if source.kind == "ctranslate2" and quantization is not None:
        raise ModelError(f"{model}: is already a CTranslate2 model; it is copied as it is, leave out --quantization")
    try:
        tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    except OSError as err:
        raise OutputError(f"{out}: cannot write the model ({err.strerror or err})") from None
    try:
        if source.kind == "ctranslate2":
            shutil.rmtree(tmp)
            try:
                shutil.copytree(source.path, tmp)
            except OSError as err:
                raise OutputError(f"{out}: cannot copy the model ({err})") from None
        else:
            try:
                from ctranslate2.converters import TransformersConverter
            except ImportError as err:
                raise DependencyError(f"converting needs {err.name}: pip install ctranslate2 torch==2.13.0 transformers") from None
            copy = [name for name in COPIED_FILES if (source.path / name).is_file()]
            try:
                quiet_transformers()
                with warnings.catch_warnings():  # transformers' advice to install sacremoses
                    warnings.simplefilter("ignore")
                    _converter(TransformersConverter)(str(source.path), copy_files=copy).convert(
                        str(tmp), quantization=quantization or "int8", force=True
                    )
            except Exception as err:  # the converter raises whatever torch and transformers raise
                raise ModelError(f"{model}: cannot convert to CTranslate2 ({type(err).__name__}: {str(err)[:160]})") from None
        MarianVocabulary(tmp)  # the tokenizer files must be there and readable
        _replace_dir(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return out


def _converter(base):
    """CTranslate2's converter, changed in two ways.

    * Attention is returned as transformers gives it: the last decoder layer
      averaged over all heads.  Its default is the first head alone, which
      peaks elsewhere as often as not, and enforcement and word links read
      this attention on both backends alike.
    * A MarianMT decoder starts from its ``<pad>`` embedding, as in
      transformers (``_pad_start_loader``).
    """

    class AllHeadsConverter(base):
        def _load(self):
            from ctranslate2.converters import transformers as loaders

            default = loaders._MODEL_LOADERS.get("MarianConfig")
            loaders._MODEL_LOADERS["MarianConfig"] = _pad_start_loader(loaders)
            try:
                spec = super()._load()
            finally:
                loaders._MODEL_LOADERS["MarianConfig"] = default
            spec.decoder.alignment_heads = type(spec.decoder.alignment_heads)(int(spec.decoder.num_heads))
            return spec

    return AllHeadsConverter


def _pad_start_loader(loaders):
    """CTranslate2's MarianMT loader, keeping ``<pad>`` and starting the
    decoder from its embedding (a row of zeros in Marian's models), as
    transformers does.

    The stock loader drops ``<pad>`` and sets ``start_from_zero_embedding``.
    CTranslate2 4.x then zeroes every embedding of a prefix read in one pass
    at step 0 (``return_alternatives``), not only the start's, so the pieces
    it offers after a forced prefix are those of a blank history.  Kept
    here, ``<pad>`` is never written: its output bias is ``NEVER``, as
    transformers' generation bans it."""
    import torch

    marian, bart = loaders.MarianMTLoader, loaders.BartLoader

    class PadStartLoader(marian):
        def get_model_spec(self, model):
            model.config.normalize_before = False
            model.config.normalize_embedding = False
            spec = bart.get_model_spec(self, model)
            projection = spec.decoder.projection
            bias = getattr(model, "final_logits_bias", None)
            bias = torch.zeros(projection.weight.shape[0]) if bias is None else bias.detach().reshape(-1).float().clone()
            bias[model.config.pad_token_id] = NEVER
            projection.bias = bias
            return spec

        def set_config(self, config, model, tokenizer):
            super().set_config(config, model, tokenizer)
            config.decoder_start_token = tokenizer.pad_token

        def set_decoder(self, spec, decoder):
            bart.set_decoder(self, spec, decoder)

        def get_vocabulary(self, model, tokenizer):
            return bart.get_vocabulary(self, model, tokenizer)

    return PadStartLoader()
