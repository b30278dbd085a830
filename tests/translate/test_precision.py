"""The precision CTranslate2 computes in: the CPU's ISA as CTranslate2 picks
it, the ``auto`` rule, and what a run records of both."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from cli import app
from mt.translate import cpu_info, load_backend, resolve_compute_type

from ..conftest import assert_one_line_error

runner = CliRunner()
AVX2 = {"sse4_1", "avx", "avx2", "fma"}
AVX512 = AVX2 | {"avx512f", "avx512cd", "avx512vl", "avx512dq", "avx512bw"}


VNNI512 = AVX512 | {"avx512_vnni"}


@pytest.mark.parametrize(
    "flags,vendor,env,expected",
    [
        (AVX2, "AuthenticAMD", {}, ("AVX2", "DNNL", False)),
        (AVX2 | {"avx_vnni"}, "GenuineIntel", {}, ("AVX2", "MKL", True)),  # Alder Lake and later
        (AVX512, "GenuineIntel", {}, ("AVX2", "MKL", False)),  # Skylake-SP saturates as AVX2 does; AVX512 only when asked
        (VNNI512, "GenuineIntel", {}, ("AVX2", "MKL", True)),
        (VNNI512, "GenuineIntel", {"CT2_FORCE_CPU_ISA": "AVX512"}, ("AVX512", "MKL", True)),
        (VNNI512, "AuthenticAMD", {"CT2_FORCE_CPU_ISA": "AVX2"}, ("AVX2", "DNNL", True)),  # oneDNN still picks VNNI
        (VNNI512, "AuthenticAMD", {"ONEDNN_MAX_CPU_ISA": "AVX2"}, ("AVX2", "DNNL", False)),
        (VNNI512, "GenuineIntel", {"MKL_ENABLE_INSTRUCTIONS": "AVX512_E1"}, ("AVX2", "MKL", True)),
        (VNNI512, "GenuineIntel", {"CT2_USE_MKL": "0"}, ("AVX2", "DNNL", True)),
        ({"sse4_1"}, "AuthenticAMD", {}, ("GENERIC", "DNNL", False)),  # CTranslate2 has no SSE4.1 kernels
    ],
)
def test_the_isa_and_the_int8_library_are_the_ones_ctranslate2_uses(flags, vendor, env, expected):
    cpu = cpu_info(flags, env, "x86_64", vendor)
    assert (cpu.isa, cpu.gemm, cpu.vnni) == expected
    assert cpu.forced == ("CT2_FORCE_CPU_ISA" in env)


@pytest.mark.parametrize("vendor", ["GenuineIntel", "AuthenticAMD"])
def test_the_avx2_environment_makes_any_avx2_machine_compute_as_an_avx2_one(vendor):
    from mt.translate.precision import AS_AVX2

    for flags in (AVX2, AVX2 | {"avx_vnni"}, AVX512, VNNI512):
        cpu = cpu_info(flags, AS_AVX2, "x86_64", vendor)
        assert (cpu.isa, cpu.vnni) == ("AVX2", False)


@pytest.mark.parametrize(
    "value,flags,problem",
    [("AVX2", AVX2, None), ("GENERIC", AVX2, None), ("avx2", AVX2, "CTranslate2 takes AVX512, AVX2, AVX, GENERIC"),
     ("SSE4.1", AVX2, "CTranslate2 takes"), ("NEON", AVX2, "CTranslate2 takes"), ("AVX512", AVX2, "this CPU has no AVX512")],
)
def test_a_forced_isa_that_ctranslate2_would_refuse_is_said_at_once(value, flags, problem):
    from mt.translate.precision import forced_isa_problem

    found = forced_isa_problem(cpu_info(flags, {"CT2_FORCE_CPU_ISA": value}, "x86_64", "AuthenticAMD"), flags)
    assert (found is None) if problem is None else (problem in found and found.startswith(f"CT2_FORCE_CPU_ISA={value}: "))


def test_auto_keeps_the_models_precision_only_where_int8_does_not_saturate():
    def auto(flags, machine="x86_64", env=None):
        return resolve_compute_type("auto", cpu_info(flags, env or {}, machine, "GenuineIntel"))[0]

    assert auto(AVX2) == auto(AVX512) == "float32"
    assert auto(VNNI512) == auto(AVX2 | {"avx_vnni"}) == "default"
    assert auto(set(), "aarch64") == "default"
    assert auto(VNNI512, env={"MKL_ENABLE_INSTRUCTIONS": "AVX2"}) == "float32"
    assert resolve_compute_type("int8", cpu_info(AVX2, {}, "x86_64", "")) == ("int8", "asked for with --compute-type")


ISA_LOGGED = re.compile(r"Selected ISA: (\S+)")


@pytest.mark.parametrize("force", [None, "AVX", "GENERIC"])
def test_the_isa_read_here_is_the_one_ctranslate2_logs(tiny_ct2, force):
    """CTranslate2 says which ISA it selected when it loads a model
    (``CT2_VERBOSE``); ``cpu_info`` must name the same, forced or not."""
    env = {k: v for k, v in os.environ.items() if k != "CT2_FORCE_CPU_ISA"} | {"CT2_VERBOSE": "1"}
    if force:
        env["CT2_FORCE_CPU_ISA"] = force
    script = (
        "import ctranslate2, sys; from mt.translate import cpu_info; "
        f"ctranslate2.Translator({str(tiny_ct2)!r}, compute_type='float32'); print(cpu_info().isa, file=sys.stderr)"
    )
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    logged = ISA_LOGGED.search(done.stderr).group(1).replace("_", ".")
    assert done.stderr.strip().splitlines()[-1] == logged


def test_a_copy_prepared_in_float32_loads_in_float32_and_an_int8_one_by_the_rule(tiny_ct2, tiny_ct2_int8):
    assert load_backend(str(tiny_ct2), "ctranslate2").compute_type == "float32"
    int8 = load_backend(str(tiny_ct2_int8), "ctranslate2")
    assert int8.compute_type == ("int8_float32" if cpu_info().vnni else "float32")
    assert load_backend(str(tiny_ct2_int8), "ctranslate2", compute_type="int8").compute_type == "int8_float32"
    assert int8.identity.endswith(f":{int8.compute_type}:{cpu_info().label}")


def test_model_info_names_the_family_the_isa_and_what_auto_picks(tiny_ct2_int8):
    result = runner.invoke(app, ["model", "info", str(tiny_ct2_int8)])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"{tiny_ct2_int8}: marian model, ctranslate2 layout, ")
    assert lines[1].startswith(f"CPU ISA (CTranslate2): {cpu_info().isa}")
    assert f"; int8 products: {cpu_info().gemm}, {'with' if cpu_info().vnni else 'no'} VNNI" in lines[1]
    assert "int8" in lines[2] and "float32" in lines[2]
    assert lines[3] == "stored in: int8_float32"
    expected = "int8_float32" if cpu_info().vnni else "float32"
    assert lines[4].startswith(f"auto computes in: {expected} (")


def test_a_forced_isa_this_cpu_lacks_is_one_line_not_a_failure_later(tiny_ct2_int8, monkeypatch):
    monkeypatch.setenv("CT2_FORCE_CPU_ISA", "NEON")
    result = runner.invoke(app, ["model", "info", str(tiny_ct2_int8)])
    assert_one_line_error(result, "CT2_FORCE_CPU_ISA=NEON: CTranslate2 takes AVX512, AVX2, AVX, GENERIC")


def test_model_info_of_a_missing_model_is_one_line(tmp_path):
    assert_one_line_error(runner.invoke(app, ["model", "info", str(tmp_path / "none")]), "no such model directory")
