"""OmegaT (Debian's omegat 3.6, console mode) segments the seeds with mt's
rules and fills them from mt translate's TMX in tm/auto/."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from lxml import etree
from typer.testing import CliRunner

from cli import app
from mt.text import has_arabic, split_sentences, write_srx

from ..conftest import SEEDS

runner = CliRunner()
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
PROJECT = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<omegat>
  <project version="1.0">
    <source_dir>__DEFAULT__</source_dir>
    <target_dir>__DEFAULT__</target_dir>
    <tm_dir>__DEFAULT__</tm_dir>
    <glossary_dir>__DEFAULT__</glossary_dir>
    <glossary_file>__DEFAULT__</glossary_file>
    <dictionary_dir>__DEFAULT__</dictionary_dir>
    <source_lang>ar</source_lang>
    <target_lang>en</target_lang>
    <source_tok>org.omegat.tokenizer.LuceneArabicTokenizer</source_tok>
    <target_tok>org.omegat.tokenizer.LuceneEnglishTokenizer</target_tok>
    <sentence_seg>true</sentence_seg>
    <support_default_translations>true</support_default_translations>
    <remove_tags>false</remove_tags>
  </project>
</omegat>
"""


def _tmx_units(folder: Path) -> dict[str, str]:
    units = {}
    for path in folder.glob("*.tmx"):
        for tu in etree.parse(str(path)).iter("tu"):
            sides = {tuv.get(XML_LANG): tuv.findtext("seg") for tuv in tu.iter("tuv")}
            units[sides["ar"]] = sides["en"]
    return units


def _omegat_translate(root: Path, tmx_dir: Path, *, rules: bool) -> tuple[int, int]:
    """Run OmegaT's console-translate on the seeds with the TMX in tm/auto/;
    give (Arabic lines filled from the TMX exactly, Arabic lines)."""
    for sub in ("source", "target", "tm/auto", "omegat", "glossary", "dictionary", "config"):
        (root / sub).mkdir(parents=True)
    (root / "omegat.project").write_text(PROJECT, encoding="utf-8")
    for path in sorted(SEEDS.glob("*.txt")):
        shutil.copy(path, root / "source")
    for path in tmx_dir.glob("*.tmx"):
        shutil.copy(path, root / "tm" / "auto")
    if rules:
        write_srx(root / "omegat" / "segmentation.conf", omegat=True)
    done = subprocess.run(
        ["omegat", str(root), "--mode=console-translate", f"--config-dir={root / 'config'}"],
        check=False,
        capture_output=True,
        text=True,
        timeout=600,
        env={"PATH": "/usr/bin:/bin", "HOME": str(root), "LANG": "C.UTF-8"},
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    units = _tmx_units(root / "tm" / "auto")
    filled = total = 0
    for source in sorted((root / "source").glob("*.txt")):
        lines = source.read_text(encoding="utf-8").splitlines()
        targets = (root / "target" / source.name).read_text(encoding="utf-8").splitlines()
        assert len(targets) == len(lines)
        for line, target in zip(lines, targets):
            if not has_arabic(line):
                continue
            total += 1
            # The line as mt translated it: each segment replaced by its unit's English.
            expected, pos = [], 0
            for seg in split_sentences(line):
                expected += [line[pos : seg.start], units.get(seg.text, seg.text)]
                pos = seg.end
            expected.append(line[pos:])
            filled += target == "".join(expected) != line
    return filled, total


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("omegat") is None, reason="omegat is not installed (apt-get install omegat; .ci/run does)")
def test_omegat_fills_the_seeds_from_mt_translate_tmx_with_mt_rules(tiny_model, tmp_path):
    out = tmp_path / "aligned"
    result = runner.invoke(app, ["translate", str(SEEDS), "--out", str(out), "--model", str(tiny_model), "--beam", "1"])
    assert result.exit_code == 0, result.output
    without = _omegat_translate(tmp_path / "default-rules", out, rules=False)
    filled, total = _omegat_translate(tmp_path / "mt-rules", out, rules=True)
    print(f"OmegaT lines filled from the TMX: OmegaT's rules {without[0]}/{without[1]}, mt's rules {filled}/{total}")
    assert total == without[1] and total >= 60
    assert filled >= 0.95 * total, (filled, total)
