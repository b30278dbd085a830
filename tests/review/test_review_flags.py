"""Per-pair flags, term spans and counts sent to the review page."""

from __future__ import annotations

import pytest

from mt.review import approve, edit, reject
from mt.review.flags import (
    ARABIC_IN_ENGLISH,
    EMPTY_SIDE,
    LENGTH_RATIO,
    LOW_CONFIDENCE_FLAG,
    MISSING_TERM,
    document_flags,
    length_log_ratio,
    median_log_ratio,
    pair_flags,
)
from mt.review.view import review_counts, source_spans, state_payload, target_spans
from mt.types import Pair, PairDocument, TermHit

ASSAD = TermHit("الأسد", 4, 9, "Bashar al-Assad", "بشار الأسد", "produced")
ASSAD_MISSING = TermHit("الأسد", 4, 9, "Bashar al-Assad", "بشار الأسد", "missing")
KREMLIN = TermHit("الكرملين", 4, 12, "kremlin", "الكرملين", "produced")


def _codes(pair: Pair, median: float | None = 0.0) -> list[str]:
    return [f.code for f in pair_flags(pair, median)]


@pytest.mark.parametrize(
    ("pair", "codes"),
    [
        (Pair("ok", "قال الأسد", "Bashar al-Assad said", terms=(ASSAD,)), []),
        (Pair("spaces", "قال الأسد", "Bashar  al-Assad\nsaid", terms=(ASSAD,)), []),
        (Pair("not the house spelling", "قال الأسد", "BASHAR AL-ASSAD said", terms=(ASSAD,)), [MISSING_TERM]),
        (Pair("lower case", "قال الأسد", "they met bashar al-assad", terms=(ASSAD,)), [MISSING_TERM]),
        (Pair("capital at the start", "الكرملين قال", "Kremlin said", terms=(KREMLIN,)), []),
        (Pair("house spelling inside", "قال الكرملين", "the kremlin said", terms=(KREMLIN,)), []),
        (Pair("capital inside", "قال الكرملين", "the Kremlin said", terms=(KREMLIN,)), [MISSING_TERM]),
        (Pair("possessive", "قال الأسد", "Bashar al-Assad's men", terms=(ASSAD,)), []),
        (Pair("absent", "قال الأسد", "Assad said", terms=(ASSAD,)), [MISSING_TERM]),
        (Pair("part of a word", "قال الأسد", "Bashar al-Assadi said", terms=(ASSAD,)), [MISSING_TERM]),
        (
            Pair("marked missing", "قال الأسد", "Bashar al-Assad said", terms=(ASSAD_MISSING,)),
            [MISSING_TERM],
        ),
        (
            Pair(
                "missing, fixed by an edit",
                "قال الأسد",
                "Bashar al-Assad said",
                terms=(ASSAD_MISSING,),
                original_target="Assad said",
            ),
            [],
        ),
        (Pair("arabic", "قال الأسد", "al-Assad قال"), [ARABIC_IN_ENGLISH]),
        (Pair("arabic digits", "في ٢٠١٦", "in ٢٠١٦"), []),
        (Pair("arabic punctuation", "لماذا؟", "why؟ ، ٪"), []),
        (Pair("persian letter", "پاریس", "Paris پ"), [ARABIC_IN_ENGLISH]),
        (Pair("presentation form", "الله", "god \ufdf2"), [ARABIC_IN_ENGLISH]),
        (Pair("no English", "قال الأسد", " "), [EMPTY_SIDE]),
        (Pair("no Arabic", "", "orphan"), [EMPTY_SIDE]),
        (Pair("low confidence", "قال", "said", confidence=0.3), [LOW_CONFIDENCE_FLAG]),
        (Pair("confidence ok", "قال", "said", confidence=0.5), []),
        (Pair("too long", "قال", "said that he would come back tomorrow morning with all of them"), [LENGTH_RATIO]),
        (Pair("too short", "قال الرئيس إن الحرب انتهت بعد سنوات طويلة من القتال", "said"), [LENGTH_RATIO]),
    ],
    ids=lambda v: v.id if isinstance(v, Pair) else None,
)
def test_pair_flags(pair, codes):
    assert _codes(pair, median=0.0) == codes


def test_missing_terms_are_named_once():
    pair = Pair("x", "الأسد والأسد", "he", terms=(ASSAD, TermHit("الأسد", 10, 15, "Bashar al-Assad", "بشار الأسد")))
    (flag,) = [f for f in pair_flags(pair, None) if f.code == MISSING_TERM]
    assert flag.message == "glossary term missing from the English: Bashar al-Assad"


def test_length_ratio_is_against_the_document_median():
    same = [Pair(str(k), "كلمة " * 10, "word " * 20) for k in range(4)]
    odd = Pair("odd", "كلمة " * 10, "word " * 3)
    doc = PairDocument({}, (*same, odd, Pair("empty", "كلمة", "")))
    median = median_log_ratio(doc.pairs)
    assert median == pytest.approx(length_log_ratio(same[0]))
    flags = document_flags(doc)
    assert [f.code for f in flags["odd"]] == [LENGTH_RATIO]
    assert "shorter than usual" in flags["odd"][0].message
    assert all(flags[p.id] == () for p in same)
    assert length_log_ratio(doc.pairs[-1]) is None


def test_no_length_flag_without_a_median():
    assert _codes(Pair("x", "قال", "a very long English sentence indeed"), median=None) == []


def test_arabic_in_english_names_the_words():
    pair = Pair("x", "قال", "he قال in ٢٠١٦ that (الأسد) and ثم more")
    (flag,) = [f for f in pair_flags(pair, None) if f.code == ARABIC_IN_ENGLISH]
    assert flag.message == "Arabic script in the English: قال (الأسد) ثم"


def test_target_spans_use_the_house_spelling():
    pair = Pair("0", "قال الكرملين", "Kremlin aides said the kremlin and the KREMLIN agreed", terms=(KREMLIN,))
    assert [s[:2] for s in target_spans(pair)] == [(0, 7), (23, 30)]
    assert MISSING_TERM not in _codes(pair)


def test_term_spans_on_both_sides():
    source = "قال بشار الأسد إن الأسد"
    terms = (
        TermHit("بشار الأسد", 104, 114, "Bashar al-Assad", "بشار الأسد", "forced"),
        TermHit("الأسد", 118, 123, "Assad", "الأسد", "missing"),
    )
    pair = Pair("0", source, "Bashar al-Assad said that Assad", source_start=100, source_end=123, terms=terms)
    assert source_spans(pair) == [(4, 14, "forced", "Bashar al-Assad", "بشار الأسد"), (18, 23, "missing", "Assad", "الأسد")]
    # the English "Assad" inside "Bashar al-Assad" overlaps the longer span and is dropped
    assert target_spans(pair) == [(0, 15, "forced", "Bashar al-Assad", "بشار الأسد"), (26, 31, "missing", "Assad", "الأسد")]


def test_source_spans_without_offsets_use_the_text():
    pair = Pair("0", "الأسد والأسد", "x", terms=(ASSAD, ASSAD))
    assert [s[:2] for s in source_spans(pair)] == [(0, 5), (7, 12)]


def test_counts_and_payload():
    doc = PairDocument(
        {"doc": "d", "source_file": "d.txt", "review": {"version": 0}, "huge": {"x": 1}},
        (Pair("0", "أ", "a"), Pair("1", "ب", "b"), Pair("2", "ج", "c"), Pair("3", "د", "")),
    )
    doc = edit(reject(approve(doc, "0"), "1"), "2", target="see")
    assert review_counts(doc) == {"total": 4, "approved": 1, "rejected": 1, "edited": 1, "left": 1}
    payload = state_payload(doc, "d.json")
    assert payload["version"] == 3 and payload["undo"] == "edit" and payload["file"] == "d.json"
    assert payload["meta"] == {"doc": "d", "source_file": "d.txt"}
    assert payload["pairs"][2]["edited"] is True and payload["pairs"][2]["original_target"] == "c"
    assert payload["pairs"][3]["flags"] == [{"code": EMPTY_SIDE, "message": "English side empty"}]
    assert payload["pairs"][0]["highlights"] == {"source": [], "target": []}


def test_a_copied_english_caption_is_not_flagged_for_its_length():
    """Regression: ".Damascus airport on September 30, 2014", copied as it is,
    was flagged "English 2.1× shorter than usual"."""
    caption = ".Damascus airport on September 30, 2014"
    pairs = (
        Pair("0", "قال الرئيس إن المحادثات ستستأنف", "The president said the talks would resume"),
        Pair("1", "وأضاف أن الوفد وصل إلى جنيف", "He added that the delegation had reached Geneva"),
        Pair("2", caption, caption),
        Pair("3", "AFP PHOTO/ STR", "AFP PHOTO/ STR"),
    )
    flags = document_flags(PairDocument({"doc": "d"}, pairs))
    assert flags["2"] == () and flags["3"] == ()
    assert length_log_ratio(pairs[2]) is None


@pytest.mark.parametrize(
    ("source", "target", "message"),
    [
        ("قتل ١٢ شخصا عام ٢٠١٧", "12 people were killed in 2016", "number in the Arabic missing from the English: 2017|number in the English missing from the Arabic: 2016"),
        ("قتل 12 شخصا", "12 people were killed on 3 May", "number in the English missing from the Arabic: 3"),
        ("قتل ١٢ شخصا عام ٢٠١٧", "In 2017, 12 people were killed", None),
        ("بلغت النسبة ٣٫٥ في المئة", "the rate reached 3.5 percent", None),
        ("اجتمع 1,200 شخص", "1200 people gathered", None),
    ],
)
def test_numbers_missing_on_one_side_are_flagged(source, target, message):
    from mt.review.flags import NUMBER_MISMATCH

    flags = [f for f in pair_flags(Pair("n", source, target), None) if f.code == NUMBER_MISMATCH]
    assert [f.message for f in flags] == (message.split("|") if message else [])
