"""The package layout that docs/architecture.md describes, kept true."""

from __future__ import annotations

import ast
import subprocess
import sys

import pytest

from .conftest import ROOT

STAGES = ("text", "glossary", "translate", "align", "score", "formats", "review")
MODEL_FREE = ("text", "glossary", "align", "score", "formats", "review")
HEAVY = ("torch", "transformers", "ctranslate2")


@pytest.mark.parametrize("stage", MODEL_FREE)
def test_stages_without_a_model_import_without_torch_transformers_or_ctranslate2(stage):
    code = f"import sys, mt.{stage}; print(sorted(m for m in sys.modules if m.split('.')[0] in {HEAVY!r}))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True).stdout
    assert out.strip() == "[]", f"mt.{stage} pulls in {out.strip()}"


def test_translate_loads_no_backend_library_until_a_backend_is_loaded():
    code = f"import sys, mt.translate; print(sorted(m for m in sys.modules if m.split('.')[0] in {HEAVY!r}))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True).stdout
    assert out.strip() == "[]"


def _mt_imports(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and (node.module or "").startswith("mt"):
            yield node.module, node.lineno


def test_cli_imports_only_the_faces_of_the_stages():
    private = [(mod, line) for mod, line in _mt_imports(ROOT / "cli.py") if mod.count(".") > 1]
    assert private == []


def _relative_targets(path, package):
    """The stage packages a module of ``package`` imports from, and through which module."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    depth = len(path.relative_to(ROOT / "mt").parts) - 1  # folders below mt/
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level > depth:
            parts = (node.module or "").split(".")
            if parts[0] in STAGES and parts[0] != package:
                yield parts, node.lineno


@pytest.mark.parametrize("stage", STAGES)
def test_stages_import_each_other_through_their_faces(stage):
    through_private = []
    for path in sorted((ROOT / "mt" / stage).rglob("*.py")):
        for parts, line in _relative_targets(path, stage):
            if len(parts) > 1:
                through_private.append(f"{path.relative_to(ROOT)}:{line}: {'.'.join(parts)}")
    assert through_private == []


def test_each_stage_face_says_what_it_takes_and_gives_and_lists_its_api():
    for stage in STAGES:
        module = ast.parse((ROOT / "mt" / stage / "__init__.py").read_text(encoding="utf-8"))
        assert ast.get_docstring(module), stage
        names = [t.id for node in module.body if isinstance(node, ast.Assign) for t in node.targets if isinstance(t, ast.Name)]
        assert "__all__" in names, stage
