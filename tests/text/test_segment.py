from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mt.dev.evaluation import PRF, compare_sets, running_text
from mt.text import split_sentences

from ..conftest import DATA

GOLD = json.loads((DATA / "seeds_gold.json").read_text(encoding="utf-8"))


def _texts(text: str) -> list[str]:
    return [s.text for s in split_sentences(text)]


def _ends_of(text: str, pieces: list[str]) -> set[int]:
    """Boundary offsets of gold pieces, found in order in ``text``."""
    ends, pos = set(), 0
    for piece in pieces:
        pos = text.index(piece, pos) + len(piece)
        ends.add(pos)
    return ends


@pytest.mark.parametrize("doc", sorted(GOLD))
def test_seed_gold_segmentation(seed_paths, doc):
    path = next(p for p in seed_paths if p.stem == doc)
    text = path.read_text(encoding="utf-8")
    segments = split_sentences(text, doc)
    for seg in segments:
        assert text[seg.start : seg.end] == seg.text
        assert seg.doc == doc
    score = compare_sets({s.end for s in segments}, _ends_of(text, GOLD[doc]))
    assert score.f1 >= 0.99, score


CASES = [
    # (label, text, expected segments)
    ("two sentences", "قال إنه سيأتي. وأضاف أنه سعيد.", ["قال إنه سيأتي.", "وأضاف أنه سعيد."]),
    ("headline without punctuation", "عنوان الخبر\nالنص الأول. النص الثاني.", ["عنوان الخبر", "النص الأول.", "النص الثاني."]),
    ("byline", "النص.\nالمصدر : وول ستريت جورنال", ["النص.", "المصدر : وول ستريت جورنال"]),
    ("date line", "الجمعة 2016/04/15\nموسكو - قالت مصادر.", ["الجمعة 2016/04/15", "موسكو - قالت مصادر."]),
    ("Arabic question mark", "هل سيأتي؟ لا أحد يعلم.", ["هل سيأتي؟", "لا أحد يعلم."]),
    ("exclamation", "يا له من يوم! انتهى.", ["يا له من يوم!", "انتهى."]),
    ("ellipsis character", "وانتظر… ثم رحل.", ["وانتظر…", "ثم رحل."]),
    ("decimal number", "ارتفع بنسبة 3.5 في المئة. ثم هبط.", ["ارتفع بنسبة 3.5 في المئة.", "ثم هبط."]),
    ("S-300 and date", "تسليم إس-300 في 2016/04/15. وقال.", ["تسليم إس-300 في 2016/04/15.", "وقال."]),
    ("Arabic title abbreviation", "التقى د. محمد بالوزير. ثم غادر.", ["التقى د. محمد بالوزير.", "ثم غادر."]),
    ("Arabic initial", "قال م. أحمد إن المشروع انتهى.", ["قال م. أحمد إن المشروع انتهى."]),
    ("guillemets closing after stop", "قال «انتهى الأمر.» ثم غادر.", ["قال «انتهى الأمر.»", "ثم غادر."]),
    ("curly quotes closing after stop", "وقال: “بدأنا العمل.” وأضاف.", ["وقال: “بدأنا العمل.”", "وأضاف."]),
    ("straight quote after stop", 'قال "سافر إلى موسكو." وذكر دبلوماسي.', ['قال "سافر إلى موسكو."', "وذكر دبلوماسي."]),
    ("quote closed then stop", "مؤتمر «جنيف3». ووصل أمس.", ["مؤتمر «جنيف3».", "ووصل أمس."]),
    ("split inside a quotation", "قال: “بدأنا العمل. ما نقوم به ميداني”.", ["قال: “بدأنا العمل.", "ما نقوم به ميداني”."]),
    ("URL", "راجع www.aljazeera.net/news. وشكرا.", ["راجع www.aljazeera.net/news.", "وشكرا."]),
    ("URL with path dots", "See https://example.com/a. b/c.html for more.", ["See https://example.com/a. b/c.html for more."]),
    ("e-mail", "راسلونا على info.desk@example.org. شكرا.", ["راسلونا على info.desk@example.org.", "شكرا."]),
    ("English caption", "Ali Shamkhani speaks on September 30, 2014. AFP PHOTO/ STR", ["Ali Shamkhani speaks on September 30, 2014.", "AFP PHOTO/ STR"]),
    ("U.S. inside sentence", "The U.S. Navy said so. It left.", ["The U.S. Navy said so.", "It left."]),
    ("U.S. at sentence end", "He went to the U.S. The trip was long.", ["He went to the U.S.", "The trip was long."]),
    ("title Mr.", "Mr. Adams said so. He left.", ["Mr. Adams said so.", "He left."]),
    ("initials", "J. K. Rowling wrote it. Then she rested.", ["J. K. Rowling wrote it.", "Then she rested."]),
    ("lower-case continuation", '"Who?" he asked. Nobody knew.', ['"Who?" he asked.', "Nobody knew."]),
    ("month abbreviation before day", "It opened on Jan. 5 in Paris. Crowds came.", ["It opened on Jan. 5 in Paris.", "Crowds came."]),
    ("month abbreviation at end", "He enlisted on Sept. He was arrested.", ["He enlisted on Sept.", "He was arrested."]),
    ("single lower-case letter ends", "the letter u. Next one.", ["the letter u.", "Next one."]),
    ("quoted question then attribution", "«هل يعتقدون ذلك؟» تساءلت. ثم صمتت.", ["«هل يعتقدون ذلك؟» تساءلت.", "ثم صمتت."]),
    ("CRLF lines", "سطر أول\r\nسطر ثان.\r\n", ["سطر أول", "سطر ثان."]),
    ("blank lines skipped", "\n\n  أ.  \n\n", ["أ."]),
]


@pytest.mark.parametrize("label,text,expected", CASES, ids=[c[0] for c in CASES])
def test_segmentation_table(label, text, expected):
    assert _texts(text) == expected


def test_offsets_and_paragraphs():
    text = "\ufeffعنوان\r\n\r\nجملة أولى. جملة ثانية.\n"
    segs = split_sentences(text, "d")
    assert [(s.index, s.paragraph) for s in segs] == [(0, 0), (1, 1), (2, 1)]
    for s in segs:
        assert text[s.start : s.end] == s.text


def ntrex_boundary_score(docs: list[dict], side: str) -> PRF:
    """Boundary P/R/F1 on NTREX running text: gold = line ends plus the
    hand-checked sentence boundaries inside lines that hold two sentences."""
    extra = json.loads((DATA / "ntrex_internal_boundaries.json").read_text(encoding="utf-8"))
    total = PRF(0, 0, 0)
    for doc in docs:
        text, spans = running_text(doc[f"{side}_sentences"])
        gold = {end for _, end in spans}
        for item in extra:
            if item["doc_id"] == doc["doc_id"] and item["side"] == side:
                gold.add(text.index(item["before"]) + len(item["before"]))
        total = total + compare_sets({s.end for s in split_sentences(text)}, gold)
    return total


@pytest.mark.parametrize("side", ["ar", "en"])
def test_ntrex_boundaries(ntrex_docs, side):
    score = ntrex_boundary_score(ntrex_docs, side)
    print(f"NTREX {side}: P={score.precision:.4f} R={score.recall:.4f} F1={score.f1:.4f} {score}")
    assert score.f1 >= 0.98, score


_SENTENCE_TEXT = st.lists(
    st.one_of(
        st.sampled_from(list("ابتثجحخدذرزسشصضطظعغفقكلمنهوي .!?؟…«»“”\"'()\n\r\t0123456789")),
        st.sampled_from(["U.S.", " د. ", "www.a.b", "x@y.z", ". ", '." ', "\r\n", "\u2028"]),
        st.characters(),
    ),
    max_size=120,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(_SENTENCE_TEXT)
def test_segments_ordered_disjoint_and_cover_text(text):
    segs = split_sentences(text)
    covered = set()
    prev_end = 0
    for i, seg in enumerate(segs):
        assert seg.index == i
        assert prev_end <= seg.start < seg.end
        assert text[seg.start : seg.end] == seg.text == seg.text.strip()
        covered.update(range(seg.start, seg.end))
        prev_end = seg.end
    for i, ch in enumerate(text):
        if not ch.isspace():
            assert i in covered, (i, ch)
