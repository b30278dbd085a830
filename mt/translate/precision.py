"""Which precision CTranslate2 computes in on this machine, and why.

CTranslate2 picks one instruction set (ISA) for its CPU kernels when it
starts: AVX512, AVX2, AVX, SSE4.1 (x86), NEON (Arm) or GENERIC, the best the
CPU has unless ``CT2_FORCE_CPU_ISA`` names a lower one.  Its int8 matrix
products on x86 without VNNI multiply bytes into 16-bit sums
(``vpmaddubsw``), which saturate: oneDNN's "Nuances of int8 computations"
documents it for AVX2 and AVX-512 without VNNI.  On this project's AVX2-only
machine, int8 scored pieces of the trained test model up to 12 nats away
from transformers, and float32 within 0.15, at about the same speed
(docs/benchmarks.md, "Compute types per CPU").

``auto``, the default, is therefore:

* where the ISA CTranslate2 uses has VNNI (AVX-512 VNNI, or AVX-VNNI with
  AVX2), or on Arm: the model's own precision (``default``: int8 for a copy
  prepared in int8, float32 for one prepared in float32);
* elsewhere on x86: float32, whatever the copy was prepared in.
"""

from __future__ import annotations

import os
import platform
from dataclasses import dataclass
from pathlib import Path

# What ``--compute-type`` accepts.
COMPUTE_TYPES = ("auto", "int8", "float32", "int8_float32", "int16", "default")
# CTranslate2's x86 ISAs, best first, and the CPU flags each needs (its cpu_info).
_X86_ISAS = (
    ("AVX512", ("avx512f", "avx512cd", "avx512vl", "avx512dq", "avx512bw")),
    ("AVX2", ("avx2",)),
    ("AVX", ("avx",)),
    ("SSE4.1", ("sse4_1",)),
)
_ISA_NAMES = {"AVX512": "AVX512", "AVX2": "AVX2", "AVX": "AVX", "SSE4_1": "SSE4.1", "SSE4.1": "SSE4.1", "NEON": "NEON", "GENERIC": "GENERIC"}
FORCE_ISA = "CT2_FORCE_CPU_ISA"


@dataclass(frozen=True)
class CpuInfo:
    """The ISA CTranslate2 uses here, whether it was forced, and whether int8
    products run on VNNI (no 16-bit saturation)."""

    isa: str
    forced: bool = False
    vnni: bool = False
    arm: bool = False


def cpu_flags(cpuinfo: Path = Path("/proc/cpuinfo")) -> set[str]:
    """The CPU's feature flags (x86 ``flags`` or Arm ``Features``); empty
    where the file cannot be read."""
    try:
        text = cpuinfo.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return set()
    for line in text.splitlines():
        key, _, value = line.partition(":")
        if key.strip() in ("flags", "Features"):
            return set(value.split())
    return set()


def cpu_info(flags: set[str] | None = None, env: dict | None = None, machine: str | None = None) -> CpuInfo:
    """The ISA CTranslate2 picks on this machine (``CT2_FORCE_CPU_ISA``
    honoured, as CTranslate2 honours it: it may only lower the ISA)."""
    flags = cpu_flags() if flags is None else flags
    env = os.environ if env is None else env
    machine = (machine or platform.machine()).lower()
    if machine in ("aarch64", "arm64"):
        return CpuInfo("NEON", arm=True)
    if machine not in ("x86_64", "amd64", "i686", "x86"):
        return CpuInfo("GENERIC")
    native = next((isa for isa, needs in _X86_ISAS if all(f in flags for f in needs)), "GENERIC")
    order = [isa for isa, _ in _X86_ISAS] + ["GENERIC"]
    forced = _ISA_NAMES.get(str(env.get(FORCE_ISA, "")).upper())
    isa = native
    if forced and order.index(forced) >= order.index(native):
        isa = forced
    vnni = (isa == "AVX512" and "avx512_vnni" in flags) or (isa in ("AVX512", "AVX2") and "avx_vnni" in flags)
    return CpuInfo(isa, forced=isa != native, vnni=vnni)


def auto_compute_type(cpu: CpuInfo) -> tuple[str, str]:
    """What ``auto`` loads a CTranslate2 model in on ``cpu``, and why, in a
    few words (see the module docstring)."""
    forced = f" ({FORCE_ISA})" if cpu.forced else ""
    if cpu.arm:
        return "default", "the model's own precision: int8 on Arm does not saturate"
    if cpu.vnni:
        return "default", f"the model's own precision: {cpu.isa}{forced} with VNNI computes int8 without saturating"
    return "float32", f"int8 on {cpu.isa}{forced} without VNNI saturates its 16-bit sums, and is no faster there"


def resolve_compute_type(requested: str | None, cpu: CpuInfo | None = None) -> tuple[str, str]:
    """The compute type to load with for ``--compute-type requested``
    (``None`` means ``auto``), and why."""
    if requested in (None, "auto"):
        return auto_compute_type(cpu or cpu_info())
    return requested, "asked for with --compute-type"


@dataclass(frozen=True)
class ModelInfo:
    """What ``mt model info`` reports: the model, this machine's CPU as
    CTranslate2 sees it, and the precision a run would use, with why."""

    spec: str
    layout: str  # "transformers" or "ctranslate2"
    family: str  # "marian", …, "unknown"
    vocabulary: int  # target pieces
    cpu: CpuInfo
    supported: tuple[str, ...]  # CTranslate2's compute types on this CPU
    stored: str  # the precision the weights are stored in ("float32" for a checkpoint)
    chosen: str  # what ``--compute-type auto`` computes in
    reason: str


def _family(path: Path, layout: str) -> str:
    """The model family from ``config.json`` (a checkpoint) or the copied
    ``tokenizer_config.json`` (a CTranslate2 copy): "marian" for MarianMT."""
    import json

    name, key = ("config.json", "model_type") if layout == "transformers" else ("tokenizer_config.json", "tokenizer_class")
    try:
        value = json.loads((path / name).read_text(encoding="utf-8")).get(key) or ""
    except (OSError, ValueError, AttributeError):
        return "unknown"
    value = str(value).lower()
    return value[: -len("tokenizer")] if value.endswith("tokenizer") else value or "unknown"


def model_info(model: str) -> ModelInfo:
    """Describe ``model`` (a directory or hub id) and what ``auto`` picks for it here."""
    from ..errors import DependencyError, ModelError
    from .models import locate_model
    from .vocab import MarianVocabulary

    source = locate_model(model)
    vocabulary = len(MarianVocabulary(source.path).piece_to_id)
    cpu = cpu_info()
    try:
        import ctranslate2
    except ImportError:
        raise DependencyError("mt model info needs ctranslate2: pip install ctranslate2") from None
    supported = tuple(sorted(ctranslate2.get_supported_compute_types("cpu")))
    chosen, reason = auto_compute_type(cpu)
    stored = "float32"
    if source.kind == "ctranslate2":
        try:
            stored = ctranslate2.Translator(str(source.path), device="cpu", compute_type="default").compute_type
        except (RuntimeError, ValueError, OSError) as err:
            raise ModelError(f"{model}: cannot load the CTranslate2 model ({err})") from None
    else:
        chosen, reason = "float32", "the transformers backend runs in float32; `mt model prepare` makes a CTranslate2 copy"
    return ModelInfo(
        spec=model, layout=source.kind, family=_family(source.path, source.kind), vocabulary=vocabulary, cpu=cpu,
        supported=supported, stored=stored, chosen=stored if chosen == "default" else chosen, reason=reason,
    )


def describe(info: ModelInfo) -> list[str]:
    """``mt model info``'s lines."""
    cpu = info.cpu
    isa = f"{cpu.isa}{' (forced by ' + FORCE_ISA + ')' if cpu.forced else ''}, {'with' if cpu.vnni else 'no'} VNNI"
    return [
        f"{info.spec}: {info.family} model, {info.layout} layout, {info.vocabulary} vocabulary pieces",
        f"CPU ISA (CTranslate2): {isa}",
        f"compute types here: {', '.join(info.supported)}",
        f"stored in: {info.stored}",
        f"auto computes in: {info.chosen} ({info.reason})",
    ]
