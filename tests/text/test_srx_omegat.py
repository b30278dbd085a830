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


OMEGAT_JAR = Path("/usr/share/omegat/OmegaT.jar")
SEGMENT_LINES_JAVA = """
import java.nio.charset.StandardCharsets;
import java.nio.file.*;
import java.util.*;
import org.omegat.core.segmentation.*;
import org.omegat.util.Language;

/** Segment each line of args[1] with OmegaT's Segmenter; args[0] is a segmentation.conf or "default". */
public class SegmentLines {
    public static void main(String[] args) throws Exception {
        SRX srx = args[0].equals("default") ? SRX.getDefault() : SRX.loadSRX(new java.io.File(args[0]));
        Segmenter segmenter = new Segmenter();
        segmenter.setSRX(srx);
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(Paths.get(args[1]), StandardCharsets.UTF_8)) {
            out.addAll(segmenter.segment(new Language("ar"), line, new ArrayList<>(), new ArrayList<>()));
            out.add("\\u0000");
        }
        Files.write(Paths.get(args[2]), out, StandardCharsets.UTF_8);
    }
}
"""


@pytest.mark.slow
@pytest.mark.skipif(
    shutil.which("javac") is None or not OMEGAT_JAR.exists(), reason="needs javac and Debian's omegat (OmegaT.jar)"
)
def test_omegat_segmenter_splits_ntrex_and_the_seeds_as_mt_does(ntrex_docs, seed_paths, tmp_path):
    """OmegaT's own Segmenter class, with the segmentation.conf mt writes,
    on every line of the 62 NTREX dev documents (both sides) and the seeds."""
    from mt.dev.evaluation import running_text
    from mt.text import split_lines

    texts = [running_text(doc[f"{side}_sentences"])[0] for doc in ntrex_docs for side in ("ar", "en")]
    texts += [path.read_text(encoding="utf-8") for path in seed_paths]
    lines = [text[a:b] for text in texts for a, b in split_lines(text) if text[a:b].strip()]
    (tmp_path / "lines.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (tmp_path / "SegmentLines.java").write_text(SEGMENT_LINES_JAVA, encoding="utf-8")
    write_srx(tmp_path / "segmentation.conf", omegat=True)
    classpath = f"{OMEGAT_JAR}:{tmp_path}"
    subprocess.run(["javac", "-cp", classpath, "-d", str(tmp_path), str(tmp_path / "SegmentLines.java")], check=True)

    def omegat_segments(conf: str) -> list[list[str]]:
        out = tmp_path / f"segments-{Path(conf).name}.txt"
        subprocess.run(["java", "-cp", classpath, "SegmentLines", conf, str(tmp_path / "lines.txt"), str(out)], check=True)
        per_line = out.read_text(encoding="utf-8").split("\x00\n")[: len(lines)]
        return [[s for s in chunk.split("\n") if s] for chunk in per_line]

    ours = [[s.text for s in split_sentences(line)] for line in lines]
    theirs = omegat_segments(str(tmp_path / "segmentation.conf"))
    default = omegat_segments("default")
    same = sum(a == b for a, b in zip(ours, theirs))
    same_default = sum(a == b for a, b in zip(ours, default))
    segments = sum(map(len, ours))
    print(
        f"{len(lines)} lines, {segments} mt segments; lines OmegaT segments as mt does: "
        f"with mt's rules {same}, with its default rules {same_default}"
    )
    assert theirs == ours
