"""Finding a translation model: a local directory or a Hugging Face hub id.

A model is a directory in one of two layouts:

* ``transformers``: a MarianMT checkpoint as ``save_pretrained`` writes it
  (``config.json`` with ``model_type: marian``, weights, ``source.spm``,
  ``target.spm``, ``vocab.json``);
* ``ctranslate2``: a CTranslate2 conversion (``model.bin``, its vocabulary
  files) with the SentencePiece files copied beside it.

A hub id such as ``Helsinki-NLP/opus-mt-ar-en`` is downloaded on first use
(into the Hugging Face cache); offline, the error says how to get a model.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from ..errors import ModelError

DEFAULT_MODEL = "Helsinki-NLP/opus-mt-ar-en"
_HUB_PATTERNS = ["*.json", "*.spm", "*.safetensors", "*.txt"]
_WEIGHT_FILES = ("model.safetensors", "pytorch_model.bin", "model.bin")


@dataclass(frozen=True)
class ModelSource:
    """A located model: what the user named, where it is, its layout and a
    fingerprint that changes when the weights or config change."""

    spec: str
    path: Path
    kind: str
    fingerprint: str


def quiet_transformers() -> None:
    """No "Loading weights" progress bars from transformers on stderr: the
    command line reports progress itself."""
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()


def detect_kind(path: Path) -> str | None:
    """``"ctranslate2"``, ``"transformers"`` or ``None`` for a directory."""
    if (path / "model.bin").is_file() and (path / "config.json").is_file():
        try:
            config = json.loads((path / "config.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            config = {}
        if "model_type" not in config:
            return "ctranslate2"
    if (path / "config.json").is_file() and any((path / w).is_file() for w in _WEIGHT_FILES[:2]):
        return "transformers"
    if any(path.glob("model-*.safetensors")):
        return "transformers"
    return None


def fingerprint(path: Path) -> str:
    """A short hash of the config and the weight files' sizes and times."""
    digest = hashlib.sha256()
    for name in ("config.json", *_WEIGHT_FILES, "source.spm", "target.spm"):
        file = path / name
        if file.is_file():
            stat = file.stat()
            digest.update(name.encode())
            if name.endswith(".json"):
                digest.update(file.read_bytes())
            else:
                digest.update(f"{stat.st_size}:{stat.st_mtime_ns}".encode())
    return digest.hexdigest()[:16]


def _looks_like_hub_id(spec: str) -> bool:
    return spec.count("/") == 1 and not spec.startswith((".", "/", "~")) and " " not in spec


def _download(spec: str) -> Path:
    offline_help = (
        f"model {spec!r} could not be found locally or downloaded (offline?): "
        f"use a local model directory instead (mt translate --model PATH), or on a connected machine run "
        f"`mt model prepare {spec} --out DIR` and copy DIR here"
    )
    try:
        import huggingface_hub
    except ImportError:
        raise ModelError(offline_help) from None
    try:
        path = Path(huggingface_hub.snapshot_download(spec, allow_patterns=_HUB_PATTERNS))
        if detect_kind(path) is None:  # an older checkpoint without safetensors
            path = Path(huggingface_hub.snapshot_download(spec, allow_patterns=[*_HUB_PATTERNS, "pytorch_model.bin"]))
        return path
    except Exception as err:  # the hub raises many types: offline, not found, gated, …
        name = type(err).__name__
        if "NotFound" in name and "Local" not in name:
            raise ModelError(f"model {spec!r} does not exist on the Hugging Face hub and is not a local directory") from None
        raise ModelError(offline_help) from None


def locate_model(spec: str) -> ModelSource:
    """Find ``spec`` as a local directory or download it from the hub."""
    path = Path(spec).expanduser()
    if path.exists():
        if not path.is_dir():
            raise ModelError(f"{spec}: a model is a directory, this is a file")
    elif _looks_like_hub_id(spec):
        path = _download(spec)
    else:
        raise ModelError(f"{spec}: no such model directory")
    kind = detect_kind(path)
    if kind is None:
        raise ModelError(
            f"{spec}: not a model directory (expected a MarianMT checkpoint with config.json and weights, "
            "or a CTranslate2 model with model.bin)"
        )
    return ModelSource(spec=spec, path=path, kind=kind, fingerprint=fingerprint(path))
