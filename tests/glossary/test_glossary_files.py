"""Glossary maintenance: check, add, remove, import, export, concurrent writers."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from translate.storage import tbx
from typer.testing import CliRunner

from cli import app
from mt.errors import FormatError, GlossaryError, InputError
from mt.glossary import Glossary, check_glossary
from mt.glossary.entries import (
    CONFLICT,
    DUPLICATE,
    MALFORMED,
    NEAR_DUPLICATE,
    REDUNDANT,
    SHADOWED,
    Entry,
)
from mt.glossary.files import (
    EntryFile,
    add_entry,
    export_glossary,
    guess_format,
    import_entries,
    merge_entries,
    new_entry,
    read_entries,
    remove_entry,
    write_entries,
)

from ..conftest import DATA, GLOSSARY_HEADER, HOUSE, ROOT, assert_one_line_error


@pytest.fixture
def small(tmp_path) -> Path:
    path = tmp_path / "entities.tsv"
    path.write_text(GLOSSARY_HEADER + "روسيا\tRussia\tLOC\t\t\nبشار الأسد\tBashar al-Assad\tPER\t\tReuters/AP\n", encoding="utf-8")
    return path


# ---- check -------------------------------------------------------------------------


def test_check_finds_each_kind_of_problem_with_its_line():
    report = check_glossary(DATA / "glossary_problems.tsv")
    found = {(p.line, p.kind) for p in report.problems}
    assert found == {
        (3, MALFORMED),  # field count
        (4, MALFORMED),  # unknown type
        (5, MALFORMED),  # empty ar
        (6, MALFORMED),  # empty en
        (7, REDUNDANT),  # variant equal to ar after normalisation
        (8, DUPLICATE),  # same ar as line 2
        (9, DUPLICATE),  # same as line 7 after normalisation
        (11, CONFLICT),  # بوتين is Putin at line 10
        (13, SHADOWED),  # only form already a variant of line 12
        (14, MALFORMED),  # starts with « : can never match
        (15, MALFORMED),  # columns swapped
        (16, MALFORMED),  # empty variant
    }
    assert not report.ok
    lines = report.lines()
    assert lines[0].startswith(f"{DATA / 'glossary_problems.tsv'}:3: expected 5 tab-separated fields")
    assert any(":11: 'بوتين' means 'Vladimir Putin' here but 'Putin'" in line for line in lines)
    assert report.summary().endswith(": 8 entries, 12 problems")


def test_check_never_matching_entry_with_variants(tmp_path):
    path = tmp_path / "g.tsv"
    path.write_text(GLOSSARY_HEADER + "حلب\tAleppo\tLOC\tحلب الشهباء\t\nحلب الشهباء\tAleppo\tLOC\tحلب\t\n", encoding="utf-8")
    messages = [p.message for p in check_glossary(path).problems]
    assert any("never matches" in m for m in messages)


def test_check_clean_house_glossary():
    report = check_glossary(HOUSE)
    assert report.ok and report.summary().endswith(f"{report.entries} entries, 0 problems")


# ---- add and remove ----------------------------------------------------------------


def test_add_then_remove_round_trip(small):
    before = small.read_bytes()
    entry = new_entry(" حلب ", "Aleppo", "loc", "حلب الشهباء| حلبَ الشهباء2", "note")
    assert entry == Entry("حلب", "Aleppo", "LOC", ("حلب الشهباء", "حلبَ الشهباء2"), "note")
    assert add_entry(small, entry) is None
    glossary = Glossary.load(small)
    assert glossary.entries[-1] == entry and glossary.entries[-1].line == 4
    assert [m.entry.en for m in glossary.match("وحلب")] == ["Aleppo"]
    assert remove_entry(small, "حلب") == entry
    assert small.read_bytes() == before


def test_a_windows_glossary_keeps_its_bom_and_crlf(small):
    windows = b"\xef\xbb\xbf" + small.read_bytes().replace(b"\n", b"\r\n")
    small.write_bytes(windows)
    add_entry(small, new_entry("حلب", "Aleppo", "LOC"))
    data = small.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and data.count(b"\n") == data.count(b"\r\n") == windows.count(b"\n") + 1
    remove_entry(small, "حلب")
    assert small.read_bytes() == windows


def test_add_refuses_duplicates_unless_replace(small):
    with pytest.raises(GlossaryError, match=r"entities\.tsv:2: 'روسيا' is already in the glossary \('Russia'\); use --replace"):
        add_entry(small, new_entry("روسيا", "Russian Federation", "LOC"))
    with pytest.raises(GlossaryError, match="is already in the glossary"):
        add_entry(small, new_entry("بشار الاسد", "Assad", "PER"))  # same after normalisation
    old = add_entry(small, new_entry("روسيا", "Russian Federation", "LOC"), replace=True)
    assert old is not None and old.en == "Russia"
    assert Glossary.load(small).entries[0].en == "Russian Federation"  # replaced in place


def test_add_refuses_conflicting_variant(small):
    with pytest.raises(GlossaryError, match=r"cannot add 'فلاديمير بوتين': 'روسيا' means 'Vladimir Putin' here but 'Russia'"):
        add_entry(small, new_entry("فلاديمير بوتين", "Vladimir Putin", "PER", "روسيا"))
    assert "بوتين" not in small.read_text(encoding="utf-8")


def test_add_creates_a_missing_glossary(tmp_path):
    path = tmp_path / "new.tsv"
    add_entry(path, new_entry("حمص", "Homs", "LOC"))
    assert path.read_text(encoding="utf-8") == GLOSSARY_HEADER + "حمص\tHoms\tLOC\t\t\n"
    assert oct(path.stat().st_mode & 0o777) == oct(0o644)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("حمص", "Homs", "TOWN"), "expected type PER, ORG, LOC or MISC, found 'TOWN'"),
        (("حمص", " ", "LOC"), "expected a non-empty en"),
        (("Homs", "Homs", "LOC"), "expected Arabic in ar, found 'Homs'"),
        (("حمص", "Homs", "LOC", "حمص العدية||حمس"), "expected a non-empty variant"),
        (("حمص", "Homs\tCity", "LOC"), "expected no control characters in en"),
        (("«حمص»", "Homs", "LOC"), "can never match"),
    ],
)
def test_new_entry_rejects_bad_fields(args, message):
    with pytest.raises(GlossaryError, match=message):
        new_entry(*args)


def test_remove_missing_entry_and_variant_hint(small):
    with pytest.raises(GlossaryError, match=r"no entry 'حلب'"):
        remove_entry(small, "حلب")
    add_entry(small, new_entry("قاسم سليماني", "Qassem Soleimani", "PER", "قاسم سلماني"))
    with pytest.raises(GlossaryError, match=r"'قاسم سلماني' is a variant of 'قاسم سليماني', line 4"):
        remove_entry(small, "قاسم سلماني")
    with pytest.raises(GlossaryError, match="no such glossary file"):
        remove_entry(small.parent / "absent.tsv", "حلب")


def test_edits_refuse_a_broken_glossary(tmp_path):
    path = tmp_path / "g.tsv"
    path.write_text(GLOSSARY_HEADER + "روسيا\tRussia\n", encoding="utf-8")
    with pytest.raises(GlossaryError, match=r"g\.tsv:2: expected 5 tab-separated fields"):
        add_entry(path, new_entry("حمص", "Homs", "LOC"))
    with pytest.raises(GlossaryError, match="directory does not exist"):
        add_entry(tmp_path / "no" / "g.tsv", new_entry("حمص", "Homs", "LOC"))


# ---- concurrency -------------------------------------------------------------------

_WRITER = """
import sys, time
from pathlib import Path
from mt.glossary import add_entry, new_entry
path, tag, go = sys.argv[1], sys.argv[2], Path(sys.argv[3])
while not go.exists():
    time.sleep(0.005)
for i in range(100):
    add_entry(path, new_entry(f"تجربة{tag}{i}", f"Test {tag}{i}", "MISC"))
"""


def test_two_processes_adding_entries_all_land(tmp_path):
    path = tmp_path / "entities.tsv"
    path.write_text(GLOSSARY_HEADER, encoding="utf-8")
    go = tmp_path / "go"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    procs = [
        subprocess.Popen([sys.executable, "-c", _WRITER, str(path), tag, str(go)], env=env, stderr=subprocess.PIPE)
        for tag in ("أ", "ب")
    ]
    time.sleep(0.3)
    go.touch()
    for proc in procs:
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err.decode()
    glossary = Glossary.load(path)
    assert len(glossary) == 200
    assert {e.en for e in glossary.entries} == {f"Test {t}{i}" for t in ("أ", "ب") for i in range(100)}
    assert not list(tmp_path.glob(".entities.tsv.*.tmp"))  # no temporary files left behind


# ---- import and export -------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["tsv", "csv", "tbx"])
def test_export_import_round_trip_of_the_house_glossary(tmp_path, fmt):
    exported = tmp_path / f"house.{fmt}"
    assert export_glossary(HOUSE, exported) == len(Glossary.load(HOUSE))
    target = tmp_path / "entities.tsv"
    result = import_entries(target, exported)
    assert result.written and not result.conflicts
    assert target.read_bytes() == HOUSE.read_bytes()
    again = import_entries(target, exported)
    assert not again.written and len(again.unchanged) == len(again.entries)


def test_tsv_export_is_the_glossary_file(tmp_path):
    out = tmp_path / "copy.tsv"
    export_glossary(HOUSE, out)
    assert out.read_bytes() == HOUSE.read_bytes()


_FIELD = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="|"), min_size=1, max_size=12
).map(str.strip).filter(bool)


@settings(max_examples=40, deadline=None)
@given(en=_FIELD, note=st.one_of(st.just(""), _FIELD), fmt=st.sampled_from(["csv", "tsv", "tbx"]))
def test_round_trip_keeps_odd_text(tmp_path_factory, en, note, fmt):
    entry = Entry("بغداد", en, "LOC", ("بغداد العاصمة",), note)
    path = tmp_path_factory.mktemp("rt") / f"x.{fmt}"
    write_entries(path, [entry])
    assert list(read_entries(path).entries) == [entry]


def test_import_csv_reports_conflicts_and_writes_nothing(small):
    before = small.read_bytes()
    conflicting = small.parent / "in.csv"
    conflicting.write_text("ar,en,type,variants\nروسيا,Russian Federation,LOC,\nحمص,Homs,LOC,\n", encoding="utf-8")
    result = import_entries(small, conflicting)
    assert not result.written and small.read_bytes() == before
    assert result.conflicts == (
        f"{conflicting}:2: 'روسيا' → 'Russian Federation' conflicts with 'روسيا' → 'Russia' ({small} line 2); use --replace to overwrite",
    )
    result = import_entries(small, conflicting, replace=True)
    assert result.written and [e.en for e in result.replaced] == ["Russian Federation"]
    assert [e.en for e in Glossary.load(small).entries] == ["Russian Federation", "Bashar al-Assad", "Homs"]


def test_import_fixture_csv_merges(small):
    result = import_entries(small, DATA / "glossary_import.csv")
    assert result.written
    assert [e.en for e in result.added] == ["Ankara", "John Kerry", "Baghdad"]
    assert [e.en for e in result.unchanged] == ["Russia"]
    kerry = Glossary.load(small).get("جون كيري")
    assert kerry is not None and kerry.note == "U.S. Secretary of State, 2013-2017"
    assert Glossary.load(small).get("بغداد").note == 'note with "quotes" & <angle> brackets'


def test_import_without_note_column_keeps_existing_notes(small):
    source = small.parent / "in.tsv"
    source.write_text("en\tar\ttype\tvariants\nBashar al-Assad\tبشار الأسد\tPER\t\n", encoding="utf-8")
    result = import_entries(small, source)
    assert [e.ar for e in result.unchanged] == ["بشار الأسد"]
    assert Glossary.load(small).get("بشار الأسد").note == "Reuters/AP"


def test_import_form_conflict_with_another_entry(small):
    source = small.parent / "in.csv"
    source.write_text("ar,en,type,variants\nالرئيس الأسد,President Assad,PER,بشار الأسد\n", encoding="utf-8")
    result = import_entries(small, source)
    assert not result.written
    assert result.conflicts == (
        f"{source}:2: 'بشار الأسد' means 'President Assad' here but 'Bashar al-Assad' in 'بشار الأسد' ({small} line 3)",
    )


def test_import_duplicate_inside_the_file(small):
    source = small.parent / "in.csv"
    source.write_text("ar,en,type,variants\nحمص,Homs,LOC,\nحمص,Homs,LOC,\n", encoding="utf-8")
    assert import_entries(small, source).conflicts == (f"{source}:3: duplicate entry 'حمص', first at line 2",)


def test_import_tbx_v2_ntig_and_preferred_term(small):
    entries = read_entries(DATA / "glossary_import.tbx").entries
    assert entries == (
        Entry("مولود تشاووش أوغلو", "Mevlut Cavusoglu", "PER", ("مولود جاويش أوغلو",), "Turkish foreign minister"),
        Entry("بغداد", "Baghdad", "LOC"),
    )
    assert [e.line for e in entries] == [9, 30]


def test_import_tbx_v3(small):
    assert read_entries(DATA / "glossary_import_v3.tbx").entries == (
        Entry("الاتحاد الأوروبي", "European Union", "ORG"),
    )


def test_tbx_export_is_readable_by_translate_toolkit(tmp_path):
    out = tmp_path / "house.tbx"
    export_glossary(HOUSE, out)
    store = tbx.tbxfile.parsefile(str(out))
    house = Glossary.load(HOUSE)
    assert [(unit.source, unit.target) for unit in store.units] == [(e.ar, e.en) for e in house.entries]


def test_tbx_reader_resolves_no_external_entities(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET", encoding="utf-8")
    path = tmp_path / "evil.tbx"
    path.write_text(
        f"""<?xml version="1.0"?>
<!DOCTYPE martif [<!ENTITY xxe SYSTEM "file://{secret}">]>
<martif type="TBX-Basic"><text><body><termEntry>
<descrip type="subjectField">LOC</descrip>
<langSet xml:lang="ar"><tig><term>حمص</term></tig></langSet>
<langSet xml:lang="en"><tig><term>Homs&xxe;</term></tig></langSet>
</termEntry></body></text></martif>""",
        encoding="utf-8",
    )
    entries = read_entries(path).entries
    assert "TOP-SECRET" not in entries[0].en


@pytest.mark.parametrize(
    ("name", "content", "error", "message"),
    [
        ("a.csv", "ar,en,variants\nحمص,Homs,\n", FormatError, r"a\.csv:1: expected a header with columns ar, en, type \(variants, note and short optional\)"),
        ("a.csv", "ar,en,type,variants\nحمص,Homs\n", FormatError, r"a\.csv:2: expected 4 fields \(ar, en, type, variants\), found 2"),
        ("a.csv", "ar,en,type,variants\n\nحمص,Homs,TOWN,\n", GlossaryError, r"a\.csv:3: expected type PER, ORG, LOC or MISC, found 'TOWN'"),
        ("a.csv", 'ar,en,type,variants\n"حمص,Homs,LOC,\n', FormatError, r"a\.csv:\d+: expected well-formed CSV"),
        ("a.tsv", "ar\ten\ttype\tvariants\tcolour\n", FormatError, r"a\.tsv:1: expected a header"),
        ("a.tsv", "ar\ten\ttype\tvariants\nHoms\tحمص\tLOC\t\n", GlossaryError, r"a\.tsv:2: expected Arabic in ar, found 'Homs'"),
        ("a.tbx", "<martif><text><body><termEntry>\n<langSet", FormatError, r"a\.tbx:2: expected well-formed XML \(TBX\)"),
        ("a.tbx", "<tmx version='1.4'/>", FormatError, r"a\.tbx:1: expected a TBX root element <martif> or <tbx>, found <tmx>"),
        ("a.tbx", "<martif><text><body/></text></martif>", FormatError, r"a\.tbx: expected at least one <termEntry>"),
        ("a.tbx", '<martif><text><body><termEntry>\n<langSet xml:lang="ar"><tig><term>حمص</term></tig></langSet>\n</termEntry></body></text></martif>',
         FormatError, r"a\.tbx:1: expected an Arabic and an English term in the entry, found 1 and 0"),
        ("a.tbx", '<martif><text><body><termEntry><langSet xml:lang="ar"><tig><term>حمص</term></tig></langSet>'
                  '<langSet xml:lang="en"><tig><term>Homs</term></tig></langSet></termEntry></body></text></martif>',
         FormatError, r'a\.tbx:1: expected the entity type in <descrip type="subjectField">'),
        ("a.xlsx", "", FormatError, r"a\.xlsx: cannot tell the format from the suffix '\.xlsx'; use --format"),
        ("a.csv", "", InputError, r"a\.csv: empty or whitespace-only input"),
    ],
)
def test_bad_import_files_give_one_line_errors(tmp_path, name, content, error, message):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(error, match=message) as info:
        read_entries(path)
    assert "\n" not in str(info.value)


def test_guess_format():
    assert guess_format("x.TBX") == "tbx"
    assert guess_format("x.txt", "CSV") == "csv"
    with pytest.raises(FormatError, match="expected format csv, tsv or tbx, found 'xml'"):
        guess_format("x.tbx", "xml")


def test_merge_is_pure():
    existing = [Entry("روسيا", "Russia", "LOC", line=2)]
    incoming = EntryFile(Path("in.csv"), (Entry("حمص", "Homs", "LOC", line=2),))
    result = merge_entries(existing, incoming)
    assert [e.en for e in result.entries] == ["Russia", "Homs"] and not result.written
    assert result.summary() == "1 added, 0 replaced, 0 updated, 0 unchanged, 0 conflicts"
    assert existing == [Entry("روسيا", "Russia", "LOC")]


def _snapshot(directory: Path) -> dict[str, tuple[bytes, int]]:
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in directory.iterdir()}


def test_check_writes_nothing(tmp_path):
    """``check`` only reads, even a glossary full of problems: no rewrite (the
    time stamp is kept), no lock file, no temporary file."""
    copy = tmp_path / "p.tsv"
    shutil.copy(DATA / "glossary_problems.tsv", copy)
    os.utime(copy, ns=(10**9, 10**9))
    before = _snapshot(tmp_path)
    assert len(check_glossary(copy).problems) == 12
    result = CliRunner().invoke(app, ["glossary", "check", "-g", str(copy)])
    assert result.exit_code == 1 and result.stdout.splitlines()[-1].endswith("8 entries, 12 problems")
    assert _snapshot(tmp_path) == before


# ---- the lock and symbolic links ------------------------------------------------------


def test_a_lock_that_cannot_be_taken_is_one_line(small, tmp_path):
    (tmp_path / "entities.tsv.lock").mkdir()
    before = small.read_bytes()
    source = tmp_path / "in.csv"
    source.write_text("ar,en,type,variants\nحمص,Homs,LOC,\n", encoding="utf-8")
    message = rf"^{re.escape(str(small))}\.lock: cannot take the lock \(Is a directory\)$"
    for edit in (
        lambda: add_entry(small, new_entry("حمص", "Homs", "LOC")),
        lambda: remove_entry(small, "روسيا"),
        lambda: import_entries(small, source),
    ):
        with pytest.raises(GlossaryError, match=message):
            edit()
    assert small.read_bytes() == before
    result = CliRunner().invoke(app, ["glossary", "add", "حمص", "Homs", "-t", "LOC", "-g", str(small)])
    assert_one_line_error(result, f"{small}.lock: cannot take the lock (Is a directory)")


def test_a_symlinked_glossary_is_edited_where_it_lies(small, tmp_path):
    """Edits lock and rewrite the real file: the link stays a link."""
    link_dir = tmp_path / "elsewhere"
    link_dir.mkdir()
    link = link_dir / "house.tsv"
    link.symlink_to(small)
    add_entry(link, new_entry("حمص", "Homs", "LOC"))
    assert link.is_symlink() and link.resolve() == small
    assert Glossary.load(small).get("حمص").en == "Homs"
    remove_entry(link, "روسيا")
    source = tmp_path / "in.csv"
    source.write_text("ar,en,type,variants\nحلب,Aleppo,LOC,\n", encoding="utf-8")
    import_entries(link, source)
    assert link.is_symlink()
    assert [e.en for e in Glossary.load(small).entries] == ["Bashar al-Assad", "Homs", "Aleppo"]
    assert sorted(p.name for p in link_dir.iterdir()) == ["house.tsv"]  # the lock is beside the real file


# ---- import: what a spreadsheet gives -------------------------------------------------


def test_import_drops_a_variant_that_is_the_entry_after_normalisation(small):
    """Harmless: the variant is dropped with a warning and the rest imported."""
    source = small.parent / "in.csv"
    source.write_text("ar,en,type,variants\nإيران,Iran,LOC,ايران|طهران الرسمية\nحمص,Homs,LOC,\n", encoding="utf-8")
    result = import_entries(small, source)
    assert result.written and not result.conflicts
    assert result.warnings == (
        f"{source}:2: variant 'ايران' is the same as 'إيران' after normalisation; dropped",
    )
    assert Glossary.load(small).get("إيران").variants == ("طهران الرسمية",)


def test_import_says_which_field_differs_and_update_merges(small):
    source = small.parent / "in.csv"
    source.write_text("ar,en,type,variants,note\nبشار الأسد,Bashar al-Assad,PER,الأسد,Syrian president\n", encoding="utf-8")
    result = import_entries(small, source)
    assert not result.written
    assert result.conflicts == (
        f"{source}:2: 'بشار الأسد' → 'Bashar al-Assad' differs from {small} line 3 in its variants ('الأسد', not '') "
        "and note ('Syrian president', not 'Reuters/AP'); use --update to merge or --replace to overwrite",
    )
    merged = import_entries(small, source, update=True)
    assert merged.written and [e.ar for e in merged.updated] == ["بشار الأسد"]
    entry = Glossary.load(small).get("بشار الأسد")
    assert (entry.en, entry.variants, entry.note) == ("Bashar al-Assad", ("الأسد",), "Syrian president")
    other = small.parent / "other.csv"
    other.write_text("ar,en,type,variants\nبشار الأسد,President Assad,PER,\n", encoding="utf-8")
    refused = import_entries(small, other, update=True)
    assert not refused.written and "use --replace to overwrite" in refused.conflicts[0]


def test_import_semicolon_csv_without_variants_column(small):
    """Excel in many locales saves CSV with ';'; variants may be left out."""
    source = small.parent / "in.csv"
    source.write_bytes("\ufeffar;en;type;note\r\nحمص;Homs;LOC;city, Syria\r\nروسيا;Russia;LOC;\r\n".encode("utf-8"))
    result = import_entries(small, source)
    assert result.written, result.conflicts
    assert [e.en for e in result.added] == ["Homs"] and [e.en for e in result.unchanged] == ["Russia"]
    assert Glossary.load(small).get("حمص").note == "city, Syria"


def test_import_into_an_existing_empty_file(tmp_path):
    target = tmp_path / "new.tsv"
    target.write_text("", encoding="utf-8")
    result = import_entries(target, DATA / "glossary_import.csv")
    assert result.written and len(Glossary.load(target)) == 4


def test_csv_export_has_a_bom_for_excel_unless_asked_not_to(tmp_path):
    out = tmp_path / "house.csv"
    export_glossary(HOUSE, out)
    assert out.read_bytes().startswith(b"\xef\xbb\xbfar,en,type,variants,note\n")
    export_glossary(HOUSE, out, bom=False)
    assert out.read_bytes().startswith(b"ar,en,type")
    assert read_entries(out).entries == Glossary.load(HOUSE).entries


def test_check_flags_english_forms_that_are_near_duplicates(tmp_path):
    path = tmp_path / "g.tsv"
    path.write_text(
        GLOSSARY_HEADER
        + "بوتين\tVladimir Putin\tPER\t\t\nفلاديمير بوتين\tWladimir Putin\tPER\t\t\n"
        + "بشار الأسد\tBashar al-Assad\tPER\t\t\nحافظ الأسد\tHafez al-Assad\tPER\t\t\n",
        encoding="utf-8",
    )
    report = check_glossary(path)
    assert [(p.line, p.kind) for p in report.problems] == [(3, NEAR_DUPLICATE)]
    assert report.lines() == [
        f"{path}:3: English 'Wladimir Putin' is nearly 'Vladimir Putin' (line 2): one spelling for one entity? [near-duplicate]"
    ]
