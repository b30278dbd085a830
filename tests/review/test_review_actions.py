"""The pure review actions: approve, reject, edit, split, merge, undo, and request parsing."""

from __future__ import annotations

from dataclasses import replace

import pytest

from mt.formats import read_json, write_json
from mt.review.actions import (
    UNDO_LIMIT,
    Action,
    ActionError,
    InvalidRequest,
    StaleVersion,
    UnknownPair,
    apply_action,
    approve,
    edit,
    last_undoable,
    merge,
    parse_action,
    reject,
    review_version,
    split,
    undo,
    undo_entries,
)
from mt.types import HistoryItem, Pair, PairDocument, TermHit

AT = "2026-11-28T10:00:00Z"
ARTICLE = "قال بشار الأسد إن الحرب انتهت. وأضاف أن روسيا حليف.\nسطر ثالث"


def _doc() -> PairDocument:
    s0 = "قال بشار الأسد إن الحرب انتهت."
    s1 = "وأضاف أن روسيا حليف."
    a1 = ARTICLE.index(s1)
    a2 = ARTICLE.index("سطر")
    return PairDocument(
        meta={"doc": "t", "source_file": "t.txt"},
        pairs=(
            Pair(
                "0",
                s0,
                "Bashar al-Assad said the war was over.",
                0,
                len(s0),
                terms=(TermHit("بشار الأسد", 4, 14, "Bashar al-Assad", "بشار الأسد", "forced"),),
                source_ids=(0,),
                target_ids=(0,),
                confidence=0.9,
                type="1-1",
            ),
            Pair(
                "1",
                s1,
                "He added that Russia is an ally.",
                a1,
                a1 + len(s1),
                terms=(TermHit("روسيا", a1 + 9, a1 + 14, "Russia", "روسيا"),),
                source_ids=(1,),
                target_ids=(1,),
            ),
            Pair("2", "سطر ثالث", "third line", a2, a2 + 8, source_ids=(2,), target_ids=(2,)),
        ),
    )


def test_fixture_offsets_index_the_article():
    for pair in _doc().pairs:
        assert ARTICLE[pair.source_start : pair.source_end] == pair.source
        for term in pair.terms:
            assert ARTICLE[term.start : term.end] == term.source


# ---- approve, reject ------------------------------------------------------


def test_approve_sets_status_history_version_and_undo():
    doc = _doc()
    done = approve(doc, "1", at=AT)
    assert done.pairs[1].status == "approved"
    assert done.pairs[1].history == (HistoryItem("approve", AT, "unreviewed", "approved"),)
    assert done.pairs[0] == doc.pairs[0] and done.pairs[2] == doc.pairs[2]
    assert review_version(doc) == 0 and review_version(done) == 1
    assert last_undoable(done) == "approve"
    assert doc.pairs[1].status == "unreviewed"  # the input is untouched


def test_approve_twice_changes_nothing():
    once = approve(_doc(), "0", at=AT)
    assert approve(once, "0", at=AT) is once


def test_reject_then_approve():
    doc = approve(reject(_doc(), "2", at=AT), "2", at=AT)
    assert doc.pairs[2].status == "approved"
    assert [h.action for h in doc.pairs[2].history] == ["reject", "approve"]
    assert review_version(doc) == 2


def test_unknown_pair():
    with pytest.raises(UnknownPair, match="no pair with id '9'"):
        approve(_doc(), "9")


# ---- edit ----------------------------------------------------------------


def test_edit_keeps_the_machine_text_once():
    doc = edit(_doc(), "0", target="  Bashar al-Assad said the war had ended. ", at=AT)
    pair = doc.pairs[0]
    assert pair.target == "Bashar al-Assad said the war had ended."
    assert pair.original_target == "Bashar al-Assad said the war was over."
    assert pair.original_source is None and pair.edited
    assert pair.history[-1] == HistoryItem("edit_target", AT, "Bashar al-Assad said the war was over.", pair.target)
    again = edit(doc, "0", target="Assad said the war had ended.", at=AT)
    assert again.pairs[0].original_target == "Bashar al-Assad said the war was over."


def test_edit_of_the_english_checks_the_terms_again():
    doc = edit(_doc(), "0", target="Assad said the war had ended.", at=AT)
    assert [t.status for t in doc.pairs[0].terms] == ["missing"]
    doc = edit(doc, "0", target="Bashar al-Assad said it had ended.", at=AT)
    assert [t.status for t in doc.pairs[0].terms] == ["produced"]
    kept = edit(_doc(), "0", target="Bashar al-Assad said so.", at=AT)
    assert [t.status for t in kept.pairs[0].terms] == ["forced"]
    assert undo(edit(_doc(), "0", target="Assad said so.", at=AT)).pairs == _doc().pairs


@pytest.mark.parametrize("side", ["source", "target"])
def test_edit_cannot_empty_a_side(side):
    with pytest.raises(InvalidRequest, match="cannot empty the .* side; reject the pair instead"):
        edit(_doc(), "0", **{side: "  "})


def test_edit_back_to_the_machine_text_is_no_longer_an_edit():
    doc = edit(_doc(), "0", target="changed", at=AT)
    back = edit(doc, "0", target="Bashar al-Assad said the war was over.", at=AT)
    assert back.pairs[0].original_target is None and not back.pairs[0].edited


def test_edit_both_sides_is_one_undo_step():
    doc = edit(_doc(), "1", source="وأضاف أن روسيا حليفة.", target="He added Russia was an ally.", at=AT)
    assert doc.pairs[1].original_source == "وأضاف أن روسيا حليف."
    assert [h.action for h in doc.pairs[1].history] == ["edit_source", "edit_target"]
    assert undo(doc).pairs == _doc().pairs


def test_edit_to_the_same_text_changes_nothing():
    doc = _doc()
    assert edit(doc, "0", target=doc.pairs[0].target + "\n") is doc


def test_edit_needs_a_side():
    with pytest.raises(InvalidRequest):
        edit(_doc(), "0")


# ---- split ---------------------------------------------------------------


def test_split_carries_offsets_and_terms():
    doc = _doc()
    pair = doc.pairs[0]
    cut_ar = pair.source.index("إن")
    cut_en = pair.target.index("the war")
    done = split(doc, "0", cut_ar, cut_en, at=AT)
    first, second = done.pairs[0], done.pairs[1]
    assert [p.id for p in done.pairs] == ["0.1", "0.2", "1", "2"]
    assert first.source == "قال بشار الأسد" and second.source == "إن الحرب انتهت."
    assert first.target == "Bashar al-Assad said" and second.target == "the war was over."
    for part in (first, second):
        assert ARTICLE[part.source_start : part.source_end] == part.source
        assert part.status == "unreviewed" and part.confidence is None and part.type is None
        assert part.source_ids == (0,)
    assert first.terms == pair.terms and second.terms == ()
    assert first.history[-1] == HistoryItem("split", AT, "0", "0.1")
    assert undo(done).pairs == doc.pairs


def test_split_of_an_edited_source_drops_offsets_and_places_terms_by_text():
    doc = edit(_doc(), "0", source="قال الرئيس بشار الأسد إن الحرب انتهت.", at=AT)
    source = doc.pairs[0].source
    done = split(doc, "0", source.index("إن"), 10, at=AT)
    first, second = done.pairs[0], done.pairs[1]
    assert first.source_start is None and second.source_end is None
    assert first.terms == doc.pairs[0].terms and second.terms == ()
    # the machine text cannot be cut where the edit is: all of it in the first part
    assert (first.original_source, second.original_source) == (_doc().pairs[0].source, "")
    # merged again, the machine text is there once (it was there twice)
    assert merge(done, first.id, at=AT).pairs[0].original_source == _doc().pairs[0].source


def test_split_ids_avoid_existing_ones():
    doc = _doc()
    doc = PairDocument(doc.meta, doc.pairs + (Pair("0.2", "س", "x"),))
    done = split(doc, "0", 4, 4, at=AT)
    assert [p.id for p in done.pairs][:2] == ["0.3", "0.4"]


@pytest.mark.parametrize(
    ("source_offset", "target_offset", "message"),
    [
        (0, 0, "leaves an empty pair"),
        (999, 3, "outside the source text"),
        (3, 999, "outside the target text"),
    ],
    ids=["at the start", "past the Arabic", "past the English"],
)
def test_split_refusals(source_offset, target_offset, message):
    with pytest.raises(ActionError, match=message):
        split(_doc(), "0", source_offset, target_offset)


def test_split_may_leave_one_side_empty():
    done = split(_doc(), "2", 3, len("third line"), at=AT)
    assert (done.pairs[2].source, done.pairs[2].target) == ("سطر", "third line")
    assert (done.pairs[3].source, done.pairs[3].target) == ("ثالث", "")


@pytest.mark.parametrize(
    ("cut", "first_terms", "second_terms"),
    [
        ("قال ", 0, 1),  # at the term's start (after the space): the term is whole in the second part
        ("قال", 0, 1),  # before the space
        ("قال بشا", 0, 0),  # inside "بشار"
        ("قال بشار", 0, 0),  # between the term's two words
        ("قال بشار ", 0, 0),
        ("قال بشار الأس", 0, 0),  # inside "الأسد"
        ("قال بشار الأسد", 1, 0),  # right at its end
        ("قال بشار الأسد إن", 1, 0),
    ],
    ids=lambda v: repr(v) if isinstance(v, str) else None,
)
def test_split_drops_a_term_it_cuts_through(cut, first_terms, second_terms):
    doc = _doc()
    term = doc.pairs[0].terms[0]
    assert doc.pairs[0].source.startswith(cut)
    done = split(doc, "0", len(cut), 10, at=AT)
    first, second = done.pairs[0], done.pairs[1]
    assert (first.terms, second.terms) == ((term,) * first_terms, (term,) * second_terms)
    for part in (first, second):
        assert ARTICLE[part.source_start : part.source_end] == part.source
        for hit in part.terms:  # terms keep their article offsets, inside their part
            assert part.source_start <= hit.start and hit.end <= part.source_end
            assert ARTICLE[hit.start : hit.end] == hit.source
    assert undo(done).pairs == doc.pairs


def test_split_at_every_offset_keeps_offsets_exact_and_terms_whole():
    article = "عنوان\n\nقال  بشار الأسد\u00a0 في\tدمشق   إن روسيا  حليف .\nآخر"
    source = "قال  بشار الأسد\u00a0 في\tدمشق   إن روسيا  حليف ."
    start = article.index(source)
    terms = tuple(
        TermHit(text, start + source.index(text), start + source.index(text) + len(text), en, text)
        for text, en in (("بشار الأسد", "Bashar al-Assad"), ("دمشق", "Damascus"), ("روسيا", "Russia"))
    )
    doc = PairDocument({}, (Pair("7", source, "Bashar al-Assad said in Damascus", start, start + len(source), terms),))
    for offset in range(len(source) + 1):
        try:
            done = split(doc, "7", offset, 8, at=AT)
        except ActionError:
            continue
        for part in done.pairs:
            if part.source:
                assert article[part.source_start : part.source_end] == part.source, offset
            else:
                assert part.source_start is None and part.source_end is None
            for hit in part.terms:
                assert part.source_start <= hit.start and hit.end <= part.source_end, (offset, hit)
        whole = [t for t in terms if t.end - start <= offset or t.start - start >= offset]
        assert done.pairs[0].terms + done.pairs[1].terms == tuple(whole), offset


def test_split_of_an_edited_source_drops_a_term_it_cuts_through():
    doc = edit(_doc(), "0", source="قال الرئيس بشار الأسد إن الحرب انتهت.", at=AT)
    source = doc.pairs[0].source
    done = split(doc, "0", source.index("الأسد"), 10, at=AT)
    assert done.pairs[0].terms == done.pairs[1].terms == ()
    done = split(doc, "0", source.index("بشار"), 10, at=AT)
    assert done.pairs[0].terms == () and done.pairs[1].terms == doc.pairs[0].terms


def test_split_drops_a_term_no_longer_in_the_edited_source():
    doc = edit(_doc(), "0", source="قال الرئيس إن الحرب انتهت.", at=AT)
    done = split(doc, "0", 4, 10, at=AT)
    assert done.pairs[0].terms == done.pairs[1].terms == ()


# ---- merge ---------------------------------------------------------------


def test_merge_joins_texts_terms_ids_and_offsets():
    doc = _doc()
    done = merge(doc, "0", at=AT)
    merged = done.pairs[0]
    a, b = doc.pairs[0], doc.pairs[1]
    assert [p.id for p in done.pairs] == ["0+1", "2"]
    assert merged.source == f"{a.source} {b.source}" and merged.target == f"{a.target} {b.target}"
    assert (merged.source_start, merged.source_end) == (a.source_start, b.source_end)
    assert merged.terms == a.terms + b.terms
    assert merged.source_ids == (0, 1) and merged.target_ids == (0, 1)
    assert merged.confidence is None and merged.status == "unreviewed" and not merged.edited
    assert merged.history[-1] == HistoryItem("merge", AT, "0 + 1", "0+1")
    assert undo(done).pairs == doc.pairs


def test_merge_keeps_machine_text_of_edited_pairs():
    doc = edit(_doc(), "1", target="He said Russia is a friend.", at=AT)
    merged = merge(doc, "0", at=AT).pairs[0]
    assert merged.target == "Bashar al-Assad said the war was over. He said Russia is a friend."
    assert merged.original_target == "Bashar al-Assad said the war was over. He added that Russia is an ally."
    assert merged.original_source is None


def test_merge_the_last_pair_is_refused():
    with pytest.raises(ActionError, match="last pair"):
        merge(_doc(), "2")


def test_merge_with_an_empty_side():
    doc = split(_doc(), "2", 3, len("third line"), at=AT)
    merged = merge(doc, "2.1", at=AT).pairs[2]
    assert merged.target == "third line" and merged.source == "سطر ثالث"


@pytest.mark.parametrize("missing", ["0", "1"])
def test_merge_has_no_span_unless_both_pairs_have_one(missing):
    doc = _doc()
    index = int(missing)
    pairs = list(doc.pairs)
    pairs[index] = replace(pairs[index], source_start=None, source_end=None)
    merged = merge(PairDocument(doc.meta, tuple(pairs)), "0", at=AT).pairs[0]
    assert (merged.source_start, merged.source_end) == (None, None)


def test_merge_across_lines_spans_first_start_to_last_end():
    doc = _doc()
    merged = merge(doc, "1", at=AT).pairs[1]
    assert (merged.source_start, merged.source_end) == (doc.pairs[1].source_start, doc.pairs[2].source_end)
    assert merged.source == doc.pairs[1].source + " " + doc.pairs[2].source


def test_merge_with_a_pair_without_source_has_no_span():
    doc = _doc()
    inserted = Pair("x", "", "An English sentence with no Arabic.", target_ids=(3,))
    doc = PairDocument(doc.meta, doc.pairs + (inserted,))
    merged = merge(doc, "2", at=AT).pairs[2]
    assert merged.source == "سطر ثالث" and (merged.source_start, merged.source_end) == (None, None)


@pytest.mark.parametrize(
    ("first", "second", "expected"),
    [("3", "4", "3+4"), ("3+4", "5", "3+5"), ("2.1", "2.2", "2.1+2.2"), ("1", "3+5", "1+5"), ("0+1", "2+9", "0+9")],
)
def test_merged_ids_are_compact(first, second, expected):
    doc = PairDocument({}, (Pair(first, "أ", "a"), Pair(second, "ب", "b"), Pair("z", "ج", "c")))
    done = merge(doc, first, at=AT)
    assert [p.id for p in done.pairs] == [expected, "z"]
    assert done.pairs[0].history[-1] == HistoryItem("merge", AT, f"{first} + {second}", expected)


def test_merged_id_stays_unique():
    doc = PairDocument({}, (Pair("3", "أ", "a"), Pair("4", "ب", "b"), Pair("3+4", "ج", "c"), Pair("3+4#2", "د", "d")))
    done = merge(doc, "3", at=AT)
    assert [p.id for p in done.pairs] == ["3+4#3", "3+4", "3+4#2"]
    # the compact id of a pair and its neighbour may be the pair's own id: still a fresh one
    doc = PairDocument({}, (Pair("3+5", "أ", "a"), Pair("5", "ب", "b")))
    assert [p.id for p in merge(doc, "3+5", at=AT).pairs] == ["3+5#2"]


def test_merging_again_and_again_keeps_ids_acceptable():
    count = 120
    doc = PairDocument({}, tuple(Pair(str(k), f"جملة {k}", f"sentence {k}") for k in range(count)))
    for k in range(1, count):
        merged_id = doc.pairs[0].id
        doc = apply_action(doc, parse_action({"action": "merge", "id": merged_id, "version": k - 1}), at=AT)
        assert doc.pairs[0].history[-1] == HistoryItem("merge", AT, f"{merged_id} + {k}", f"0+{k}")
    assert [p.id for p in doc.pairs] == [f"0+{count - 1}"]
    assert parse_action({"action": "split", "id": doc.pairs[0].id, "source_offset": 3, "target_offset": 3, "version": 0})


def test_split_and_merge_cycles_keep_ids_unique_and_undoable():
    doc = _doc()
    for _ in range(UNDO_LIMIT // 2):
        target = doc.pairs[0].id
        doc = split(doc, target, 4, 6, at=AT)
        doc = merge(doc, doc.pairs[0].id, at=AT)
        ids = [p.id for p in doc.pairs]
        assert len(set(ids)) == len(ids)
    for _ in range(UNDO_LIMIT // 2 * 2):
        doc = undo(doc)
    assert doc.pairs == _doc().pairs


# ---- undo ----------------------------------------------------------------


def test_undo_walks_back_through_every_action():
    states = [_doc()]
    states.append(approve(states[-1], "0", at=AT))
    states.append(edit(states[-1], "1", target="edited", at=AT))
    states.append(split(states[-1], "1", 5, 3, at=AT))
    states.append(merge(states[-1], "1.2", at=AT))
    states.append(reject(states[-1], "0", at=AT))
    doc = states[-1]
    assert review_version(doc) == 5
    for earlier in reversed(states[:-1]):
        doc = undo(doc)
        assert doc.pairs == earlier.pairs
    assert review_version(doc) == 10
    with pytest.raises(ActionError, match="nothing to undo"):
        undo(doc)


def test_undo_survives_a_round_trip_through_the_file(tmp_path):
    path = tmp_path / "t.json"
    doc = merge(split(_doc(), "0", 4, 5, at=AT), "0.2", at=AT)
    write_json(doc, path)
    back = read_json(path)
    assert back.meta["review"]["version"] == 2
    assert undo(undo(back)).pairs == _doc().pairs


def test_undo_stack_is_capped():
    doc = _doc()
    for k in range(UNDO_LIMIT + 5):
        doc = edit(doc, "2", target=f"line {k}", at=AT)
    assert len(undo_entries(doc)) == UNDO_LIMIT
    assert review_version(doc) == UNDO_LIMIT + 5


def test_undo_refuses_when_the_pairs_changed_behind_its_back():
    doc = approve(_doc(), "0", at=AT)
    tampered = PairDocument(doc.meta, doc.pairs[1:])
    with pytest.raises(ActionError, match="have changed since"):
        undo(tampered)


def test_malformed_review_metadata_is_ignored():
    doc = PairDocument({"review": {"version": "x", "undo": "nope"}}, _doc().pairs)
    assert review_version(doc) == 0 and undo_entries(doc) == []
    assert review_version(approve(doc, "0")) == 1


# ---- requests ------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({"action": "approve", "id": "3", "version": 0}, Action("approve", 0, "3")),
        ({"action": "undo", "version": 7}, Action("undo", 7)),
        ({"action": "edit", "id": "3", "target": "x", "version": 1}, Action("edit", 1, "3", target="x")),
        (
            {"action": "split", "id": "3", "source_offset": 4, "target_offset": 0, "version": 2},
            Action("split", 2, "3", source_offset=4, target_offset=0),
        ),
    ],
)
def test_parse_action(body, expected):
    assert parse_action(body) == expected


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ([], "expected a JSON object, found list"),
        ({"action": "delete", "id": "1", "version": 0}, "unknown action 'delete'"),
        ({"id": "1", "version": 0}, "unknown action None"),
        ({"action": "approve", "id": "1"}, "'version' must be"),
        ({"action": "approve", "id": "1", "version": True}, "'version' must be"),
        ({"action": "approve", "id": "1", "version": -1}, "'version' must be"),
        ({"action": "approve", "id": 1, "version": 0}, "'id' must be"),
        ({"action": "approve", "id": "", "version": 0}, "'id' must be"),
        ({"action": "approve", "id": "1", "version": 0, "path": "/etc/passwd"}, "unexpected key 'path'"),
        ({"action": "undo", "id": "1", "version": 0}, "unexpected key 'id'"),
        ({"action": "edit", "id": "1", "version": 0}, "edit needs"),
        ({"action": "edit", "id": "1", "target": 5, "version": 0}, "'target' must be a string"),
        ({"action": "edit", "id": "1", "target": "a\x00b", "version": 0}, "U\\+0000"),
        ({"action": "edit", "id": "1", "source": "x" * 100_001, "version": 0}, "at most"),
        ({"action": "split", "id": "1", "source_offset": 1, "version": 0}, "'target_offset' must be"),
        ({"action": "split", "id": "1", "source_offset": 1.5, "target_offset": 0, "version": 0}, "'source_offset'"),
    ],
    ids=lambda v: v if isinstance(v, str) else None,
)
def test_parse_action_refusals(body, message):
    with pytest.raises(InvalidRequest, match=message):
        parse_action(body)


def test_apply_action_checks_the_version():
    doc = approve(_doc(), "0", at=AT)
    with pytest.raises(StaleVersion, match="version 1, not 0"):
        apply_action(doc, Action("reject", 0, "1"))
    assert apply_action(doc, Action("reject", 1, "1"), at=AT).pairs[1].status == "rejected"


@pytest.mark.parametrize(
    "body",
    [
        {"action": "approve", "id": "0"},
        {"action": "reject", "id": "0"},
        {"action": "edit", "id": "0", "source": "نص"},
        {"action": "split", "id": "0", "source_offset": 4, "target_offset": 7},
        {"action": "merge", "id": "0"},
    ],
    ids=lambda b: b["action"],
)
def test_apply_action_then_undo_restores(body):
    doc = _doc()
    done = apply_action(doc, parse_action({**body, "version": 0}), at=AT)
    assert done.pairs != doc.pairs
    assert apply_action(done, parse_action({"action": "undo", "version": 1})).pairs == doc.pairs


def test_looking_at_a_reruns_english_makes_it_the_machine_english():
    """A rerun left new machine English beside a reviewed pair
    (``rerun_target``, flagged ``rerun-changed``): approving the pair again,
    or editing its English, clears the flag, and the new English becomes the
    machine English, so the next rerun that writes it flags nothing."""
    from mt.review.flags import RERUN_CHANGED, pair_flags

    doc = _doc()
    flagged = PairDocument(doc.meta, (replace(doc.pairs[0], status="approved", rerun_target="A new English."), *doc.pairs[1:]))
    assert RERUN_CHANGED in [f.code for f in pair_flags(flagged.pairs[0], None)]
    approved = approve(flagged, "0", at=AT).pairs[0]
    assert (approved.rerun_target, approved.original_target, approved.target) == (None, "A new English.", doc.pairs[0].target)
    assert RERUN_CHANGED not in [f.code for f in pair_flags(approved, None)]
    edited = edit(flagged, "0", target="The reviewer's English.", at=AT).pairs[0]
    assert (edited.rerun_target, edited.original_target) == (None, "A new English.")
    taken = edit(flagged, "0", target="A new English.", at=AT).pairs[0]  # the reviewer takes the new English
    assert (taken.rerun_target, taken.original_target, taken.target) == (None, None, "A new English.")
