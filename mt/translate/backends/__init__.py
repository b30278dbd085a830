"""Translation backends: one small Protocol, a lazily imported registry.

A backend turns batches of source pieces into target pieces.  It knows
nothing of glossaries: enforcement (``mt.translate.enforce``) drives it with forced
target prefixes and reads the cross-attention it returns, the same way for
every backend.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

from ...errors import DependencyError, ModelError
from ..models import DEFAULT_MODEL, ModelSource, locate_model
from ..vocab import MarianVocabulary

# name → (module, class, what to install when it is missing)
REGISTRY = {
    "transformers": ("mt.translate.backends.transformers_backend", "TransformersBackend", "pip install torch==2.13.0 transformers"),
    "ctranslate2": ("mt.translate.backends.ctranslate2_backend", "CTranslate2Backend", "pip install ctranslate2"),
}
BACKEND_CHOICES = ("auto", *REGISTRY)

# A per-sentence stop for greedy decoding: given the pieces so far (a forced
# prefix included), whether to stop that sentence here.  A backend may ask
# it late, with the empty string in place of a piece it has not seen
# (CTranslate2's ``_continue_each``), and cuts its output where the stop
# first answers on the pieces written; so a stop answers
# ``True`` only for what it sees, never because a piece is the empty string.
Stop = Callable[[tuple[str, ...]], bool]


def first_stop(pieces: tuple[str, ...], stop: Stop) -> tuple[str, ...]:
    """``pieces`` up to the first piece after which ``stop`` stops them, as
    asking it after every piece, forced prefix included, would cut them: for
    a backend that asks it only once it has decoded past the prefix."""
    for n in range(1, len(pieces) + 1):
        if stop(pieces[:n]):
            return pieces[:n]
    return pieces


@dataclass(frozen=True)
class Hypothesis:
    """The best translation of one source: target pieces without ``</s>``.

    ``attention[t][s]`` is the cross-attention of target piece ``t`` on source
    piece ``s`` (the source's ``</s>`` included) when asked for.  A backend
    that reads the attention in a pass that also gives the log-probability
    of each piece, then of ``</s>`` (as ``Backend.score`` does), returns
    those as ``log_probs``; ``None`` otherwise.
    """

    pieces: tuple[str, ...]
    attention: tuple[tuple[float, ...], ...] | None = field(default=None, compare=False)
    log_probs: tuple[float, ...] | None = field(default=None, compare=False)


@runtime_checkable
class Backend(Protocol):
    name: str
    vocab: MarianVocabulary
    identity: str  # what determines the output: backend, model fingerprint, precision, CPU ISA
    compute_type: str  # the precision it computes in ("int8_float32", "float32", …)
    cpu_isa: str  # the CPU instruction set its kernels use ("AVX2", "AVX512", …)

    def translate(
        self,
        sources: Sequence[Sequence[str]],
        *,
        beam: int,
        max_length: int,
        min_length: int = 0,
        prefixes: Sequence[Sequence[str] | None] | None = None,
        return_attention: bool = False,
        until: Sequence[Stop] | None = None,
    ) -> list[Hypothesis]:
        """Translate source pieces (without ``</s>``).  A prefix forces the
        first target pieces of its sentence.  ``max_length``/``min_length``
        count all output pieces, the prefix included.  With ``beam=1``,
        ``until[i]`` is asked after each piece of sentence ``i`` (with its
        pieces so far, the prefix included) and stops that sentence, its
        last piece kept, when it answers ``True``; the others go on."""
        ...

    def next_pieces(self, sources: Sequence[Sequence[str]], prefixes: Sequence[Sequence[str]], k: int) -> list[list[str]]:
        """The ``k`` most likely pieces after each prefix, best first."""
        ...

    def score(self, sources: Sequence[Sequence[str]], targets: Sequence[Sequence[str]]) -> list[tuple[float, ...]]:
        """One teacher-forced pass: the log-probability of each target piece,
        then of ``</s>`` (so ``len(targets[i]) + 1`` values)."""
        ...

    def attend(self, sources: Sequence[Sequence[str]], targets: Sequence[Sequence[str]]) -> list[tuple[tuple[float, ...], ...]]:
        """One teacher-forced pass: the cross-attention of each target piece
        on the source pieces (the source's ``</s>`` included)."""
        ...


class BackendBase:
    """The ``Backend.translate`` front that both backends share: an empty
    batch is answered at once, and ``prefixes`` reaches ``_translate`` as
    ``None`` when no sentence of the batch has one, so a batch without forced
    prefixes is decoded exactly as plain translation."""

    def translate(
        self,
        sources: Sequence[Sequence[str]],
        *,
        beam: int,
        max_length: int,
        min_length: int = 0,
        prefixes: Sequence[Sequence[str] | None] | None = None,
        return_attention: bool = False,
        until: Sequence[Stop] | None = None,
    ) -> list[Hypothesis]:
        if not sources:
            return []
        forced = list(prefixes) if prefixes is not None and any(prefixes) else None
        if until is not None and beam != 1:
            raise ValueError("a per-sentence stop needs greedy search (beam=1)")
        return self._translate(
            sources,
            beam=beam,
            max_length=max_length,
            min_length=min_length,
            prefixes=forced,
            return_attention=return_attention,
            until=list(until) if until is not None else None,
        )

    def _translate(self, sources, *, beam, max_length, min_length, prefixes, return_attention, until) -> list[Hypothesis]:
        raise NotImplementedError


def backend_class(name: str):
    module_name, class_name, install = REGISTRY[name]
    try:
        module = importlib.import_module(module_name)
    except ImportError as err:
        raise DependencyError(f"the {name} backend needs {err.name or 'a missing package'}: {install}") from None
    return getattr(module, class_name)


def load_backend(
    model: str = DEFAULT_MODEL,
    backend: str = "auto",
    *,
    compute_type: str | None = None,
) -> Backend:
    """Locate ``model`` and open it with ``backend`` (``auto``: by its layout).

    ``compute_type``: ``auto`` (``None``: the precision this CPU computes
    faithfully in, :mod:`mt.translate.precision`), or one that CTranslate2
    knows, such as ``int8`` or ``float32``.
    """
    if backend not in BACKEND_CHOICES:
        raise ModelError(f"unknown backend {backend!r}, expected one of {', '.join(BACKEND_CHOICES)}")
    source: ModelSource = locate_model(model)
    name = source.kind if backend == "auto" else backend
    if name == "ctranslate2" and source.kind == "transformers":
        raise ModelError(
            f"{model}: is a transformers checkpoint, not a CTranslate2 model; "
            f"convert it with `mt model prepare {model} --out DIR` or use --backend transformers"
        )
    if name == "transformers" and source.kind == "ctranslate2":
        raise ModelError(f"{model}: is a CTranslate2 model; use --backend ctranslate2 (or auto)")
    return backend_class(name)(source, compute_type=compute_type)
