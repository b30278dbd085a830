"""``mt export`` and the start-up errors of ``mt review``."""

from __future__ import annotations

import socket

import pytest
from typer.testing import CliRunner

from cli import app
from mt.formats import read_json, read_tmx, write_json
from mt.review import approve, edit, reject
from mt.types import Pair, PairDocument

from ..conftest import assert_one_line_error

runner = CliRunner()


@pytest.fixture()
def reviewed(tmp_path):
    """A pairs JSON with one approved, one rejected, one edited and one untouched pair."""
    doc = PairDocument(
        {"doc": "news", "source_file": "news.txt", "kind": "translation"},
        (
            Pair("0", "قال الرئيس", "The president said", 0, 10),
            Pair("1", "خبر قديم", "old news", 11, 19),
            Pair("2", "مرحبا & <وداعا>", "hello & <bye>", 20, 35),
            Pair("3", "سطر", "line", 36, 39),
        ),
    )
    doc = edit(reject(approve(doc, "0"), "1"), "2", target="Hello & <goodbye>")
    path = tmp_path / "news.json"
    write_json(doc, path)
    return path


def test_export_leaves_out_rejected_pairs_and_applies_edits(reviewed, tmp_path):
    out = tmp_path / "news.tmx"
    result = runner.invoke(app, ["export", str(reviewed), "--tmx", str(out)])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == f"wrote 3 pairs to {out} (left out: 1 rejected, 0 not approved)"
    tmx = read_tmx(out)
    assert [p.id for p in tmx.pairs] == ["0", "2", "3"]
    edited = tmx.pairs[1]
    assert (edited.target, edited.original_target) == ("Hello & <goodbye>", "hello & <bye>")
    assert [p.status for p in tmx.pairs] == ["approved", "unreviewed", "unreviewed"]
    assert "review" not in tmx.meta  # the undo record stays in the JSON
    assert "review" in read_json(reviewed).meta
    assert b"<goodbye>" not in out.read_bytes()  # escaped by the writer


def test_export_leaves_out_pairs_that_make_no_translation_unit(tmp_path):
    """A 0-1 pair (empty Arabic) and an English caption copied as the Arabic
    side make no TMX unit: left out and counted; --all-units keeps them."""
    doc = PairDocument(
        {"doc": "news", "source_file": "news.txt", "kind": "alignment"},
        (
            Pair("0", "قال الرئيس", "The president said", 0, 10),
            Pair("1", "", "An added sentence.", type="0-1"),
            Pair("2", ".Damascus airport on September 30, 2014", ".Damascus airport on September 30, 2014", 11, 50),
        ),
    )
    path = tmp_path / "news.json"
    write_json(doc, path)
    out = tmp_path / "news.tmx"
    result = runner.invoke(app, ["export", str(path), "--tmx", str(out)])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == (
        f"wrote 1 pairs to {out} (left out: 0 rejected, 0 not approved, 1 with an empty side, 1 without Arabic text)"
    )
    assert [p.id for p in read_tmx(out).pairs] == ["0"]
    result = runner.invoke(app, ["export", str(path), "--tmx", str(out), "--all-units"])
    assert result.exit_code == 0 and [p.id for p in read_tmx(out).pairs] == ["0", "1", "2"]


def test_export_approved_only(reviewed, tmp_path):
    out = tmp_path / "approved.tmx"
    result = runner.invoke(app, ["export", str(reviewed), "--tmx", str(out), "--approved-only"])
    assert result.exit_code == 0, result.output
    assert "wrote 1 pairs" in result.stdout and "1 rejected, 2 not approved" in result.stdout
    assert [p.id for p in read_tmx(out).pairs] == ["0"]


def test_export_with_nothing_approved(tmp_path):
    path = tmp_path / "fresh.json"
    write_json(PairDocument({"doc": "fresh"}, (Pair("0", "أ", "a"),)), path)
    out = tmp_path / "out.tmx"
    result = runner.invoke(app, ["export", str(path), "--tmx", str(out), "--approved-only"])
    assert_one_line_error(result, "no approved pairs to export")
    assert "drop --approved-only" in result.stderr
    assert not out.exists()


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["export", "{tmp}/missing.json", "--tmx", "{tmp}/out.tmx"], "missing.json: no such file"),
        (["export", "{tmp}/broken.json", "--tmx", "{tmp}/out.tmx"], "broken.json: not valid JSON"),
        (["export", "{file}", "--tmx", "{tmp}/no/such/dir/out.tmx"], "output directory does not exist"),
        (["export", "{file}", "--tmx", "{file}"], "is the input file"),
    ],
    ids=["missing input", "broken input", "missing output directory", "output over input"],
)
def test_export_errors_are_one_line(reviewed, tmp_path, args, fragment):
    (tmp_path / "broken.json").write_text('{"pairs": [', encoding="utf-8")
    before = reviewed.read_bytes()
    result = runner.invoke(app, [a.format(tmp=tmp_path, file=reviewed) for a in args])
    assert_one_line_error(result, fragment)
    assert reviewed.read_bytes() == before


def test_export_needs_tmx_option(reviewed):
    result = runner.invoke(app, ["export", str(reviewed)])
    assert_one_line_error(result, "--tmx", code=2)


def test_review_missing_file(tmp_path):
    assert_one_line_error(runner.invoke(app, ["review", str(tmp_path / "nope.json")]), "nope.json: no such file")


def test_review_malformed_file(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text('{"pairs": [{"id": "0"}]}', encoding="utf-8")
    assert_one_line_error(runner.invoke(app, ["review", str(path)]), "bad.json: pair 0: missing key 'source'")


def test_review_busy_port(reviewed):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = runner.invoke(app, ["review", str(reviewed), "--port", str(port)])
    assert_one_line_error(result, f"cannot listen on 127.0.0.1:{port}")


def test_review_port_out_of_range(reviewed):
    result = runner.invoke(app, ["review", str(reviewed), "--port", "70000"])
    assert_one_line_error(result, "--port", code=2)


def test_xliff_round_trip_through_a_cat_tool(reviewed, tmp_path):
    """Export, edit and approve with translate-toolkit (as a CAT tool would),
    import, and compare; a second import of the same XLIFF is stale."""
    from translate.storage import xliff

    out = tmp_path / "news.xlf"
    result = runner.invoke(app, ["export", str(reviewed), "--xliff", str(out)])
    assert result.exit_code == 0, result.output
    assert b'version="1.2"' in out.read_bytes() and b"urn:oasis:names:tc:xliff:document:1.2" in out.read_bytes()
    store = xliff.xlifffile.parsefile(str(out))
    units = {u.xmlelement.get("id"): u for u in store.getunits()}
    assert set(units) == {"0", "2", "3"}  # the rejected pair is left out
    assert units["0"].isapproved() and not units["3"].isapproved()
    assert (units["2"].source, units["2"].target) == ("مرحبا & <وداعا>", "Hello & <goodbye>")
    units["3"].target = "a line"
    units["3"].markapproved(True)
    store.savefile(str(out))

    result = runner.invoke(app, ["import-review", str(out), str(reviewed)])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == f"{reviewed}: 1 edited, 1 approved (0 units without a pair)"
    pairs = {p.id: p for p in read_json(reviewed).pairs}
    assert (pairs["3"].target, pairs["3"].original_target, pairs["3"].status) == ("a line", "line", "approved")
    assert pairs["1"].status == "rejected" and pairs["2"].target == "Hello & <goodbye>"
    again = runner.invoke(app, ["import-review", str(out), str(reviewed)])
    assert_one_line_error(again, "has changed since")


def test_export_needs_one_of_tmx_and_xliff(reviewed):
    assert_one_line_error(runner.invoke(app, ["export", str(reviewed)]), "give one of --tmx and --xliff", code=2)


def test_open_without_a_browser_says_where_the_page_is(reviewed, monkeypatch):
    """``mt review --open`` on a machine without a browser printed nothing."""
    import webbrowser

    from mt.review import ReviewServer

    def stop(self):
        raise KeyboardInterrupt

    monkeypatch.setattr(webbrowser, "open", lambda url: False)
    monkeypatch.setattr(ReviewServer, "serve_forever", stop)
    result = runner.invoke(app, ["review", str(reviewed), "--port", "0", "--open"])
    assert result.exit_code == 0, result.output
    url = result.stdout.split(" at ")[1].split()[0].rstrip(";")
    assert f"warning: no web browser found here; open {url} in one" in result.stderr


def test_version():
    from mt import __version__

    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and result.stdout == f"mt {__version__}\n"
