"""``mt glossary …``: exit codes and one-line messages."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli import app
from mt.glossary import Glossary

from ..conftest import DATA, GLOSSARY_HEADER, HOUSE, assert_one_line_error

runner = CliRunner()


@pytest.fixture
def gpath(tmp_path) -> Path:
    path = tmp_path / "entities.tsv"
    path.write_text(GLOSSARY_HEADER + "روسيا\tRussia\tLOC\t\t\n", encoding="utf-8")
    return path


def run(*args: str):
    return runner.invoke(app, ["glossary", *args])


def test_list_tsv_and_type_filter():
    result = run("list", "--tsv", "--type", "per", "-g", str(HOUSE))
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "ar\ten\ttype\tvariants\tnote"
    assert all(line.split("\t")[2] == "PER" for line in lines[1:])
    assert "بشار الأسد\tBashar al-Assad\tPER\t\tReuters/AP" in lines


def test_list_table():
    result = run("list", "-g", str(HOUSE), "--type", "LOC")
    assert result.exit_code == 0, result.output
    assert "Aleppo" in result.stdout and "Bashar" not in result.stdout


def test_list_bad_type():
    result = run("list", "-g", str(HOUSE), "--type", "CITY")
    line = assert_one_line_error(result, "expected type PER, ORG, LOC or MISC, found 'CITY'", code=2)
    assert line.startswith("error: Invalid value for '--type'")


def test_list_table_shows_entries_as_text_not_markup(tmp_path, monkeypatch):
    """Brackets in entries are data: "[/b]" must not break the table, "[bold]" must stay."""
    monkeypatch.chdir(tmp_path)
    Path("[house].tsv").write_text(GLOSSARY_HEADER + "حلب\t[bold]Aleppo\tLOC\t\tsee [/b] and [link=x]\n", encoding="utf-8")
    result = run("list", "-g", "[house].tsv")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "[bold]Aleppo" in out and "[/b]" in out and "[link=x]" in out
    assert "[house].tsv: 1 entries" in out


def test_add_remove(gpath):
    result = run("add", "حمص", "Homs", "--type", "LOC", "--variants", "حمص العدية", "--note", "Syria", "-g", str(gpath))
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == f"{gpath}: added حمص → Homs (LOC)"
    assert Glossary.load(gpath).get("حمص").variants == ("حمص العدية",)
    result = run("add", "حمص", "Hims", "--type", "LOC", "-g", str(gpath))
    line = assert_one_line_error(result, "already in the glossary")
    assert line == f"error: {gpath}:3: 'حمص' is already in the glossary ('Homs'); use --replace to overwrite it"
    result = run("add", "حمص", "Hims", "--type", "LOC", "--replace", "-g", str(gpath))
    assert result.exit_code == 0 and "replaced حمص → Homs with حمص → Hims" in result.stdout
    result = run("remove", "حمص", "-g", str(gpath))
    assert result.exit_code == 0 and result.stdout.strip() == f"{gpath}: removed حمص → Hims"
    result = run("remove", "حمص", "-g", str(gpath))
    assert assert_one_line_error(result, "no entry") == f"error: {gpath}: no entry 'حمص'"


def test_add_needs_a_type(gpath):
    result = run("add", "حمص", "Homs", "-g", str(gpath))
    assert_one_line_error(result, "--type", code=2)  # a usage error


def test_check_ok_and_problems():
    result = run("check", "-g", str(HOUSE))
    assert result.exit_code == 0, result.output
    assert result.stdout.strip().endswith("entries, 0 problems")
    result = run("check", "-g", str(DATA / "glossary_problems.tsv"))
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[-1].endswith("glossary_problems.tsv: 8 entries, 12 problems")
    assert lines[0].endswith("glossary_problems.tsv:3: expected 5 tab-separated fields (ar, en, type, variants, note), found 3 [malformed]")


def test_check_missing_file(tmp_path):
    result = run("check", "-g", str(tmp_path / "nope.tsv"))
    assert assert_one_line_error(result, "nope.tsv").endswith("nope.tsv: no such glossary file")


@pytest.mark.parametrize("suffix", ["csv", "tsv", "tbx"])
def test_export_then_import(tmp_path, suffix):
    out = tmp_path / f"house.{suffix}"
    result = run("export", str(out), "-g", str(HOUSE))
    assert result.exit_code == 0, result.output
    count = len(Glossary.load(HOUSE))
    assert result.stdout.strip() == f"{out}: {count} entries"
    target = tmp_path / "new.tsv"
    result = run("import", str(out), "-g", str(target))
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == f"{target}: {count} added, 0 replaced, 0 updated, 0 unchanged, 0 conflicts"
    assert target.read_bytes() == HOUSE.read_bytes()


def test_export_format_option(tmp_path):
    out = tmp_path / "house.xml"
    assert run("export", str(out), "-g", str(HOUSE)).exit_code == 1
    result = run("export", str(out), "--format", "tbx", "-g", str(HOUSE))
    assert result.exit_code == 0 and out.read_bytes().startswith(b"<?xml")


def test_import_conflicts_exit_1_and_write_nothing(gpath, tmp_path):
    source = tmp_path / "in.csv"
    source.write_text("ar,en,type,variants\nروسيا,Russian Federation,LOC,\nحمص,Homs,LOC,\n", encoding="utf-8")
    before = gpath.read_bytes()
    result = run("import", str(source), "-g", str(gpath))
    assert_one_line_error(result, f"{source}: 1 conflict with {gpath}; nothing written")
    assert result.stdout.splitlines() == [
        f"{source}:2: 'روسيا' → 'Russian Federation' conflicts with 'روسيا' → 'Russia' ({gpath} line 2); use --replace to overwrite",
    ]
    assert gpath.read_bytes() == before
    result = run("import", str(source), "--replace", "-g", str(gpath))
    assert result.exit_code == 0
    assert result.stdout.strip() == f"{gpath}: 1 added, 1 replaced, 0 updated, 0 unchanged, 0 conflicts"


def test_import_bad_file_one_line(gpath, tmp_path):
    source = tmp_path / "in.tbx"
    source.write_text("<martif><text>", encoding="utf-8")
    result = run("import", str(source), "-g", str(gpath))
    assert_one_line_error(result, f"{source}:1: expected well-formed XML (TBX)")


def test_import_warns_about_a_dropped_variant_and_goes_on(gpath, tmp_path):
    source = tmp_path / "in.csv"
    source.write_text("ar,en,type,variants\nإيران,Iran,LOC,ايران\n", encoding="utf-8")
    result = run("import", str(source), "-g", str(gpath))
    assert result.exit_code == 0, result.output
    assert result.stderr.strip() == f"warning: {source}:2: variant 'ايران' is the same as 'إيران' after normalisation; dropped"
    assert result.stdout.strip().endswith("1 added, 0 replaced, 0 updated, 0 unchanged, 0 conflicts")


def test_import_update_and_export_no_bom(gpath, tmp_path):
    source = tmp_path / "in.csv"
    source.write_text("ar,en,type,variants,note\nروسيا,Russia,LOC,,Russian Federation\n", encoding="utf-8")
    refused = run("import", str(source), "-g", str(gpath))
    assert refused.exit_code == 1 and "in its note" in refused.stdout and "--update" in refused.stdout
    result = run("import", str(source), "--update", "-g", str(gpath))
    assert result.exit_code == 0 and "1 updated" in result.stdout
    out = tmp_path / "g.csv"
    assert run("export", str(out), "--no-bom", "-g", str(gpath)).exit_code == 0
    assert out.read_bytes().startswith(b"ar,en")
