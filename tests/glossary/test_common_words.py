"""Issue 16 defect 9: entries whose Arabic is also a common word are flagged by
``glossary check`` and their matches marked ambiguous in the translate JSON."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli import app
from mt.errors import FormatError
from mt.formats import loads_document, read_json, write_json
from mt.glossary import Entry, Glossary, check_glossary, find_homographs, is_ambiguous, load_common_words
from mt.glossary.common import HOMOGRAPH
from mt.text import Article
from mt.types import Pair, PairDocument, TermHit
from tests.conftest import shared_path

HOUSE = Path(__file__).resolve().parents[2] / "glossary" / "entities.tsv"
HEADER = "ar\ten\ttype\tvariants\tnote\n"


def _glossary(tmp_path: Path, *lines: str) -> Path:
    path = tmp_path / "g.tsv"
    path.write_text(HEADER + "".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def test_check_flags_a_common_word_entry_with_its_line(tmp_path):
    path = _glossary(tmp_path, "محمد جواد ظريف\tMohammad Javad Zarif\tPER\t\t", "ظريف\tZarif\tPER\t\t", "بوتين\tPutin\tPER\t\t")
    report = check_glossary(path)
    assert report.ok, "a common-word entry is a warning, not a problem"
    assert [(w.line, w.kind) for w in report.warnings] == [(3, HOMOGRAPH)]
    assert "'ظريف'" in report.lines()[0] and "witty" in report.lines()[0] and ":3: warning:" in report.lines()[0]


def test_house_glossary_flags_zarif_and_assad_only():
    flagged = {w.entry.ar for w in check_glossary(HOUSE).warnings}
    assert flagged == {"ظريف", "الأسد"}


def test_check_cli_prints_the_warning_and_exits_zero(tmp_path):
    path = _glossary(tmp_path, "ظريف\tZarif\tPER\t\t")
    result = CliRunner().invoke(app, ["glossary", "check", "-g", str(path)])
    assert result.exit_code == 0, result.output
    assert "is also a common word (witty)" in result.stdout and "[common-word]" in result.stdout


def test_a_user_dictionary_adds_common_words_but_not_names(tmp_path):
    words = tmp_path / "words.tsv"
    words.write_text("# my list\nروحاني\tSpiritual | Mental\nسوريا\tSyria\nشمخاني\n", encoding="utf-8")
    common = load_common_words(words)
    assert "روحاني" in common and "الروحاني" in common, "with and without the article"
    assert "سوريا" not in common, "a headword glossed only by its own transliteration is a name"
    entries = [Entry("روحاني", "Rouhani", "PER", line=2), Entry("سوريا", "Syria", "LOC", line=3)]
    assert [p.entry.ar for p in find_homographs(entries, common)] == ["روحاني"]
    assert [p.entry.ar for p in find_homographs(entries)] == [], "not in the built-in list"
    path = _glossary(tmp_path, "روحاني\tRouhani\tPER\t\t")
    result = CliRunner().invoke(app, ["glossary", "check", "-g", str(path), "--dictionary", str(words)])
    assert result.exit_code == 0 and "(Spiritual | Mental)" in result.stdout


def test_freedict_flags_common_words_of_the_house_glossary():
    freedict = shared_path("data", "dictionary", "freedict-ara-eng.tsv")
    if not freedict.exists():
        pytest.skip("../shared/data/dictionary/freedict-ara-eng.tsv is not there")
    flagged = {w.entry.ar for w in check_glossary(HOUSE, load_common_words(freedict)).warnings}
    assert {"ظريف", "الأسد", "روحاني"} <= flagged
    assert not flagged & {"سوريا", "روسيا", "فلسطين", "إيران", "جيتي"}, "names the dictionary glosses as themselves"


def test_a_dictionary_without_arabic_is_one_clear_error(tmp_path):
    words = tmp_path / "words.txt"
    words.write_text("hello\tworld\n", encoding="utf-8")
    with pytest.raises(FormatError, match="no Arabic words found"):
        load_common_words(words)
    path = _glossary(tmp_path, "ظريف\tZarif\tPER\t\t")
    result = CliRunner().invoke(app, ["glossary", "check", "-g", str(path), "--dictionary", str(words)])
    assert result.exit_code == 1 and result.stderr.startswith("error: ") and "no Arabic words" in result.stderr


def test_glossary_says_which_entries_are_ambiguous():
    glossary = Glossary([Entry("ظريف", "Zarif", "PER"), Entry("محمد جواد ظريف", "Mohammad Javad Zarif", "PER")])
    assert glossary.is_ambiguous("ظريف")
    assert not glossary.is_ambiguous("محمد جواد ظريف"), "a full name is not a common word"
    assert not glossary.is_ambiguous("nope")
    assert is_ambiguous(Entry("الأسد", "Assad", "PER"))


def _document(ambiguous: bool) -> PairDocument:
    term = TermHit(source="ظريف", start=0, end=4, en="Zarif", entry="ظريف", status="forced", ambiguous=ambiguous)
    return PairDocument(meta={"doc": "d", "source_file": "d.txt"}, pairs=(Pair(id="0", source="ظريف قال", target="Zarif said", terms=(term,)),))


def _dumps(document: PairDocument, tmp_path: Path) -> str:
    write_json(document, tmp_path / "d.json")
    return (tmp_path / "d.json").read_text(encoding="utf-8")


def test_json_writes_ambiguous_only_when_true_and_reads_it_back(tmp_path):
    text = _dumps(_document(True), tmp_path)
    assert '"ambiguous": true' in text
    assert loads_document(text).pairs[0].terms[0].ambiguous is True
    plain = _dumps(_document(False), tmp_path)
    assert "ambiguous" not in plain
    assert loads_document(plain).pairs[0].terms[0].ambiguous is False


def test_json_refuses_a_non_boolean_ambiguous(tmp_path):
    text = _dumps(_document(True), tmp_path).replace('"ambiguous": true', '"ambiguous": "yes"')
    with pytest.raises(FormatError, match="expected bool for 'ambiguous'"):
        loads_document(text, "x.json")


@pytest.mark.slow
def test_translate_marks_matches_of_common_word_entries_ambiguous(tiny_ct2_int8, tmp_path):
    from mt.translate import DecodeOptions, RunSettings, load_backend, translate_article

    glossary = Glossary([Entry("ظريف", "Zarif", "PER"), Entry("محمد جواد ظريف", "Mohammad Javad Zarif", "PER")])
    text = "التقى محمد جواد ظريف نظيره الروسي.\n\nوقال ظريف إن الاتفاق قائم."
    settings = RunSettings(model=str(tiny_ct2_int8), backend=load_backend(str(tiny_ct2_int8), "ctranslate2"),
                           options=DecodeOptions(beam=1), glossary=glossary)
    document = translate_article(Article(path=tmp_path / "a.txt", doc="a", text=text), settings)
    terms = [t for p in document.pairs for t in p.terms]
    assert [(t.entry, t.ambiguous) for t in terms] == [("محمد جواد ظريف", False), ("ظريف", True)]
    write_json(document, tmp_path / "a.json")
    assert [t.ambiguous for p in read_json(tmp_path / "a.json").pairs for t in p.terms] == [False, True]
