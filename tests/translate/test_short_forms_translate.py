"""``mt translate`` with short forms: a surname after the full name is a term,
enforced like any other and reported with ``via``; ``--no-short-forms``."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from cli import app
from mt.formats import read_json
from mt.glossary import Glossary, find_term, format_glossary

from ..conftest import HOUSE, SEEDS

pytestmark = pytest.mark.slow
runner = CliRunner()
SEED = "002_dd7dce4049b59f65"  # علي شمخاني, then قال شمخاني، وأضاف شمخاني


def test_short_forms_are_enforced_and_reported_with_via(tiny_ct2_int8, tmp_path):
    glossary = tmp_path / "full.tsv"  # the house glossary without its short-form entries
    glossary.write_text(format_glossary(e for e in Glossary.load(HOUSE).entries if "short form" not in e.note), encoding="utf-8")
    out = tmp_path / "out"
    args = ["translate", str(SEEDS / f"{SEED}.txt"), "--out", str(out), "--model", str(tiny_ct2_int8),
            "--glossary", str(glossary), "--beam", "2"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    document = read_json(out / f"{SEED}.json")
    shorts = [(pair, term) for pair in document.pairs for term in pair.terms if term.via is not None]
    assert {(t.source, t.en, t.entry, t.via) for _, t in shorts} >= {("شمخاني", "Shamkhani", "شمخاني", "علي شمخاني")}
    for pair, term in shorts:  # random weights: the model never writes it, so it is forced into the English
        assert term.status in ("produced", "forced") and find_term(pair.target, term.en), (term, pair.target)
        assert pair.source[term.start - pair.source_start : term.end - pair.source_start] == term.source
    assert document.meta["short_forms"] is True

    off = runner.invoke(app, [*args, "--no-short-forms"])
    assert off.exit_code == 0, off.output
    assert f"{SEED}: redone (--no-short-forms changed):" in off.stdout
    plain = read_json(out / f"{SEED}.json")
    assert not [t for p in plain.pairs for t in p.terms if t.via is not None]
    assert plain.meta["short_forms"] is False
    again = runner.invoke(app, [*args, "--no-short-forms"])
    assert ": up to date, skipped" in again.stdout
