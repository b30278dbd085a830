"""Sentence alignment: the algorithm, its features and its scoring."""

from __future__ import annotations

import math

import pytest

from mt import formats
from mt.align import (
    Alignment,
    AlignOptions,
    align_segments,
    align_texts,
    alignment_document,
    alignment_pairs,
    confidence,
)
from mt.align.features import (
    FeatureBags,
    Lexicon,
    arabic_candidates,
    arabic_features,
    english_features,
    english_stem,
    number_key,
)
from mt.dev.evaluation import line_alignment_gold, running_text, score_alignment
from mt.errors import FormatError, InputError
from mt.glossary import Glossary
from mt.text import split_sentences

from ..conftest import StandInGlossary

# Eight Arabic sentences and their English translations: numbers (ASCII and
# Arabic-Indic), a Latin token, quotes, and no two of them alike.
AR = [
    "قال وزير الخارجية إن المحادثات ستستأنف يوم الاثنين في جنيف.",
    "وأضاف أن 12 دولة وافقت على المشاركة في الاجتماع.",
    "ولم يعلق البيت الأبيض على التقرير.",
    "وبلغت قيمة الصفقة 3.5 مليار دولار، وفقا لمصادر مطلعة على المفاوضات.",
    "وتراجعت أسعار النفط بنسبة 2% يوم الثلاثاء.",
    "وقالت الشركة في بيان إنها ستوظف 1,200 عامل جديد بحلول عام 2025.",
    "وشارك في المظاهرة نحو ٥٠٠ شخص، بحسب وكالة AFP.",
    "وأكد المتحدث باسم الأمم المتحدة أن فرق الإغاثة وصلت إلى المدينة صباح اليوم بعد أيام من الانتظار.",
]
EN = [
    "The foreign minister said the talks would resume on Monday in Geneva.",
    "He added that 12 countries had agreed to take part in the meeting.",
    "The White House did not comment on the report.",
    "The deal was worth $3.5 billion, according to sources familiar with the negotiations.",
    "Oil prices fell 2% on Tuesday.",
    "The company said in a statement that it would hire 1200 new workers by 2025.",
    "About 500 people took part in the demonstration, according to AFP.",
    "A UN spokesman confirmed that relief teams had reached the city this morning after days of waiting.",
]


def blocks(alignment) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    return [(a.src, a.tgt) for a in alignment]


def one_to_one(n: int) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    return [((i,), (i,)) for i in range(n)]


def check_cover(alignment, n: int, m: int) -> None:
    """Every sentence of both sides once, in order."""
    src = [i for a in alignment for i in a.src]
    tgt = [j for a in alignment for j in a.tgt]
    assert src == list(range(n)) and tgt == list(range(m))
    assert all(a.src or a.tgt for a in alignment)
    assert all(0.0 <= a.score <= 1.0 for a in alignment)


# ------------------------------------------------------------------ the basics


def test_parallel_sentences_align_one_to_one():
    result = align_segments(AR, EN)
    check_cover(result, len(AR), len(EN))
    assert blocks(result) == one_to_one(len(AR))
    assert all(a.type == "1-1" for a in result)


def test_alignment_compares_as_a_set_whatever_its_score():
    assert Alignment((1,), (2,), 0.3) == Alignment((1,), (2,), 0.9)
    assert len({Alignment((1,), (2,), 0.3), Alignment((1,), (2,), 0.9)}) == 1
    src, tgt = Alignment((1, 2), (3,))
    assert (src, tgt) == ((1, 2), (3,)) and Alignment((1, 2), (3,)).type == "2-1"


def test_two_to_one_merge():
    en = EN[:1] + [EN[1][:-1] + ", while " + EN[2][0].lower() + EN[2][1:]] + EN[3:]
    result = align_segments(AR, en)
    check_cover(result, len(AR), len(en))
    assert ((1, 2), (1,)) in blocks(result)
    assert blocks(result)[2:] == [((i + 1,), (i,)) for i in range(2, len(en))]


def test_one_to_two_merge():
    ar = AR[:3] + [AR[3][:-1] + "، " + AR[4]] + AR[5:]
    result = align_segments(ar, EN)
    check_cover(result, len(ar), len(EN))
    assert ((3,), (3, 4)) in blocks(result)
    assert blocks(result)[:3] == one_to_one(3)


@pytest.mark.parametrize("missing", [0, 3, 5, 7])
def test_sentence_missing_from_the_english(missing):
    en = EN[:missing] + EN[missing + 1 :]
    result = align_segments(AR, en)
    check_cover(result, len(AR), len(en))
    assert ((missing,), ()) in blocks(result)
    expected = [((i,), (i if i < missing else i - 1,)) for i in range(len(AR)) if i != missing]
    assert [b for b in blocks(result) if b[1]] == expected


@pytest.mark.parametrize("missing", [0, 2, 6])
def test_sentence_missing_from_the_arabic(missing):
    ar = AR[:missing] + AR[missing + 1 :]
    result = align_segments(ar, EN)
    check_cover(result, len(ar), len(EN))
    assert ((), (missing,)) in blocks(result)
    assert sum(1 for a in result if a.type == "1-1") == len(ar)


def test_empty_side_gives_insertions_or_deletions():
    assert blocks(align_segments(AR[:3], [])) == [((0,), ()), ((1,), ()), ((2,), ())]
    assert blocks(align_segments([], EN[:2])) == [((), (0,)), ((), (1,))]
    assert align_segments([], []) == []


def test_single_sentences():
    assert blocks(align_segments(AR[:1], EN[:1])) == [((0,), (0,))]


def test_identical_numbers_guide_the_path():
    # Three Arabic sentences of about the same length, two English ones: the
    # numbers decide which Arabic sentence has no translation.
    ar = [
        "وقال المتحدث إن 15 جولة من الاجتماعات انتهت دون اتفاق.",
        "وأوضح أن الوفد سيعود إلى العاصمة خلال 48 ساعة المقبلة.",
        "وأشار إلى أن الجولة المقبلة ستعقد في مارس عام 2031 المقبل.",
    ]
    first = "The spokesman said 15 rounds of meetings ended without agreement."
    en = [first, "The next round will be held in March 2031."]
    assert blocks(align_segments(ar, en)) == [((0,), (0,)), ((1,), ()), ((2,), (1,))]
    en = [first, "The delegation will return within 48 hours."]
    assert blocks(align_segments(ar, en)) == [((0,), (0,)), ((1,), (1,)), ((2,), ())]
    en = ["The delegation will return within 48 hours.", "The next round will be held in March 2031."]
    assert blocks(align_segments(ar, en)) == [((0,), ()), ((1,), (0,)), ((2,), (1,))]


def test_arabic_indic_digits_meet_ascii_digits():
    assert "n:500" in arabic_features("نحو ٥٠٠ شخص")
    assert "n:1200" in arabic_features("١٬٢٠٠ عامل") and "n:1200" in english_features("1,200 workers")
    assert "n:3.5" in arabic_features("٣٫٥ مليار") and "n:3.5" in english_features("$3.5bn")
    assert number_key("1,000") == "1000" and number_key("3,5") == "3.5" and number_key("2025.") == "2025"


def test_latin_tokens_and_punctuation_are_features():
    feats = arabic_features("تعني twp في ويلز السخافة (MWPs) و«الحماقة»")
    assert {"w:twp", "w:mwps", "p"} <= set(feats) and feats.count("q") == 2
    assert english_stem("Parliamentary") == "parli" and english_stem("the") is None


def test_paragraph_breaks_are_soft_anchors():
    # A headline on each side: without the paragraph information the short
    # headline could join the first sentence.
    ar_text = "محادثات جنيف\n" + " ".join(AR[:4])
    en_text = "Geneva talks\n" + " ".join(EN[:4])
    aligned = align_texts(ar_text, en_text)
    assert blocks(aligned.alignments) == one_to_one(5)
    assert [s.paragraph for s in aligned.source] == [0, 1, 1, 1, 1]


# ------------------------------------------------------------------ lexicon


def test_lexicon_matches_words_after_clitic_stripping(tmp_path):
    path = tmp_path / "dict.tsv"
    path.write_text("حكومة\tGovernment | Polity\nالشرطة\tPolice\nكتاب\tBook\n", encoding="utf-8")
    lexicon = Lexicon.load(path)
    assert lexicon.lookup("والحكومه") == ("gover", "polit")  # normalised: teh marbuta → heh
    assert lexicon.lookup("للشرطه") == ("polic",)
    assert lexicon.lookup("كتابهم") == ("book",)
    assert lexicon.lookup("مجهول") == ()
    assert "والحكومه" in arabic_candidates("والحكومه")
    assert "~w:polic" in arabic_features("وصلت الشرطة", lexicon)  # tentative: counts if the English has it


def test_lexicon_file_errors(tmp_path):
    bad = tmp_path / "bad.tsv"
    bad.write_text("no tab here\n", encoding="utf-8")
    with pytest.raises(FormatError, match=r"bad.tsv:1: expected 'arabic<TAB>english glosses'"):
        Lexicon.load(bad)
    useless = tmp_path / "useless.tsv"
    useless.write_text("كلمة\tthe\n", encoding="utf-8")
    with pytest.raises(FormatError, match="no Arabic → English entries"):
        Lexicon.load(useless)


def test_lexicon_in_a_legacy_encoding(tmp_path):
    path = tmp_path / "dict.tsv"
    path.write_bytes("حكومة\tGovernment\n".encode("cp1256"))
    with pytest.raises(InputError, match=r"dict.tsv: not valid utf-8 at byte 0 .*try --encoding cp1256"):
        Lexicon.load(path)
    assert Lexicon.load(path, "cp1256").lookup("الحكومه") == ("gover",)


def test_feature_rows_merge_repeats_and_are_sorted():
    """One (sentence, feature) row per distinct feature, weight count × idf,
    sorted by sentence then feature (the band join searches them)."""
    bags = FeatureBags.build([["n:5", "w:assad", "n:5"], ["~w:oil"]], [["~w:oil", "n:5"], ["~w:rain", "~w:assad"]])
    assert bags.vocabulary == ("n:5", "w:assad", "w:oil")  # "~w:rain" is on one side only: dropped
    idf = math.log(1.0 + 2 / 1)  # every kept feature is in one sentence of each side
    rows, cols, weights = bags.src
    assert rows.tolist() == [0, 0, 1] and cols.tolist() == [0, 1, 2]
    assert weights.tolist() == pytest.approx([2 * idf * 2.0, idf, idf])  # n:5 twice, numbers boosted 2×
    rows, cols, weights = bags.tgt
    assert rows.tolist() == [0, 0, 1] and cols.tolist() == [0, 2, 1]
    assert weights.tolist() == pytest.approx([idf * 2.0, idf, idf])
    empty = FeatureBags.build([[]], [["~w:oil"]])
    assert empty.vocabulary == () and [len(a) for a in empty.src + empty.tgt] == [0] * 6


def test_lexicon_decides_between_equal_lengths():
    lexicon = Lexicon.from_pairs([("شرطة", "Police"), ("مطر", "Rain"), ("مدرسة", "School")])
    ar = ["وصلت الشرطة إلى المكان بسرعة كبيرة.", "وهطل المطر بغزارة طوال الليل كله.", "وأغلقت المدرسة أبوابها صباح اليوم."]
    en = ["The police arrived very quickly.", "The school closed its doors this morning."]
    assert blocks(align_segments(ar, en, lexicon=lexicon)) == [((0,), (0,)), ((1,), ()), ((2,), (1,))]


# ------------------------------------------------------------------ glossary


def test_glossary_entities_found_on_both_sides_guide_the_path():
    glossary = StandInGlossary({"شمخاني": "Ali Shamkhani", "لافروف": "Sergei Lavrov"})
    ar = ["والتقى شمخاني بعدد من المسؤولين في طهران.", "وتحدث لافروف مع نظرائه في العاصمة."]
    en = ["Lavrov spoke with his counterparts in the capital."]
    assert blocks(align_segments(ar, en, glossary=glossary)) == [((0,), ()), ((1,), (0,))]
    assert "w:shamk" in arabic_features(ar[0], glossary=glossary)


def test_real_glossary(tmp_path):
    path = tmp_path / "g.tsv"
    path.write_text("ar\ten\ttype\tvariants\tnote\nعلي شمخاني\tAli Shamkhani\tPER\t\t\n", encoding="utf-8")
    glossary = Glossary.load(path)
    assert "w:shamk" in arabic_features("التقى علي شمخاني بالوفد", glossary=glossary)


# ------------------------------------------------------------------ MT hook


def test_translation_joins_the_score_in_a_narrow_band():
    calls = []

    def translate(texts):
        calls.append(list(texts))
        return [EN[AR.index(t)] if t in AR else "" for t in texts]

    # Lengths and features alone cannot place the deletion (sentences carry
    # no numbers and the same length); the translations can.
    ar = ["وصل الوفد إلى المدينة مساء أمس.", "وغادر الوفد المدينة صباح اليوم.", "ثم توجه الوفد إلى العاصمة."]
    en = ["The delegation left the city this morning.", "It then went to the capital."]
    mt = {ar[0]: "The delegation arrived in the city last night.", ar[1]: en[0], ar[2]: en[1]}
    result = align_segments(ar, en, translate=lambda texts: [mt[t] for t in texts])
    assert blocks(result) == [((0,), ()), ((1,), (0,)), ((2,), (1,))]
    result = align_segments(AR, EN, translate=translate)
    assert blocks(result) == one_to_one(len(AR)) and len(calls) == 1 and calls[0] == AR


def test_translation_must_be_one_for_one():
    with pytest.raises(ValueError, match="translate returned 1 sentences for 2"):
        align_segments(AR[:2], EN[:2], translate=lambda texts: ["x"])


# ------------------------------------------------------------------ confidence


def test_confidence_is_lower_for_a_poor_pair():
    good = align_segments(AR[:2], EN[:2])
    assert all(a.score > 0.9 for a in good)
    # forced 1-1 pairs: lengths and numbers disagree
    poor = align_segments(AR[1:2], ["In 1999 nothing happened anywhere in the world, as far as anyone can remember."])
    assert [a.type for a in poor] == ["1-1"] and poor[0].score < min(a.score for a in good)
    options = AlignOptions()
    assert confidence((1, 0), 3.0, options) == 0.5
    assert confidence((1, 1), -5.0, options) > confidence((1, 1), 0.0, options) > confidence((1, 1), 5.0, options)
    assert 0.0 < confidence((1, 1), 1e6, options) < 1e-6 and confidence((1, 1), -1e6, options) == pytest.approx(1.0)


# ------------------------------------------------------------------ long documents


def _long(n: int) -> tuple[list[str], list[str]]:
    """n sentence pairs, distinct by their numbers."""
    ar = [f"{AR[k % len(AR)][:-1]} في الجولة {k + 10}." for k in range(n)]
    en = [f"{EN[k % len(EN)][:-1]} in round {k + 10}." for k in range(n)]
    return ar, en


def test_coarse_to_fine_search_finds_the_full_search_path():
    ar, en = _long(300)
    del en[100:140]  # a long passage missing from the English
    del ar[200:203]
    full = align_segments(ar, en, options=AlignOptions(full_cells=10**9))
    banded = align_segments(ar, en, options=AlignOptions(full_cells=1000, coarse_size=20, radius=2))
    assert blocks(banded) == blocks(full)
    assert sum(1 for a in full if a.type == "1-0") == 40 and sum(1 for a in full if a.type == "0-1") == 3
    assert sum(1 for a in full if a.type == "1-1") == 257


def test_long_insertion_at_the_start():
    ar, en = _long(400)
    en = [f"Unrelated opening paragraph number {k}." for k in range(150)] + en
    result = align_segments(ar, en, options=AlignOptions(full_cells=1000, coarse_size=30))
    assert blocks(result) == [((), (j,)) for j in range(150)] + [((i,), (i + 150,)) for i in range(400)]


# ------------------------------------------------------------------ documents


def test_pairs_carry_texts_offsets_ids_confidence_and_type():
    ar_text = AR[0] + " " + AR[1] + "\n" + AR[2]
    en_text = EN[0][:-1] + ", and " + EN[1][0].lower() + EN[1][1:] + "\n" + EN[2]
    aligned = align_texts(ar_text, en_text, doc="d")
    pairs = alignment_pairs(aligned)
    assert [p.type for p in pairs] == ["2-1", "1-1"]
    first = pairs[0]
    assert first.id == "0" and first.source == AR[0] + " " + AR[1]
    assert first.source_ids == (0, 1) and first.target_ids == (0,)
    assert ar_text[first.source_start : first.source_end] == first.source
    assert 0 <= first.confidence <= 1
    document = alignment_document(aligned, doc="d", source_file="a.txt", target_file="e.txt", options={"x": 1})
    assert document.meta == {
        "doc": "d",
        "source_file": "a.txt",
        "target_file": "e.txt",
        "kind": "alignment",
        "options": {"x": 1},
    }


def test_insertion_pair_has_no_source_offsets():
    aligned = align_texts(" ".join(AR[:2]), " ".join(EN[:3]))
    pairs = alignment_pairs(aligned)
    inserted = [p for p in pairs if p.type == "0-1"]
    assert inserted and inserted[0].source == "" and inserted[0].source_start is None
    assert inserted[0].target == EN[2] and inserted[0].target_ids == (2,)


@pytest.mark.parametrize("suffix", [".json", ".tmx"])
def test_round_trip_through_the_pair_formats(tmp_path, suffix):
    ar_text = AR[0] + " " + AR[1] + "\n" + " ".join(AR[2:5])
    en_text = EN[0][:-1] + ", and " + EN[1][0].lower() + EN[1][1:] + "\n" + " ".join(EN[2:6])
    aligned = align_texts(ar_text, en_text, doc="doc")
    document = alignment_document(aligned, doc="doc", source_file="a.txt", target_file="e.txt")
    path = tmp_path / f"out{suffix}"
    formats.write_pairs(document, path, all_units=True)
    back = formats.read_pairs(path)
    assert back.pairs == document.pairs
    assert {"2-1", "1-1", "0-1"} <= {p.type for p in back.pairs}
    assert back.meta["kind"] == "alignment" and back.doc == "doc"


# ------------------------------------------------------------------ English segmentation


def test_english_segmentation_for_alignment():
    text = (
        'Mr. Smith met U.S. officials on Jan. 5 in Washington. The deal is worth 3.5 billion dollars. '
        '"We are ready," he said. "Are you?" She did not answer.'
    )
    assert [s.text for s in split_sentences(text)] == [
        "Mr. Smith met U.S. officials on Jan. 5 in Washington.",
        "The deal is worth 3.5 billion dollars.",
        '"We are ready," he said.',
        '"Are you?"',
        "She did not answer.",
    ]


# ------------------------------------------------------------------ scoring


def test_strict_and_lax_scores_as_vecalign_defines_them():
    gold = [((0,), (0,)), ((1, 2), (1,)), ((3,), ()), ((4,), (2,))]
    assert score_alignment(gold, gold).f1_strict == 1.0
    test = [((0,), (0,)), ((1,), (1,)), ((2,), ()), ((3,), ()), ((4,), (2,))]
    score = score_alignment(gold, test)
    # precision: 5 test blocks; strict hits (0-0), (3-), (4-2); (1-1) is a lax hit, (2-) a lax miss
    assert score.p_strict == (3, 2) and score.p_lax == (4, 1)
    # recall: 3 gold blocks with both sides; (0-0) and (4-2) found; (1 2-1) overlaps the test's (1-1)
    assert score.r_strict == (2, 1) and score.r_lax == (3, 0)
    assert score.precision_strict == pytest.approx(0.6) and score.recall_strict == pytest.approx(2 / 3)
    assert score.f1_strict == pytest.approx(2 * 0.6 * (2 / 3) / (0.6 + 2 / 3))
    total = score + score
    assert total.p_strict == (6, 4) and total.f1_lax == pytest.approx(score.f1_lax)
    assert math.isclose(score_alignment(gold, [Alignment(s, t, 0.1) for s, t in gold]).f1_lax, 1.0)


def test_gold_from_corresponding_lines():
    lines_ar = ["عنوان", "جملة أولى. جملة ثانية.", "جملة ثالثة."]
    lines_en = ["Headline", "One sentence here.", "A third one."]
    ar_text, ar_spans = running_text(lines_ar)
    en_text, en_spans = running_text(lines_en)
    assert ar_text == "عنوان\nجملة أولى. جملة ثانية. جملة ثالثة. "
    assert [ar_text[a:b] for a, b in ar_spans] == lines_ar
    src = [(s.start, s.end) for s in split_sentences(ar_text)]
    tgt = [(t.start, t.end) for t in split_sentences(en_text)]
    assert line_alignment_gold(src, tgt, ar_spans, en_spans) == [((0,), (0,)), ((1, 2), (1,)), ((3,), (2,))]
    # the second English line left out: its Arabic sentences are deletions
    en_text, spans = running_text([lines_en[0], lines_en[2]])
    tgt = [(t.start, t.end) for t in split_sentences(en_text)]
    gold = line_alignment_gold(src, tgt, ar_spans, [spans[0], None, spans[1]])
    assert gold == [((0,), (0,)), ((1,), ()), ((2,), ()), ((3,), (1,))]
    with pytest.raises(ValueError, match="3 source lines but 2 target lines"):
        line_alignment_gold(src, tgt, ar_spans, spans)
