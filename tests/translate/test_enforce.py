"""Enforcement planning on hand-made pieces and attention (no model)."""

from __future__ import annotations

import pytest

from mt.glossary import find_terms
from mt.translate.enforce import (
    Constraint,
    boundary_piece,
    continues_word,
    detokenize,
    final_statuses,
    own_rendering,
    plan_segment,
    writes_again,
)


def _c(en: str, pieces: tuple[str, ...], src: tuple[int, int]) -> Constraint:
    return Constraint(en=en, pieces=pieces, src_from=src[0], src_to=src[1])


ASSAD = _c("Assad", ("▁Assad",), (3, 4))
PUTIN = _c("Vladimir Putin", ("▁Vladimir", "▁Put", "in"), (1, 3))


def _attention(rows: int, cols: int, peaks: dict[int, int]) -> list[list[float]]:
    """Flat attention except target rows peaking on one source column."""
    matrix = []
    for t in range(rows):
        row = [1.0 / cols] * cols
        if t in peaks:
            row = [0.02] * cols
            row[peaks[t]] = 1.0 - 0.02 * (cols - 1)
        matrix.append(row)
    return matrix


def test_detokenize_maps_characters_to_pieces():
    text, owner = detokenize(["▁He", "▁said", "'s", "."])
    assert text == "He said's."
    assert owner[text.index("said")] == 1
    assert owner[-1] == 3


@pytest.mark.parametrize(
    "text,forms,expected",
    [
        ("Bashar al-Assad met Assad's aide", ["Assad", "Bashar al-Assad"], {"Bashar al-Assad": [(0, 15)], "Assad": [(20, 25)]}),
        ("the Assadist view", ["Assad"], {"Assad": []}),
        ("Assad-led forces", ["Assad"], {"Assad": [(0, 5)]}),
        ("kremlin walls; the Kremlin", ["Kremlin"], {"Kremlin": [(19, 26)]}),
        ("Kremlin said", ["kremlin"], {"kremlin": [(0, 7)]}),  # sentence-initial capital
        ("Iran and Iran", ["Iran"], {"Iran": [(0, 4), (9, 13)]}),
    ],
)
def test_find_terms(text, forms, expected):
    assert find_terms(text, forms) == expected


def test_no_constraints_no_plan():
    plan = plan_segment(["▁a", "▁b"], None, [], 5)
    assert plan.prefix is None and plan.statuses == ()


def test_a_term_the_model_wrote_is_produced_and_not_forced_again():
    pieces = ["▁He", "▁met", "▁Assad", "▁today", "."]
    plan = plan_segment(pieces, _attention(5, 6, {}), [ASSAD], 6)
    assert plan.statuses == ("produced",)
    assert plan.prefix is None


def test_a_missing_term_replaces_the_words_attending_to_it():
    # "As", "ad" attend to source piece 3 (the Arabic term): the model's own
    # rendering of the name is replaced, not duplicated.
    pieces = ["▁He", "▁met", "▁As", "ad", "▁today", "."]
    attention = _attention(6, 6, {2: 3, 3: 3})
    plan = plan_segment(pieces, attention, [ASSAD], 6)
    assert plan.statuses == ("forced",)
    assert plan.prefix == ("▁He", "▁met", "▁Assad")


def test_a_word_that_only_ends_looking_at_the_name_is_not_replaced():
    # "tqwdh Rossia" (تقوده روسيا): the last piece of "tqwdh" already looks
    # at the name, as decoders do at a word's end; only "Rossia" is the
    # model's rendering of it, and "tqwdh" stays.
    pieces = ["▁t", "q", "wd", "h", "▁Ro", "ssia", "▁today"]
    attention = _attention(7, 6, {0: 1, 1: 1, 2: 1, 3: 3, 4: 3, 5: 3, 6: 4})
    plan = plan_segment(pieces, attention, [_c("Russia", ("▁Russia",), (3, 4))], 6)
    assert plan.placements == ("replaced",)
    assert plan.spliced == ("▁t", "q", "wd", "h", "▁Russia", "▁today")


@pytest.mark.parametrize(
    "clitic,words,spliced",
    [
        ("و", ["and"], ["and", "Russia"]),
        ("وب", ["and", "in"], ["and", "in", "Russia"]),
        ("", ["and"], ["Russia"]),  # no clitic: "and" is part of the model's rendering
    ],
)
def test_the_words_a_clitic_became_stay_before_the_term(clitic, words, spliced):
    # وروسيا is "and Russia": every word of it attends to the one source
    # word (column 3), and the term replaces the name, not the "and".
    free = ["▁Iran", "▁met", *(f"▁{w}" for w in words), "▁Rus", "ia", "▁today", "."]
    n = len(free)
    peaks = {0: 0, 1: 1, n - 2: 5, n - 1: 6} | {t: 3 for t in range(2, n - 2)}
    plan = plan_segment(free, _attention(n, 7, peaks), [Constraint("Russia", ("▁Russia",), 3, 4, clitic=clitic)], 7)
    assert plan.placements == ("replaced",)
    assert plan.spliced == ("▁Iran", "▁met", *(f"▁{w}" for w in spliced), "▁today", ".")


def test_a_clitic_rendering_alone_gets_the_term_after_it():
    # The model wrote only "and" for وروسيا: the term goes in after it.
    free = ["▁Iran", "▁met", "▁and", "▁today", "."]
    attention = _attention(5, 7, {0: 0, 1: 1, 2: 3, 3: 5, 4: 6})
    plan = plan_segment(free, attention, [Constraint("Russia", ("▁Russia",), 3, 4, clitic="و")], 7)
    assert plan.placements == ("inserted",)
    assert plan.spliced == ("▁Iran", "▁met", "▁and", "▁Russia", "▁today", ".")


def test_punctuation_after_the_models_rendering_stays():
    # "Rossia." ends the sentence: the term takes the name's place, not the full stop's.
    free = ["▁in", "▁Ro", "ssia", "."]
    attention = _attention(4, 4, {0: 0, 1: 1, 2: 1, 3: 3})
    plan = plan_segment(free, attention, [_c("Russia", ("▁Russia",), (1, 2))], 4)
    assert plan.spliced == ("▁in", "▁Russia", ".")


def test_a_term_is_inserted_before_the_word_attending_most_when_nothing_aligns():
    pieces = ["▁He", "▁met", "▁the", "▁leader", "."]
    # Every row looks mostly elsewhere; "leader" gives the term (column 4)
    # the most attention without peaking on it.
    attention = [[0.5, 0.2, 0.2, 0.06, 0.02, 0.02] for _ in pieces]
    attention[3] = [0.1, 0.05, 0.05, 0.45, 0.3, 0.05]
    plan = plan_segment(pieces, attention, [_c("Assad", ("▁Assad",), (4, 5))], 6)
    assert plan.statuses == ("forced",)
    assert plan.prefix == ("▁He", "▁met", "▁the", "▁Assad")


def test_flat_attention_places_terms_in_source_order_proportionally():
    pieces = ["▁a", "▁b", "▁c", "▁d", "▁e", "▁f", "▁g", "▁h"]
    first = _c("Iran", ("▁Iran",), (0, 1))
    last = _c("Russia", ("▁Russia",), (7, 8))
    plan = plan_segment(pieces, _attention(8, 8, {}), [first, last], 8)
    assert plan.statuses == ("forced", "forced")
    assert plan.prefix[0] == "▁Iran"  # a term at the start of the sentence
    assert plan.prefix[-1] == "▁Russia"
    assert plan.prefix.index("▁Iran") < plan.prefix.index("▁Russia")


def test_repeated_terms_need_as_many_occurrences():
    pieces = ["▁Iran", "▁and", "▁its", "▁allies", "."]
    twice = [_c("Iran", ("▁Iran",), (0, 1)), _c("Iran", ("▁Iran",), (5, 6))]
    plan = plan_segment(pieces, _attention(5, 8, {}), twice, 8)
    assert plan.statuses == ("produced", "forced")
    text, _ = detokenize(plan.prefix)
    assert text.count("Iran") == 2


def test_multi_piece_term_is_forced_whole_and_prefix_keeps_a_later_produced_term():
    pieces = ["▁The", "▁president", "▁spoke", "▁to", "▁Assad", "."]
    plan = plan_segment(pieces, _attention(6, 6, {}), [PUTIN, ASSAD], 6)
    assert plan.statuses == ("forced", "produced")
    text, _ = detokenize(plan.prefix)
    assert "Vladimir Putin" in text and text.endswith("Assad")


def test_longer_form_is_not_counted_for_the_shorter_one():
    pieces = ["▁Bashar", "▁al", "-", "Assad", "▁spoke", "."]
    both = [_c("Bashar al-Assad", ("▁Bashar", "▁al", "-", "Assad"), (0, 2)), _c("Assad", ("▁Assad",), (4, 5))]
    plan = plan_segment(pieces, _attention(6, 6, {}), both, 6)
    assert plan.statuses == ("produced", "forced")


def test_unspellable_term_is_reported_missing_not_forced():
    odd = Constraint(en="Ωmega", pieces=("▁", "<unk>"), src_from=0, src_to=1, spellable=False)
    plan = plan_segment(["▁a", "."], None, [odd], 3)
    assert plan.statuses == ("missing",) and plan.prefix is None


@pytest.mark.parametrize(
    "piece,glues",
    [("n", True), ("7", True), ("_", True), ("ة", True), ("▁and", False), ("'s", False), (".", False), ("-", False), ("", False)],
)
def test_continues_word(piece, glues):
    assert continues_word(piece) is glues


def test_boundary_piece_prefers_the_likeliest_piece_that_ends_the_word():
    class Vocab:
        def is_known(self, piece):
            return True

    assert boundary_piece(["n", "ian", "'s", "▁said"], Vocab()) == "'s"
    assert boundary_piece(["n", "ian"], Vocab()) == "▁"


def test_the_piece_after_a_term_does_not_begin_again_a_word_the_term_replaced():
    class Vocab:
        def is_known(self, piece):
            return True

    # "Fawser Rona" became "coronavirus": after it, "▁Rona" would write the name twice
    assert boundary_piece(["▁Rona", "ia", "▁today"], Vocab(), avoid=("▁Fawser", "▁Rona")) == "▁today"
    assert boundary_piece(["▁Rona", "▁today"], Vocab()) == "▁Rona"


def test_the_piece_after_a_term_does_not_begin_a_replaced_word_spelt_with_other_pieces():
    class Vocab:
        def is_known(self, piece):
            return True

    # "Mediterranean" replaced "albhrb alasaby almtwst" (the trained model's
    # rendering of البحر الأبيض المتوسط): "▁alm" + "t" + "w" + "st" would
    # write "almtwst" again, though its first piece was "▁almt".
    words = ("▁albhrb", "▁alasaby", "▁almtwst")
    assert boundary_piece(["▁almt", "▁alm", "▁al", "▁alt", "▁br"], Vocab(), avoid=words) == "▁alt"
    assert boundary_piece(["▁", "▁br"], Vocab(), avoid=("▁", *words)) == "▁"  # the bare word start begins no word
    assert boundary_piece(["</s>", "▁br"], Vocab(), avoid=("</s>",)) == "▁br"


def test_a_word_whose_attention_runs_ahead_over_the_name_is_replaced():
    # "▁ iy ran" for إيران (source pieces 3-4): "iy" gives the name more
    # than half its attention but peaks on the next source piece, as the
    # trained model does on a long sentence; the word is still the name's.
    pieces = ["▁He", "▁met", "▁", "iy", "ran", "▁today", "."]
    attention = _attention(7, 8, {0: 0, 1: 1, 2: 3, 4: 6, 5: 6, 6: 7})
    attention[3] = [0.02, 0.02, 0.02, 0.3, 0.25, 0.35, 0.02, 0.02]
    plan = plan_segment(pieces, attention, [_c("Iran", ("▁Iran",), (3, 5))], 8)
    assert plan.placements == ("replaced",)
    assert plan.spliced == ("▁He", "▁met", "▁Iran", "▁today", ".")


def test_a_term_covering_most_of_the_source_takes_only_the_words_that_peak_on_it():
    # The term covers 3 of 4 source pieces: every row holds more than half
    # its attention there by breadth alone, and only "▁X" peaks on it.
    pieces = ["▁X", "▁a", "▁b", "▁c", "▁d", "▁e", "▁f", "▁g"]
    attention = [[0.97, 0.01, 0.01, 0.01]] + [[0.15, 0.15, 0.25, 0.45] for _ in pieces[1:]]
    plan = plan_segment(pieces, attention, [_c("Assad", ("▁Assad",), (0, 3))], 4)
    assert plan.spliced == ("▁Assad", "▁a", "▁b", "▁c", "▁d", "▁e", "▁f", "▁g")


def test_the_plan_names_the_words_its_last_term_replaced():
    pieces = ["▁He", "▁met", "▁As", "ad", "▁today", "."]
    replaced = plan_segment(pieces, _attention(6, 6, {2: 3, 3: 3}), [ASSAD], 6)
    assert replaced.placements == ("replaced",) and replaced.replaced == ("▁Asad",)
    inserted = plan_segment(pieces, None, [ASSAD], 6)
    assert inserted.placements == ("inserted",) and inserted.replaced == ()
    # neither the bare word start nor the piece the free output went on with
    pieces = ["▁He", "▁met", "▁", "As", "▁As", "ad", "▁As", "ked", "."]
    plan = plan_segment(pieces, _attention(9, 6, {2: 3, 3: 3, 4: 3, 5: 3}), [ASSAD], 6)
    assert plan.spliced[:3] == ("▁He", "▁met", "▁Assad") and plan.replaced == ()


def test_final_statuses_report_a_term_lost_after_the_prefix():
    assert final_statuses("Iran said", [_c("Iran", ("▁Iran",), (0, 1))], ("forced",)) == ("forced",)
    assert final_statuses("Iranian", [_c("Iran", ("▁Iran",), (0, 1))], ("forced",)) == ("missing",)


# ---- the splice keeps every forced term a whole word (property) ----------------

# Pieces as a real vocabulary has them: word starts, pieces that continue a
# word ("increase" without ▁: the regression of "Shamkhani" + "increase"),
# punctuation, the bare word-start piece, and Arabic-script leftovers.
_PIECES = ["▁the", "▁of", "increase", "s", "n", "ian", "▁al", "-", "Assad", "'s", ",", ".", "▁", "7", "ة", "▁Iran"]
_TERMS = [
    _c("Shamkhani", ("▁Sham", "khani"), (0, 1)),
    _c("Iran", ("▁Iran",), (1, 2)),
    _c("Sergei Lavrov", ("▁Sergei", "▁Lav", "rov"), (2, 4)),
    _c("Damascus", ("▁Damascus",), (4, 5)),
]


class _AllKnown:
    def is_known(self, piece):
        return True


def _splice_cases():
    from hypothesis import strategies as st

    @st.composite
    def case(draw):
        n_source = draw(st.integers(min_value=5, max_value=9))
        pieces = draw(st.lists(st.sampled_from(_PIECES), min_size=0, max_size=12))
        terms = draw(st.lists(st.sampled_from(_TERMS), min_size=1, max_size=4))
        terms = [
            Constraint(en=t.en, pieces=t.pieces, src_from=s, src_to=s + 1)
            for t, s in zip(terms, draw(st.lists(st.integers(0, n_source - 1), min_size=len(terms), max_size=len(terms))))
        ]
        attention = None
        if pieces and draw(st.booleans()):
            peaks = draw(st.dictionaries(st.integers(0, len(pieces) - 1), st.integers(0, n_source - 1)))
            attention = _attention(len(pieces), n_source, peaks)
        after = draw(st.lists(st.sampled_from(_PIECES), max_size=3))  # what the decoder writes next
        candidates = draw(st.lists(st.sampled_from(_PIECES), min_size=1, max_size=4))
        return pieces, attention, terms, n_source, candidates, after

    return case()


def test_every_forced_term_is_a_whole_word_of_the_final_english():
    from hypothesis import given, settings

    @settings(max_examples=400, deadline=None)
    @given(_splice_cases())
    def check(case):
        pieces, attention, terms, n_source, candidates, after = case
        plan = plan_segment(pieces, attention, terms, n_source)
        if plan.prefix is None:
            final = list(pieces)
        else:  # the engine's continuation: a piece that ends the word, then anything
            final = [*plan.prefix, boundary_piece(candidates, _AllKnown()), *after]
        text, _ = detokenize(final)
        assert final_statuses(text, terms, plan.statuses) == plan.statuses, (text, plan)

    check()


class _Knows:
    def __init__(self, *known):
        self.known = set(known)

    def is_known(self, piece):
        return piece in self.known


SHAMKHANI = _c("Shamkhani", ("▁Sham", "khani"), (0, 1))


@pytest.mark.parametrize(
    "vocab,prefix",
    [
        (None, ("▁Sham", "khani", "▁increase", "▁Sham", "khani")),  # its word-start form
        (_Knows("▁"), ("▁Sham", "khani", "▁", "increase", "▁Sham", "khani")),  # after a bare ▁
        (_Knows(), ("▁Sham", "khani", "▁Sham", "khani")),  # neither: that word is left out
    ],
)
def test_a_piece_that_would_glue_onto_a_term_is_written_as_a_word_start(vocab, prefix):
    """Regression: "Shamkhani" + "increase" came out "Shamkhaniincrease"."""
    twice = [SHAMKHANI, _c("Shamkhani", ("▁Sham", "khani"), (3, 4))]
    plan = plan_segment(["increase", "▁the"], None, twice, 5, vocab)
    assert plan.prefix == prefix
    text, _ = detokenize(plan.prefix)
    assert final_statuses(text, twice, plan.statuses) == ("forced", "forced")


def test_only_the_names_own_rendering_counts_as_written_again():
    """After "coronavirus" replaced "Fawser as and Rona", a continuation that
    writes "Rona" again, in whatever pieces and with a stop after it, has
    written the name's rendering twice.  "and" (what و becomes) and "the",
    which the free output writes elsewhere too, are words any sentence
    writes again."""
    free = ("▁the", "▁war", "▁on", "▁the", "▁Faw", "ser", "▁as", "▁and", "▁Rona", ".")
    rendering = own_rendering(("▁the", "▁Fawser", "▁as", "▁and", "▁Rona"), free)
    assert rendering == ("Fawser", "Rona")
    assert writes_again(("▁Ro", "na", "."), rendering)
    assert writes_again(("▁today", "▁Fawser,"), rendering)
    assert not writes_again(("▁and", "▁the", "▁as", "▁Ronaldo"), rendering)
    assert own_rendering(("▁Rona",), ("▁Rona", "▁and", "▁Rona")) == ()  # the free output writes it twice itself
