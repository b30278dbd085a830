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


@pytest.mark.parametrize(
    "flags,env,isa,vnni",
    [
        (AVX2, {}, "AVX2", False),
        (AVX2 | {"avx_vnni"}, {}, "AVX2", True),  # Alder Lake and later: VNNI without AVX-512
        (AVX512, {}, "AVX512", False),  # Skylake-SP: AVX-512 without VNNI saturates as AVX2 does
        (AVX512 | {"avx512_vnni"}, {}, "AVX512", True),
        (AVX512 | {"avx512_vnni"}, {"CT2_FORCE_CPU_ISA": "AVX2"}, "AVX2", False),
        (AVX2, {"CT2_FORCE_CPU_ISA": "AVX512"}, "AVX2", False),  # forcing cannot raise the ISA
        ({"sse4_1"}, {}, "SSE4.1", False),
    ],
)
def test_the_isa_is_the_one_ctranslate2_picks_and_vnni_only_where_it_runs(flags, env, isa, vnni):
    cpu = cpu_info(flags, env, "x86_64")
    assert (cpu.isa, cpu.vnni, cpu.forced) == (isa, vnni, "CT2_FORCE_CPU_ISA" in env and isa != cpu_info(flags, {}, "x86_64").isa)


def test_auto_keeps_the_models_precision_only_where_int8_does_not_saturate():
    assert resolve_compute_type("auto", cpu_info(AVX2, {}, "x86_64"))[0] == "float32"
    assert resolve_compute_type(None, cpu_info(AVX512, {}, "x86_64"))[0] == "float32"
    assert resolve_compute_type("auto", cpu_info(AVX512 | {"avx512_vnni"}, {}, "x86_64"))[0] == "default"
    assert resolve_compute_type("auto", cpu_info(set(), {}, "aarch64"))[0] == "default"
    assert resolve_compute_type("int8", cpu_info(AVX2, {}, "x86_64")) == ("int8", "asked for with --compute-type")


ISA_LOGGED = re.compile(r"Selected ISA: (\S+)")


@pytest.mark.parametrize("force", [None, "AVX"])
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
    assert int8.identity.endswith(f":{int8.compute_type}:{cpu_info().isa}")


def test_model_info_names_the_family_the_isa_and_what_auto_picks(tiny_ct2_int8):
    result = runner.invoke(app, ["model", "info", str(tiny_ct2_int8)])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"{tiny_ct2_int8}: marian model, ctranslate2 layout, ")
    assert f"CPU ISA (CTranslate2): {cpu_info().isa}" in lines[1]
    assert "int8" in lines[2] and "float32" in lines[2]
    assert lines[3] == "stored in: int8_float32"
    expected = "int8_float32" if cpu_info().vnni else "float32"
    assert lines[4].startswith(f"auto computes in: {expected} (")


def test_model_info_of_a_missing_model_is_one_line(tmp_path):
    assert_one_line_error(runner.invoke(app, ["model", "info", str(tmp_path / "none")]), "no such model directory")
