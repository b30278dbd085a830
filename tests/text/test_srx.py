from __future__ import annotations

import re

import pytest
import regex
from lxml import etree
from typer.testing import CliRunner

from cli import app
from mt.text import (
    SEGMENTATION_RULES,
    SegmentationRule,
    find_breaks,
    omegat_segmentation,
    read_srx_rules,
    srx_document,
)

from ..conftest import assert_one_line_error

runner = CliRunner()
SRX = "{http://www.lisa.org/srx20}"
_PATTERNS = [(i, side, getattr(rule, side)) for i, rule in enumerate(SEGMENTATION_RULES) for side in ("before", "after")]

# What Java's java.util.regex (OmegaT), .NET (Trados, memoQ) and Python read
# differently: shorthand classes (ASCII only in Java unless a flag is set),
# inline flags, possessive and atomic groups, named groups, \x{…}.
_NOT_COMMON = re.compile(r"\\[sSwWdDbBhHvVRXzZAGQEk]|\(\?[a-zA-Z]|\(\?>|\(\?P|\(\?<\w|[*+?}][+]|\\x\{")


@pytest.mark.parametrize("index,side,pattern", _PATTERNS, ids=[f"{i}-{s}" for i, s, _ in _PATTERNS])
def test_every_rule_regex_is_in_the_common_subset(index, side, pattern):
    regex.compile(pattern)
    if "\\p{" not in pattern:
        re.compile(pattern)
    assert not _NOT_COMMON.search(pattern), _NOT_COMMON.search(pattern)
    assert set(re.findall(r"\\p\{(\w+)\}", pattern)) <= {"L", "Lu", "Nl", "No"}
    # Lookbehind one character class wide, which every engine reads.
    for look in re.finditer(r"\(\?<[!=]", pattern):
        assert re.match(r"\(\?<[!=]\[\^?(?:\\.|[^\]\\])*\]\)", pattern[look.start() :]), pattern[look.start() :][:40]


def test_srx_document_is_srx_2_with_the_rules_in_order():
    root = etree.fromstring(srx_document())
    assert root.tag == SRX + "srx" and root.get("version") == "2.0"
    rules = root.findall(f".//{SRX}languagerule/{SRX}rule")
    assert [r.get("break") == "yes" for r in rules] == [r.breaks for r in SEGMENTATION_RULES]
    assert root.find(f".//{SRX}languagemap").get("languagepattern") == ".*"
    assert read_srx_rules(srx_document()) == SEGMENTATION_RULES


def test_first_matching_rule_decides_and_no_rule_means_no_break():
    rules = (
        SegmentationRule(False, r"Mr\.", "[ ]", "title"),
        SegmentationRule(True, r"\.", "[ ]", "full stop"),
    )
    line = "Mr. Adams left. He came back;  then"
    assert find_breaks(line, rules) == [len("Mr. Adams left.")]


def test_omegat_segmentation_conf_holds_the_rules_for_xmldecoder():
    root = etree.fromstring(omegat_segmentation())
    assert root.tag == "java" and root.get("class") == "java.beans.XMLDecoder"
    srx = root.find("object")
    assert srx.get("class") == "org.omegat.core.segmentation.SRX"
    # An older version would be merged with OmegaT's own default rules.
    assert srx.find("void[@property='version']/string").text == "0.2.2"
    map_rule = srx.find("void[@property='mappingRules']/void/object")
    assert map_rule.find("void[@property='pattern']/string").text == ".*"
    rules = map_rule.findall("void[@property='rules']/object/void/object")
    read = [
        SegmentationRule(
            rule.find("void[@property='breakRule']/boolean").text == "true",
            rule.find("void[@property='beforebreak']/string").text or "",
            rule.find("void[@property='afterbreak']/string").text or "",
            "",
        )
        for rule in rules
    ]
    assert [(r.breaks, r.before, r.after) for r in read] == [(r.breaks, r.before, r.after) for r in SEGMENTATION_RULES]


def test_export_srx_cli(tmp_path):
    result = runner.invoke(app, ["export-srx", str(tmp_path / "mt.srx")])
    assert result.exit_code == 0, result.output
    assert f"wrote {len(SEGMENTATION_RULES)} segmentation rules" in result.stdout
    assert read_srx_rules(tmp_path / "mt.srx") == SEGMENTATION_RULES
    result = runner.invoke(app, ["export-srx", "--omegat", str(tmp_path / "segmentation.conf")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "segmentation.conf").read_bytes() == omegat_segmentation()


def test_export_srx_into_a_missing_directory(tmp_path):
    result = runner.invoke(app, ["export-srx", str(tmp_path / "nope" / "mt.srx")])
    assert_one_line_error(result, "nope: output directory does not exist")
