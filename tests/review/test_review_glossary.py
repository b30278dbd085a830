"""Add to the glossary from the review page (``POST /api/glossary``): the
locked glossary write of ``mt glossary add``, the new terms in the pairs,
refusals that leave both files as they were, and how the page marks short
forms and ambiguous terms."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli import app
from mt.formats import read_json, write_json
from mt.glossary import Entry, Glossary, format_glossary
from mt.review.additions import add_new_terms, review_glossary
from mt.review.server import ReviewServer
from mt.review.view import source_spans
from mt.types import Pair, PairDocument, TermHit

from ..conftest import assert_one_line_error
from .test_review_server import request

ARTICLE = "قال الأسد إن الحرب ستنتهي. وأكد علي شمخاني ذلك. ثم غادر شمخاني دمشق."
SENTENCES = [("قال الأسد إن الحرب ستنتهي.", "Assad said the war would end."),
             ("وأكد علي شمخاني ذلك.", "Ali Shamkhani confirmed it."),
             ("ثم غادر شمخاني دمشق.", "Then Shamkani left Damascus.")]


def _document() -> PairDocument:
    pairs, start = [], 0
    for number, (ar, en) in enumerate(SENTENCES):
        start = ARTICLE.index(ar, start)
        terms = (TermHit("الأسد", 4, 9, "Assad", "الأسد"),) if number == 0 else ()
        pairs.append(Pair(str(number), ar, en, start, start + len(ar), terms))
    return PairDocument({"doc": "doc", "source_file": "doc.txt", "kind": "translation"}, tuple(pairs))


@pytest.fixture()
def files(tmp_path) -> tuple[Path, Path]:
    pairs = tmp_path / "doc.json"
    write_json(_document(), pairs)
    glossary = tmp_path / "g.tsv"
    glossary.write_text(format_glossary([Entry("الأسد", "Assad", "PER"), Entry("دمشق", "Damascus", "LOC")]), encoding="utf-8")
    return pairs, glossary


@pytest.fixture()
def server(files):
    pairs, glossary = files
    with ReviewServer(pairs, glossary=glossary) as running:
        yield running


def add(server, **body):
    return request(server, "POST", "/api/glossary", {"version": 0, **body})


def test_an_added_name_is_in_the_glossary_and_marked_in_the_pairs(server, files):
    pairs, glossary = files
    status, _, state = add(server, ar="علي شمخاني", en="Ali Shamkhani", type="per", id="1")
    assert status == 200, state
    assert Glossary.load(glossary).get("علي شمخاني") == Entry("علي شمخاني", "Ali Shamkhani", "PER")
    assert state["message"] == f"added علي شمخاني → Ali Shamkhani (PER) to {glossary}; marked in 2 places of this file"
    assert state["version"] == 1 and state["glossary"] == str(glossary)
    document = read_json(pairs)
    full = document.pairs[1].terms
    assert [(t.source, t.en, t.entry, t.status, t.via) for t in full] == [
        ("علي شمخاني", "Ali Shamkhani", "علي شمخاني", "produced", None)
    ]
    assert ARTICLE[full[0].start : full[0].end] == "علي شمخاني"
    # the short form after it, whose English the translation misspelt: flagged
    [short] = document.pairs[2].terms
    assert (short.source, short.en, short.status, short.via) == ("شمخاني", "Shamkhani", "missing", "علي شمخاني")
    assert state["pairs"][2]["highlights"]["source"] == [[8, 14, "missing", "Shamkhani", "شمخاني", {"via": "علي شمخاني"}]]
    assert [f["code"] for f in state["pairs"][2]["flags"]] == ["missing-term"]
    assert document.pairs[0].terms == _document().pairs[0].terms  # terms there already are left alone


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"ar": "الأسد", "en": "al-Assad", "type": "PER"}, "'الأسد' is already in the glossary ('Assad', "),
        ({"ar": "الاسد", "en": "Assad", "type": "PER"}, "'الأسد' is already in the glossary"),  # the same after normalisation
        ({"ar": "بشار الأسد", "en": "Bashar al-Assad", "type": "LOCATION?"}, "expected type PER, ORG, LOC or MISC"),
        ({"ar": "بشار الأسد", "en": " ", "type": "PER"}, "expected a non-empty en"),
        ({"ar": "Assad", "en": "Assad", "type": "PER"}, "expected Arabic in ar"),
    ],
)
def test_a_conflicting_or_bad_entry_is_refused_and_nothing_changes(server, files, body, message):
    pairs, glossary = files
    before = pairs.read_bytes(), glossary.read_bytes()
    status, _, answer = add(server, **body)
    assert status == 422 and message in answer["error"], answer
    assert (pairs.read_bytes(), glossary.read_bytes()) == before


def test_a_stale_page_or_a_bad_request_is_refused(server, files):
    pairs, glossary = files
    before = pairs.read_bytes(), glossary.read_bytes()
    assert add(server, ar="علي شمخاني", en="Ali Shamkhani", type="PER", version=3)[0] == 409
    assert add(server, ar="علي شمخاني", en="Ali Shamkhani")[0] == 400  # no type
    assert add(server, ar="علي شمخاني", en="Ali Shamkhani", type="PER", note="x")[0] == 400
    assert (pairs.read_bytes(), glossary.read_bytes()) == before


def test_without_a_glossary_adding_says_how_to_give_one(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no glossary/entities.tsv here
    pairs = tmp_path / "doc.json"
    write_json(_document(), pairs)
    with ReviewServer(pairs) as running:
        assert running.glossary is None
        status, _, answer = add(running, ar="علي شمخاني", en="Ali Shamkhani", type="PER")
    assert status == 422 and answer["error"] == "no glossary to add to: start mt review with --glossary FILE"


def test_the_glossary_defaults_to_the_one_the_json_was_translated_with(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    used = tmp_path / "used.tsv"
    assert review_glossary({"glossary": {"path": str(used)}}) is None  # recorded, but not there
    used.write_text(format_glossary([Entry("دمشق", "Damascus", "LOC")]), encoding="utf-8")
    assert review_glossary({"glossary": {"path": str(used)}}) == used
    assert review_glossary({"glossary": {"path": str(used)}}, tmp_path / "given.tsv") == tmp_path / "given.tsv"
    (tmp_path / "glossary").mkdir()
    (tmp_path / "glossary" / "entities.tsv").write_text(format_glossary([]), encoding="utf-8")
    assert review_glossary({}) == Path("glossary") / "entities.tsv"


def test_new_terms_never_overlap_terms_already_there():
    document = _document()
    glossary = Glossary([Entry("قال الأسد", "Assad said", "MISC"), Entry("الأسد", "Assad", "PER")])
    changed, count = add_new_terms(document, glossary, glossary.get("قال الأسد"))
    assert count == 0 and changed.pairs == document.pairs


def test_ambiguous_terms_and_short_forms_are_marked_for_the_page():
    plain = TermHit("الأسد", 4, 9, "Assad", "الأسد")
    pair = Pair("0", "قال الأسد", "Assad said", 0, 9, (dataclasses.replace(plain),))
    assert source_spans(pair) == [(4, 9, "produced", "Assad", "الأسد")]  # absent = not ambiguous
    marked = dataclasses.replace(pair, terms=(dataclasses.replace(plain, ambiguous=True),))
    assert source_spans(marked) == [(4, 9, "produced", "Assad", "الأسد", {"ambiguous": True})]
    short = dataclasses.replace(pair, terms=(dataclasses.replace(plain, via="بشار الأسد"),))
    assert source_spans(short) == [(4, 9, "produced", "Assad", "الأسد", {"via": "بشار الأسد"})]


def test_mt_review_refuses_a_bad_glossary_at_start_up(files, tmp_path):
    pairs, _ = files
    bad = tmp_path / "bad.tsv"
    bad.write_text("ar\ten\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["review", str(pairs), "--glossary", str(bad), "--port", "0"])
    assert_one_line_error(result, "bad.tsv:1: expected the header")


def test_a_file_translated_without_short_forms_gets_none_from_the_page():
    document = _document()
    document = PairDocument({**document.meta, "short_forms": False}, document.pairs)
    glossary = Glossary([Entry("علي شمخاني", "Ali Shamkhani", "PER")])
    changed, count = add_new_terms(document, glossary, glossary.get("علي شمخاني"))
    assert count == 1 and changed.pairs[2].terms == ()
    assert add_new_terms(_document(), glossary, glossary.get("علي شمخاني"))[1] == 2


def test_a_file_without_terms_shows_the_terms_of_the_glossary_it_is_reviewed_with(files, tmp_path):
    """Issue 33: a file of ``mt align --glossary`` records no terms, so the
    page marked none and flagged no missing one.  The page finds them from
    its glossary; the file is not changed by looking."""
    pairs, glossary = files
    aligned = tmp_path / "aligned.json"
    document = _document()
    bare = dataclasses.replace(document, meta={**document.meta, "kind": "alignment"},
                               pairs=tuple(dataclasses.replace(p, terms=()) for p in document.pairs))
    write_json(bare, aligned)
    before = aligned.read_bytes()
    with ReviewServer(aligned, glossary=glossary) as running:
        status, _, state = request(running, "GET", "/api/doc")
    assert status == 200
    marked = {(p["id"], t["en"], t["status"]) for p in state["pairs"] for t in p["terms"]}
    expected = {(p.id, "Assad", "produced" if "Assad" in p.target else "missing") for p in document.pairs if "الأسد" in p.source}
    expected |= {(p.id, "Damascus", "produced" if "Damascus" in p.target else "missing") for p in document.pairs if "دمشق" in p.source}
    assert marked == expected and marked
    assert aligned.read_bytes() == before


def test_a_broken_glossary_does_not_stop_a_file_of_mt_align_being_reviewed(files, tmp_path):
    """The page marks its glossary's terms in such a file; a glossary that
    cannot be read then leaves them unmarked, and every action still saves
    and answers (a second read found the page refused to load)."""
    pairs, glossary = files
    aligned = tmp_path / "aligned.json"
    document = _document()
    write_json(dataclasses.replace(document, meta={**document.meta, "kind": "alignment"}), aligned)
    with ReviewServer(aligned, glossary=glossary) as running:
        glossary.write_bytes(b"\x00 not a glossary")
        status, _, state = request(running, "GET", "/api/doc")
        assert status == 200 and len(state["pairs"]) == len(document.pairs)
        status, _, state = request(running, "POST", "/api/action", {"action": "approve", "id": "1", "version": 0})
        assert status == 200 and state["version"] == 1
    assert read_json(aligned).pairs[1].status == "approved"
