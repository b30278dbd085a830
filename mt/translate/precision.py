"""Which precision CTranslate2 computes in on this machine, and why.

Two pieces of code decide CTranslate2's numbers on an x86 CPU:

* its own kernels, for one instruction set (ISA) picked when it starts:
  AVX2, AVX or GENERIC, the best the CPU has (AVX512 only when
  ``CT2_FORCE_CPU_ISA`` asks for it, which takes exactly ``AVX512``,
  ``AVX2``, ``AVX`` or ``GENERIC``; Arm has NEON);
* the int8 matrix products, done by Intel MKL on a genuine Intel CPU and by
  oneDNN elsewhere, each dispatching on the CPU by itself (limited only by
  ``MKL_ENABLE_INSTRUCTIONS`` or ``ONEDNN_MAX_CPU_ISA``).  Without VNNI
  they sum pairs of byte products into 16 bits (``vpmaddubsw``), which
  saturate: oneDNN's "Nuances of int8 computations" documents it for AVX2
  and AVX-512 without VNNI.

On this project's AVX2-only machine, int8 scored pieces of the trained test
model up to 19 nats away from transformers, and float32 within 4e-4, at the
same speed (docs/benchmarks.md, "Compute types per CPU").  So ``auto``, the
default, is:

* where the int8 products run on VNNI (AVX-512 VNNI or AVX-VNNI, not
  limited below it), or on Arm: the model's own precision (``default``:
  int8 for a copy prepared in int8, float32 for one prepared in float32);
* elsewhere on x86: float32, whatever the copy was prepared in.

``AS_AVX2`` is the environment that makes any x86 machine with AVX2 compute
as an AVX2-only one does (``.ci/run`` reruns tests in it).
"""

from __future__ import annotations

import os
import platform
from dataclasses import dataclass
from pathlib import Path

# What ``--compute-type`` accepts.
COMPUTE_TYPES = ("auto", "int8", "float32", "int8_float32", "int16", "default")
FORCE_ISA = "CT2_FORCE_CPU_ISA"
# The names CT2_FORCE_CPU_ISA takes on x86, and the CPU flags each needs
# (CTranslate2's cpu_isa.cc and cpu_info.cc).
X86_ISAS = {
    "AVX512": ("avx512f", "avx512cd", "avx512vl", "avx512dq", "avx512bw"),
    "AVX2": ("avx2",),
    "AVX": ("avx",),
    "GENERIC": (),
}
ARM_ISAS = ("NEON", "GENERIC")
# The variables that cap the int8 products' library below its own choice.
GEMM_LIMITS = {"MKL": ("MKL_ENABLE_INSTRUCTIONS",), "DNNL": ("ONEDNN_MAX_CPU_ISA", "DNNL_MAX_CPU_ISA")}
AS_AVX2 = {
    FORCE_ISA: "AVX2",
    "MKL_ENABLE_INSTRUCTIONS": "AVX2",
    "ONEDNN_MAX_CPU_ISA": "AVX2",
    "DNNL_MAX_CPU_ISA": "AVX2",
}


@dataclass(frozen=True)
class CpuInfo:
    """How CTranslate2 computes on this CPU: the ISA of its own kernels
    (``forced`` by ``CT2_FORCE_CPU_ISA``), the library of its int8 matrix
    products, and whether those run on VNNI (no 16-bit saturation)."""

    isa: str
    gemm: str = "DNNL"
    vnni: bool = False
    forced: bool = False
    arm: bool = False

    @property
    def label(self) -> str:
        """What the outputs record: "AVX2", or "AVX2+VNNI" where int8 products use VNNI."""
        return f"{self.isa}+VNNI" if self.vnni else self.isa


def read_cpuinfo(cpuinfo: Path = Path("/proc/cpuinfo")) -> tuple[set[str], str]:
    """The CPU's feature flags (x86 ``flags`` or Arm ``Features``) and its
    vendor (``GenuineIntel``, ``AuthenticAMD``); empty where the file
    cannot be read (not Linux)."""
    try:
        text = cpuinfo.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return set(), ""
    flags, vendor = set(), ""
    for line in text.splitlines():
        key, _, value = line.partition(":")
        key = key.strip()
        if key in ("flags", "Features") and not flags:
            flags = set(value.split())
        elif key == "vendor_id" and not vendor:
            vendor = value.strip()
    return flags, vendor


def _limited(value: str | None) -> bool:
    """Whether a cap such as ``MKL_ENABLE_INSTRUCTIONS=AVX2`` keeps a library off VNNI."""
    if not value:
        return False
    value = value.upper()
    return not any(mark in value for mark in ("VNNI", "_E", "AMX", "AVX10", "ALL"))


def cpu_info(
    flags: set[str] | None = None, env: dict | None = None, machine: str | None = None, vendor: str | None = None
) -> CpuInfo:
    """How CTranslate2 computes here (see the module docstring)."""
    if flags is None or vendor is None:
        read_flags, read_vendor = read_cpuinfo()
        flags = read_flags if flags is None else flags
        vendor = read_vendor if vendor is None else vendor
    env = os.environ if env is None else env
    machine = (machine or platform.machine()).lower()
    forced = env.get(FORCE_ISA) or None
    if machine in ("aarch64", "arm64"):
        return CpuInfo(forced or "NEON", gemm="RUY", forced=bool(forced), arm=True)
    if machine not in ("x86_64", "amd64", "i686", "x86"):
        return CpuInfo("GENERIC", gemm="none")
    isa = forced or next(name for name in ("AVX2", "AVX", "GENERIC") if all(f in flags for f in X86_ISAS[name]))
    use_mkl = env.get("CT2_USE_MKL")
    gemm = "MKL" if (vendor == "GenuineIntel" if not use_mkl else use_mkl.lower() in ("1", "true", "on")) else "DNNL"
    capped = any(_limited(env.get(name)) for name in GEMM_LIMITS[gemm])
    vnni = bool({"avx512_vnni", "avx_vnni"} & flags) and not capped
    return CpuInfo(isa, gemm=gemm, vnni=vnni, forced=bool(forced))


def forced_isa_problem(cpu: CpuInfo, flags: set[str] | None = None) -> str | None:
    """Why CTranslate2 would refuse ``CT2_FORCE_CPU_ISA`` here, or ``None``."""
    if not cpu.forced:
        return None
    names = ARM_ISAS if cpu.arm else tuple(X86_ISAS)
    if cpu.isa not in names:
        return f"{FORCE_ISA}={cpu.isa}: CTranslate2 takes {', '.join(names)}"
    flags = read_cpuinfo()[0] if flags is None else flags
    if not cpu.arm and not all(f in flags for f in X86_ISAS[cpu.isa]):
        return f"{FORCE_ISA}={cpu.isa}: this CPU has no {cpu.isa}"
    return None


def auto_compute_type(cpu: CpuInfo) -> tuple[str, str]:
    """What ``auto`` loads a CTranslate2 model in on ``cpu``, and why, in a
    few words (see the module docstring)."""
    if cpu.arm:
        return "default", "the model's own precision: int8 on Arm does not saturate"
    if cpu.vnni:
        return "default", f"the model's own precision: int8 products ({cpu.gemm}) run on VNNI, without saturating"
    return "float32", f"int8 products ({cpu.gemm}) without VNNI saturate their 16-bit sums, and are no faster here"


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
    problem = forced_isa_problem(cpu)
    if problem:
        raise ModelError(problem)
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
    isa = f"{cpu.isa}{' (forced by ' + FORCE_ISA + ')' if cpu.forced else ''}; int8 products: {cpu.gemm}, {'with' if cpu.vnni else 'no'} VNNI"
    return [
        f"{info.spec}: {info.family} model, {info.layout} layout, {info.vocabulary} vocabulary pieces",
        f"CPU ISA (CTranslate2): {isa}",
        f"compute types here: {', '.join(info.supported)}",
        f"stored in: {info.stored}",
        f"auto computes in: {info.chosen} ({info.reason})",
    ]
