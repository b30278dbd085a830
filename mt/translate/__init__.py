"""Translation: Arabic segments in, English out, every glossary term enforced.

Takes articles (``Article`` from :mod:`mt.text`), a backend (``load_backend``:
MarianMT through transformers or CTranslate2, behind the ``Backend``
Protocol), decoding options and an optional ``Glossary``, and gives one
``PairDocument`` per article (``translate_article``), written as JSON and TMX
by ``translate_files``, which schedules the segments of many articles
together (:mod:`.corpus`; ``translate_files_ray`` runs the same on Ray
Data, :mod:`.ray_engine`).  Underneath, ``translate_texts`` is the engine:
translation memory, long-segment splitting, length-sorted batches, and the
enforcement of terms (:mod:`.enforce`).  ``prepare_model`` converts a model
to CTranslate2.  Nothing here imports torch, transformers or ctranslate2
until a backend is loaded or a model converted.
"""

from __future__ import annotations

from .articles import (
    ArticleReport,
    Progress,
    RunSettings,
    load_articles,
    translate_article,
)
from .backends import BACKEND_CHOICES, Backend, Hypothesis, load_backend
from .convert import QUANTIZATIONS, prepare_model, starts_from_pad
from .corpus import WINDOW_SEGMENTS, translate_files
from .engine import (
    FORCED_PASS,
    FREE_PASS,
    CONTINUATIONS,
    DecodeOptions,
    EngineStats,
    TermRequest,
    Translation,
    translate_texts,
)
from .memory import TranslationMemory
from .plain import model_translator
from .reviewed import Carried, carry_review
from .precision import COMPUTE_TYPES, CpuInfo, ModelInfo, cpu_info, model_info, resolve_compute_type
from .precision import describe as describe_model
from .models import DEFAULT_MODEL, detect_kind, locate_model, quiet_transformers
from .ray_engine import RAY_EXTRA, BackendSpec, ClusterError, RayOptions, import_ray, translate_files_ray
from .vocab import EOS, PAD, UNK, MarianVocabulary

__all__ = [
    "BACKEND_CHOICES",
    "COMPUTE_TYPES",
    "DEFAULT_MODEL",
    "EOS",
    "FORCED_PASS",
    "FREE_PASS",
    "PAD",
    "QUANTIZATIONS",
    "RAY_EXTRA",
    "UNK",
    "WINDOW_SEGMENTS",
    "ArticleReport",
    "Backend",
    "BackendSpec",
    "ClusterError",
    "CpuInfo",
    "CONTINUATIONS",
    "Carried",
    "DecodeOptions",
    "EngineStats",
    "Hypothesis",
    "MarianVocabulary",
    "ModelInfo",
    "Progress",
    "RayOptions",
    "RunSettings",
    "TermRequest",
    "Translation",
    "TranslationMemory",
    "carry_review",
    "cpu_info",
    "describe_model",
    "detect_kind",
    "import_ray",
    "load_articles",
    "load_backend",
    "locate_model",
    "model_info",
    "model_translator",
    "prepare_model",
    "quiet_transformers",
    "resolve_compute_type",
    "starts_from_pad",
    "translate_article",
    "translate_files",
    "translate_files_ray",
    "translate_texts",
]
