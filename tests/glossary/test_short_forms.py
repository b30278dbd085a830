"""Short forms within a document: a person's bare surname after the full name
(``Glossary.match_document``), the ``short`` column that sets or removes it,
and its exceptions."""

from __future__ import annotations

import dataclasses

import pytest

from mt.errors import GlossaryError
from mt.glossary import Entry, Glossary, format_glossary
from mt.glossary.entries import form_key, parse_glossary
from mt.glossary.shortforms import is_common_word, short_form
from mt.text import read_text, split_sentences

from ..conftest import HOUSE, SEEDS


def _full_forms_only() -> Glossary:
    """The house glossary without its entries for short forms (شمخاني، غراسيموف …),
    with the house's short spelling of al-Assad given in the ``short`` column."""
    kept = [e for e in Glossary.load(HOUSE).entries if "short form" not in e.note]
    kept = [dataclasses.replace(e, short="Assad") if e.ar == "بشار الأسد" else e for e in kept]
    return Glossary(kept)


FULL_ONLY = _full_forms_only()


def _seed(doc: str) -> list[str]:
    return [s.text for s in split_sentences(read_text(SEEDS / f"{doc}.txt"), doc)]


def _shorts(glossary: Glossary, texts: list[str], **options) -> list[tuple[int, str, str, str | None]]:
    """(segment, text as written, English, via) of every match that is a short form."""
    return [
        (number, m.text, m.entry.en, m.via)
        for number, matches in enumerate(glossary.match_document(texts, **options))
        for m in matches
        if m.via is not None
    ]


@pytest.mark.parametrize(
    ("doc", "segment", "written", "en", "via"),
    [
        ("002_dd7dce4049b59f65", 1, "شمخاني", "Shamkhani", "علي شمخاني"),  # قال شمخاني
        ("000_9f4e6ed923b12d3a", 10, "وغراسيموف", "Gerasimov", "فاليري غراسيموف"),  # through the clitic و
        ("000_9f4e6ed923b12d3a", 10, "باقري", "Bagheri", "محمد باقري"),
        ("000_9f4e6ed923b12d3a", 12, "بالأسد", "Assad", "بشار الأسد"),  # ب + the article, explicit short English
        ("003_357a6c03338e4d4e", 11, "ولایتي", "Velayati", "علي أكبر ولايتي"),  # Persian yeh in the seed
        ("004_2b8ce03f76824978", 4, "سليماني", "Soleimani", "قاسم سليماني"),
    ],
)
def test_seed_short_mentions_match_the_full_entry(doc, segment, written, en, via):
    assert (segment, written, en, via) in _shorts(FULL_ONLY, _seed(doc))


@pytest.mark.parametrize("doc", sorted(p.stem for p in SEEDS.glob("*.txt")))
def test_short_forms_find_what_the_house_short_entries_find_after_the_full_name(doc):
    """Against the house glossary, whose short forms are entries of their own:
    every such match after its person's full name is found as a short form,
    with the same English, and no short form is found anywhere else."""
    house = Glossary.load(HOUSE)
    texts = _seed(doc)
    owner_of = {  # a house short entry -> the entry whose name it ends
        e.ar: o.ar for e in house.entries if "short form" in e.note
        for o in FULL_ONLY.entries if o.type == "PER" and form_key(o.ar).endswith(" " + form_key(e.ar))
    }
    named: set[str] = set()
    expected = []
    for number, matches in enumerate(house.match_document(texts, short_forms=False)):
        for m in matches:
            if m.entry.ar in owner_of and owner_of[m.entry.ar] in named:
                expected.append((number, m.text, m.entry.en, owner_of[m.entry.ar]))
            named.add(m.entry.ar)
    found = _shorts(FULL_ONLY, texts)
    assert found == expected
    assert len(found) >= 3


def test_no_short_form_before_the_full_name():
    texts = ["قال شمخاني إن المحادثات مستمرة.", "وأكد علي شمخاني ذلك، ثم غادر شمخاني القاعة.", "وقال الشمخاني لاحقا."]
    found = _shorts(FULL_ONLY, texts)
    assert [(n, written) for n, written, _, _ in found] == [(1, "شمخاني"), (2, "الشمخاني")]  # with ال too
    first = FULL_ONLY.match_document(texts)[0]
    assert first == []


def test_two_people_with_the_same_surname_in_a_document_get_no_short_form():
    glossary = Glossary([
        Entry("بشار الأسد", "Bashar al-Assad", "PER"),
        Entry("حافظ الأسد", "Hafez al-Assad", "PER"),
    ])
    both = ["خلف بشار الأسد والده حافظ الأسد.", "وقال الأسد إن الحرب انتهت."]
    assert _shorts(glossary, both) == []
    one = ["قال بشار الأسد.", "وأضاف الأسد أن الحرب انتهت."]
    assert _shorts(glossary, one) == [(1, "الأسد", "al-Assad", "بشار الأسد")]


def test_a_surname_that_is_an_entry_of_its_own_is_that_entry():
    house = Glossary.load(HOUSE)
    texts = ["قال علي شمخاني.", "وأضاف شمخاني."]
    second = house.match_document(texts)[1]
    assert [(m.entry.ar, m.entry.en, m.via) for m in second] == [("شمخاني", "Shamkhani", None)]


@pytest.mark.parametrize(("full", "en", "surname"), [("نبيه بري", "Nabih Berri", "بري"), ("ميشال عون", "Michel Aoun", "عون")])
def test_a_surname_that_is_a_common_word_gets_no_short_form(full, en, surname):
    glossary = Glossary([Entry(full, en, "PER")])
    assert is_common_word(surname) and is_common_word("ال" + surname)
    assert _shorts(glossary, [f"قال {full}.", f"وقال {surname} إن الطريق {surname}ية."]) == []


def test_short_forms_off_and_for_people_only():
    glossary = Glossary([Entry("علي شمخاني", "Ali Shamkhani", "PER"), Entry("مطار دمشق", "Damascus airport", "LOC")])
    texts = ["وصل علي شمخاني إلى مطار دمشق.", "وقال شمخاني في دمشق."]
    assert _shorts(glossary, texts, short_forms=False) == []
    assert [m.entry.id for m in glossary.match_document(texts, short_forms=False)[1]] == []
    assert _shorts(glossary, texts) == [(1, "شمخاني", "Shamkhani", "علي شمخاني")]
    assert short_form(glossary.get("مطار دمشق")) is None


def test_short_form_of_a_variant_and_its_entry_as_the_json_reports_it():
    texts = ["التقى فاليري جيراسيموف نظيره.", "وقال جيراسيموف إن…"]
    [(_, match)] = [(n, m) for n, ms in enumerate(FULL_ONLY.match_document(texts)) for m in ms if m.via]
    assert (match.text, match.entry.en, match.via) == ("جيراسيموف", "Gerasimov", "فاليري غراسيموف")
    assert match.entry.ar == "غراسيموف"  # the short form's own Arabic, the entry id a term reports


@pytest.mark.parametrize(
    ("entry", "forms", "en"),
    [
        (Entry("علي شمخاني", "Ali Shamkhani", "PER"), ("شمخاني",), "Shamkhani"),
        (Entry("محمد بن سلمان", "Mohammed bin Salman", "PER"), ("بن سلمان",), "bin Salman"),  # particles kept
        (Entry("محمد باقري", "Mohammad Bagheri", "PER", short="Baqeri"), ("باقري",), "Baqeri"),
        (Entry("حسين أمير عبد اللهيان", "Hossein Amir-Abdollahian", "PER", short="أمير عبد اللهيان|أمير عبداللهيان = Amir-Abdollahian"),
         ("أمير عبد اللهيان", "أمير عبداللهيان"), "Amir-Abdollahian"),
        (Entry("بشار الأسد", "Bashar al-Assad", "PER", short="الأسد"), ("الأسد",), "al-Assad"),
    ],
)
def test_short_form_defaults_and_the_short_column(entry, forms, en):
    short = short_form(entry)
    assert (short.forms, short.en) == (forms, en)


@pytest.mark.parametrize(
    "entry", [Entry("علي شمخاني", "Ali Shamkhani", "PER", short="-"), Entry("خامنئي", "Khamenei", "PER")]
)
def test_no_short_form_when_the_column_says_so_or_for_a_one_word_name(entry):
    assert short_form(entry) is None


def test_the_short_column_reads_and_writes_as_a_sixth_column():
    text = (
        "ar\ten\ttype\tvariants\tnote\tshort\n"
        "بشار الأسد\tBashar al-Assad\tPER\t\tReuters/AP\tAssad\n"
        "علي شمخاني\tAli Shamkhani\tPER\t\t\n"  # an editor dropped the empty last field
        "نبيه بري\tNabih Berri\tPER\t\t\t-\n"
    )
    entries, problems = parse_glossary(text)
    assert problems == []
    assert [e.short for e in entries] == ["Assad", "", "-"]
    assert format_glossary(entries) == text.replace("\t\t\n", "\t\t\t\n")
    five = [dataclasses.replace(e, short="") for e in entries]
    assert format_glossary(five).splitlines()[0] == "ar\ten\ttype\tvariants\tnote"  # today's files stay as they are
    assert all(line.count("\t") == 4 for line in format_glossary(five).splitlines())


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("بشار الأسد\tBashar al-Assad\tPER\t\t\tالأسد = الأسد", "expected 'ARABIC = English' or one of them in short"),
        ("بشار الأسد\tBashar al-Assad\tPER\t\t\tالأسد =", "expected an English short form after '='"),
        ("مطار دمشق\tDamascus airport\tLOC\t\t\tairport", "expected no short form on a LOC entry"),
        ("بشار الأسد\tBashar al-Assad\tPER\t\t\t! = Assad", "expected Arabic in short form, found '!'"),
    ],
)
def test_a_bad_short_column_is_a_line_error(tmp_path, line, message):
    path = tmp_path / "g.tsv"
    path.write_text("ar\ten\ttype\tvariants\tnote\tshort\n" + line + "\n", encoding="utf-8")
    with pytest.raises(GlossaryError, match=rf"g\.tsv:2: {message}"):
        Glossary.load(path)


SHORTS = (
    "ar\ten\ttype\tvariants\tnote\tshort\n"
    "بشار الأسد\tBashar al-Assad\tPER\t\t\tAssad\n"
    "حسين أمير عبد اللهيان\tHossein Amir-Abdollahian\tPER\t\t\tأمير عبد اللهيان|أمير عبداللهيان = Amir-Abdollahian\n"
    "نبيه بري\tNabih Berri\tPER\t\t\t-\n"
    "علي شمخاني\tAli Shamkhani\tPER\t\t\t\n"
)


@pytest.mark.parametrize("fmt", ["csv", "tsv", "tbx"])
def test_short_forms_survive_export_and_import(tmp_path, fmt):
    from mt.glossary import export_glossary, import_entries

    source = tmp_path / "g.tsv"
    source.write_text(SHORTS, encoding="utf-8")
    exported = tmp_path / f"out.{fmt}"
    export_glossary(source, exported)
    target = tmp_path / "new.tsv"
    assert import_entries(target, exported).written
    expected = {e.ar: e.short for e in Glossary.load(source).entries}
    if fmt == "tbx":
        expected["نبيه بري"] = ""  # '-' (no short form) has no TBX term to carry it
    assert {e.ar: e.short for e in Glossary.load(target).entries} == expected


def test_csv_export_has_the_short_column_only_when_an_entry_has_one(tmp_path):
    from mt.glossary import export_glossary

    source = tmp_path / "g.tsv"
    source.write_text(SHORTS, encoding="utf-8")
    export_glossary(source, tmp_path / "with.csv", bom=False)
    assert (tmp_path / "with.csv").read_text(encoding="utf-8").splitlines()[0] == "ar,en,type,variants,note,short"
    export_glossary(HOUSE, tmp_path / "house.csv", bom=False)
    assert (tmp_path / "house.csv").read_text(encoding="utf-8").splitlines()[0] == "ar,en,type,variants,note"


def test_import_without_the_short_column_keeps_the_short_forms(tmp_path):
    from mt.glossary import import_entries

    target = tmp_path / "g.tsv"
    target.write_text(SHORTS, encoding="utf-8")
    rows = tmp_path / "rows.csv"
    rows.write_text("ar,en,type,note\nبشار الأسد,Bashar al-Assad,PER,AP\n", encoding="utf-8")
    assert import_entries(target, rows, update=True).written
    assert Glossary.load(target).get("بشار الأسد").short == "Assad"
    rows.write_text("ar,en,type,short\nبشار الأسد,Bashar al-Assad,PER,al-Assad\n", encoding="utf-8")
    refused = import_entries(target, rows)
    assert not refused.written and "short ('al-Assad', not 'Assad')" in refused.conflicts[0]


def test_the_readme_example_of_the_short_column_reads_as_it_says():
    import re

    from ..conftest import ROOT

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```\n(ar\ten\ttype\tvariants\tnote\tshort\n.*?)```", readme, re.DOTALL).group(1)
    entries, problems = parse_glossary(block)
    assert problems == []
    shorts = {e.ar: short_form(e) for e in entries}
    assert (shorts["بشار الأسد"].forms, shorts["بشار الأسد"].en) == (("الأسد",), "Assad")
    assert shorts["حسين أمير عبد اللهيان"].forms == ("أمير عبد اللهيان", "أمير عبداللهيان")
    assert shorts["نبيه بري"] is None


def test_mt_glossary_add_takes_a_short_form_and_list_shows_it(tmp_path):
    from typer.testing import CliRunner

    from cli import app

    from ..conftest import assert_one_line_error

    runner = CliRunner()
    path = tmp_path / "g.tsv"
    added = runner.invoke(app, ["glossary", "add", "بشار الأسد", "Bashar al-Assad", "--type", "PER", "--short", "Assad",
                                "--glossary", str(path)])
    assert added.exit_code == 0, added.output
    assert Glossary.load(path).get("بشار الأسد").short == "Assad"
    assert path.read_text(encoding="utf-8").splitlines()[0].endswith("\tnote\tshort")
    listed = runner.invoke(app, ["glossary", "list", "--glossary", str(path)])
    assert "short" in listed.stdout and "Assad" in listed.stdout
    bad = runner.invoke(app, ["glossary", "add", "دمشق", "Damascus", "--type", "LOC", "--short", "Dam", "--glossary", str(path)])
    assert_one_line_error(bad, "expected no short form on a LOC entry")
