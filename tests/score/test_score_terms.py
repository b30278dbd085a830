"""Term accuracy (WMT21 exact match, at word boundaries) on hand-made segments."""

from __future__ import annotations

import pytest

from mt.glossary import Glossary
from mt.score.terms import (
    SourceTerm,
    TermAccuracy,
    TermMiss,
    check_terms,
    term_accuracy,
)

from ..conftest import DATA, HOUSE, StandInGlossary

GLOSSARY = StandInGlossary(
    {"الأسد": "Assad", "بوتين": "Vladimir Putin", "طهران": "Tehran", "الكرملين": "the Kremlin", "أمريكا": "U.S."}
)


def one(source: str, hyp: str, **kwargs) -> TermAccuracy:
    return term_accuracy([source], [hyp], GLOSSARY, **kwargs)


def test_term_present():
    result = one("قال الأسد", "Assad said")
    assert (result.correct, result.total, result.accuracy, result.misses) == (1, 1, 1.0, ())


def test_term_missing_is_listed_with_its_segment():
    result = term_accuracy(["قال الأسد", "في طهران"], ["Assad said", "in Teheran"], GLOSSARY, ids=["a", "b"])
    assert result.accuracy == 0.5
    assert result.misses == (TermMiss(segment="b", source="طهران", en="Tehran"),)


@pytest.mark.parametrize(
    "hyp, found",
    [
        ("Assad's forces advanced", True),  # possessive: still the name
        ("Bashar al-Assad spoke", True),  # inside a hyphenated name
        ("(Assad) spoke", True),
        ("Assad.", True),
        ("Assadist forces advanced", False),  # a longer word is not the term
        ("the Al-Assadi family", False),
        ("Asad spoke", False),  # another spelling is a miss
        ("As sad as ever", False),
    ],
)
def test_near_misses_at_word_boundaries(hyp, found):
    assert one("قال الأسد", hyp).correct == int(found)


@pytest.mark.parametrize("hyp", ["ASSAD SAID", "assad said", "Assad said"])
def test_casing_ignored_by_default(hyp):
    assert one("قال الأسد", hyp).accuracy == 1.0


def test_casing_required_when_asked():
    assert one("قال الأسد", "ASSAD SAID", case_sensitive=True).accuracy == 0.0
    assert one("قال الأسد", "Assad said", case_sensitive=True).accuracy == 1.0


@pytest.mark.parametrize(
    "hyp, found",
    [
        ("The Kremlin said", True),  # a capital opening the segment is still the house spelling
        ("Sources in the Kremlin said", True),
        ("Sources in The Kremlin said", False),  # inside the sentence the casing counts
        ("THE KREMLIN SAID", False),
    ],
)
def test_case_sensitive_accepts_a_capital_opening_the_segment(hyp, found):
    """Case-sensitive term accuracy finds a term as enforcement does (mt.glossary.find_term)."""
    assert one("قال الكرملين", hyp, case_sensitive=True).correct == int(found)


def test_opening_capital_is_claimed_once():
    assert one("الكرملين قال الكرملين", "The Kremlin and the Kremlin", case_sensitive=True).correct == 2
    assert one("الكرملين قال الكرملين", "The Kremlin said", case_sensitive=True).correct == 1


def test_multiword_term_matches_across_any_whitespace():
    assert one("بوتين", "Vladimir  Putin said").accuracy == 1.0
    assert one("بوتين", "Vladimir\nPutin said").accuracy == 1.0
    assert one("بوتين", "Putin said").accuracy == 0.0


def test_each_source_occurrence_needs_its_own_occurrence():
    assert one("الأسد قال الأسد", "Assad said").correct == 1
    assert one("الأسد قال الأسد", "Assad said Assad").correct == 2


def test_no_terms_gives_undefined_accuracy():
    result = one("قال الرئيس", "the president said")
    assert (result.total, result.accuracy) == (0, None)


def test_empty_hypothesis_misses_every_term():
    assert one("قال الأسد في طهران", "").misses == (
        TermMiss("0", "الأسد", "Assad"),
        TermMiss("0", "طهران", "Tehran"),
    )


def test_check_terms_needs_one_text_per_source():
    with pytest.raises(ValueError):
        check_terms([[SourceTerm("الأسد", "Assad")]], ["a", "b"])


def test_regex_characters_in_a_term_are_literal():
    assert one("قالت أمريكا", "the U.S. said").accuracy == 1.0
    assert one("قالت أمريكا", "the UKS said").accuracy == 0.0


def test_real_glossary_on_the_fixture_segments():
    glossary = Glossary.load(HOUSE)
    sources = (DATA / "score_src.txt").read_text(encoding="utf-8").splitlines()
    refs = (DATA / "score_ref.txt").read_text(encoding="utf-8").splitlines()
    hyps = (DATA / "score_hyp.txt").read_text(encoding="utf-8").splitlines()
    assert term_accuracy(sources, refs, glossary).accuracy == 1.0
    result = term_accuracy(sources, hyps, glossary)
    assert (result.correct, result.total) == (13, 16)
    assert [(m.segment, m.en) for m in result.misses] == [("4", "Washington"), ("5", "Tehran"), ("7", "Khan Sheikhoun")]
