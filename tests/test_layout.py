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


# The stages in the order they may import each other: a stage imports only
# from those of a lower rank (docs/architecture.md), lazily or not.
RANK = {"text": 0, "formats": 1, "glossary": 2, "align": 3, "translate": 3, "score": 4, "review": 4}


def _stage_imports(stage):
    """Every import of another stage by a module of ``stage``, inside a function or not."""
    for path in sorted((ROOT / "mt" / stage).rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        depth = len(path.relative_to(ROOT / "mt").parts) - 1
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.level > depth:
                target = (node.module or "").split(".")[0]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and (node.module or "").startswith("mt."):
                target = node.module.split(".")[1]
            else:
                continue
            if target in RANK and target != stage:
                yield target, f"{path.relative_to(ROOT)}:{node.lineno}"


@pytest.mark.parametrize("stage", STAGES)
def test_stages_import_only_the_stages_below_them(stage):
    upward = [f"{where}: {target}" for target, where in _stage_imports(stage) if RANK[target] >= RANK[stage]]
    assert upward == []


def _module_graph():
    """Module → the modules of ``mt`` it imports (lazily or not), by dotted name."""
    graph = {}
    for path in sorted((ROOT / "mt").rglob("*.py")):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        package = parts[:-1] if parts[-1] != "__init__" else parts[:-1]
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        edges = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.ImportFrom):
                continue
            if node.level:
                base = package[: len(package) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.startswith("mt"):
                edges.add(target)
        graph[name] = edges
    return graph


def test_no_module_imports_itself_round_a_circle():
    """A lazy import inside a function hides a circle from Python, not from
    a reader: none is allowed (a package's face, ``__init__``, aside)."""
    graph = _module_graph()
    modules = {m for m in graph if not any(other.startswith(m + ".") for other in graph)}  # not a package face
    edges = {m: {t for t in graph[m] if t in modules} for m in modules}
    seen, stack, circles = set(), [], []

    def visit(module):
        if module in stack:
            circles.append(stack[stack.index(module):] + [module])
            return
        if module in seen:
            return
        seen.add(module)
        stack.append(module)
        for target in sorted(edges[module]):
            visit(target)
        stack.pop()

    for module in sorted(modules):
        visit(module)
    assert circles == []
