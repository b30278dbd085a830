from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mt.text import normalize_arabic, normalize_text

CASES = [
    # (label, input, expected)
    ("alef hamza above", "أحمد", "احمد"),
    ("alef hamza below", "إيران", "ايران"),
    ("alef madda", "آسيا", "اسيا"),
    ("alef wasla", "ٱلله", "الله"),
    ("alef maqsura", "موسى", "موسي"),
    ("teh marbuta", "أستانة", "استانه"),
    ("harakat and shadda", "مُحَمَّدٌ", "محمد"),
    ("sukun", "قُمْ", "قم"),
    ("superscript alef", "هٰذا", "هذا"),
    ("tatweel", "محـــمد", "محمد"),
    ("Persian kaf (seed 003)", "موسکو", "موسكو"),
    ("Persian yeh (seed 003)", "ولایتي", "ولايتي"),
    ("Persian yeh final", "فی سوریا", "في سوريا"),
    ("Persian gaf", "گرگان", "كركان"),
    ("heh with yeh above", "خانۀ", "خانه"),
    ("Arabic-Indic digits", "٢٠١٦/٠٤/١٥", "2016/04/15"),
    ("Persian digits", "۱۲۳۴", "1234"),
    ("zero-width non-joiner", "می\u200cخواهم", "ميخواهم"),
    ("bidi marks", "\u200fبوتين\u200e \u202bأ\u202c", "بوتين ا"),
    ("NFKC lam-alef ligature", "\ufefb", "لا"),
    ("NFKC presentation forms", "\ufe8d\ufedf\ufe8e", "الا"),
    ("NFKC no-break space", "a\u00a0b", "a b"),
    ("Latin composition", "e\u0301", "\u00e9"),
    ("plain ASCII untouched", "U.S. 3.5", "U.S. 3.5"),
]


@pytest.mark.parametrize("label,text,expected", CASES, ids=[c[0] for c in CASES])
def test_normalize_table(label, text, expected):
    assert normalize_text(text) == expected


def test_offsets_report_original_span():
    text = "قال محمّدٌ الـباقري"
    norm = normalize_arabic(text)
    start = norm.text.index("محمد")
    a, b = norm.to_original(start, start + len("محمد"))
    assert text[a:b] == "محمّدٌ"
    start = norm.text.index("الباقري")
    a, b = norm.to_original(start, start + len("الباقري"))
    assert text[a:b] == "الـباقري"


def test_offsets_of_expanded_ligature():
    text = "x \ufefb y"
    norm = normalize_arabic(text)
    assert norm.text == "x لا y"
    assert norm.to_original(2, 4) == (2, 3)
    assert norm.to_original(3, 4) == (2, 3)


def test_empty_span_and_bounds():
    norm = normalize_arabic("أبو")
    assert norm.to_original(0, 0) == (0, 0)
    assert norm.to_original(3, 3) == (3, 3)
    with pytest.raises(ValueError):
        norm.to_original(2, 5)


_TEXT = st.text(
    alphabet=st.one_of(
        st.characters(min_codepoint=0x0600, max_codepoint=0x06FF),
        st.characters(min_codepoint=0xFB50, max_codepoint=0xFEFF),
        st.sampled_from(" .\n\u200c\u200f\u202b\u0301e\u00e9ﻻ"),
        st.characters(),
    ),
    max_size=60,
)


def _clusters(norm):
    """Group normalised indices by the original span they came from."""
    groups: list[tuple[int, int, int, int]] = []  # (out_start, out_end, orig_start, orig_end)
    for i, (s, e) in enumerate(zip(norm.starts, norm.ends)):
        if groups and groups[-1][2] == s:
            o0, _, s0, e0 = groups[-1]
            groups[-1] = (o0, i + 1, s0, max(e0, e))
        else:
            groups.append((i, i + 1, s, e))
    return groups


@settings(max_examples=300, deadline=None)
@given(_TEXT)
def test_offset_map_is_monotone_and_maps_back(text):
    norm = normalize_arabic(text)
    assert len(norm.starts) == len(norm.ends) == len(norm.text)
    assert all(a <= b for a, b in zip(norm.starts, norm.starts[1:]))
    assert all(a <= b for a, b in zip(norm.ends, norm.ends[1:]))
    assert all(0 <= s < e <= len(text) for s, e in zip(norm.starts, norm.ends))
    groups = _clusters(norm)
    # every cluster maps back exactly: normalising its original span gives its output
    for o0, o1, s, e in groups:
        assert normalize_text(text[s:e]) == norm.text[o0:o1]
    # and any run of whole clusters maps back to a span that normalises to the run
    if groups:
        first, last = groups[0], groups[-1]
        a, b = norm.to_original(first[0], last[1])
        assert normalize_text(text[a:b]) == norm.text[first[0] : last[1]]


@settings(max_examples=200, deadline=None)
@given(_TEXT)
def test_normalisation_is_idempotent_and_drops_marks(text):
    out = normalize_text(text)
    assert not any(0x064B <= ord(c) <= 0x065F or c in "\u0640\u200f\u200e\u200c" for c in out)
    assert normalize_text(out) == out
