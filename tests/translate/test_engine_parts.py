"""Batching, translation memory and model location, without a model."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mt.errors import ModelError, OutputError
from mt.translate import detect_kind, locate_model
from mt.translate.batching import make_batches
from mt.translate.memory import Stored, TranslationMemory, memory_key


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=300), max_size=60), st.integers(min_value=1, max_value=1000))
def test_batches_cover_every_item_once_within_the_budget(lengths, budget):
    batches = make_batches(lengths, budget, max_items=16)
    flat = [i for b in batches for i in b]
    assert sorted(flat) == list(range(len(lengths)))
    for batch in batches:
        assert len(batch) <= 16
        if len(batch) > 1:
            assert max(max(1, lengths[i]) for i in batch) * len(batch) <= budget


def test_batches_are_sorted_by_length():
    batches = make_batches([5, 50, 6, 49, 1], 100)
    assert batches[0][0] == 1  # the longest first
    lengths = [[5, 50, 6, 49, 1][i] for b in batches for i in b]
    assert lengths == sorted(lengths, reverse=True)


def test_memory_round_trip_and_counts(tmp_path):
    path = tmp_path / "tm.sqlite"
    memory = TranslationMemory(path)
    key = memory_key("m", "beam=4", "قال", ["الأسد\tAssad"])
    assert memory.lookup([key]) == {}
    memory.store({key: ("قال", Stored("said", ("forced",)))})
    memory.close()
    again = TranslationMemory(path)
    assert again.lookup([key, "other"]) == {key: Stored("said", ("forced",))}
    assert (again.hits, again.misses) == (1, 1)


@pytest.mark.parametrize(
    "change",
    [("m2", "beam=4", "قال", []), ("m", "beam=5", "قال", []), ("m", "beam=4", "قالت", []), ("m", "beam=4", "قال", ["x\ty"])],
)
def test_memory_key_depends_on_model_options_source_and_terms(change):
    assert memory_key(*change) != memory_key("m", "beam=4", "قال", [])


def test_memory_file_that_is_not_sqlite(tmp_path):
    path = tmp_path / "tm.sqlite"
    path.write_text("not a database " * 100)
    with pytest.raises(OutputError, match="tm.sqlite: cannot open the translation memory"):
        TranslationMemory(path)


def test_detect_kind(tmp_path):
    (tmp_path / "config.json").write_text(json.dumps({"model_type": "marian"}))
    assert detect_kind(tmp_path) is None
    (tmp_path / "model.safetensors").write_bytes(b"")
    assert detect_kind(tmp_path) == "transformers"
    ct2 = tmp_path / "ct2"
    ct2.mkdir()
    (ct2 / "config.json").write_text(json.dumps({"unk_token": "<unk>"}))
    (ct2 / "model.bin").write_bytes(b"")
    assert detect_kind(ct2) == "ctranslate2"


def test_locate_model_errors(tmp_path):
    with pytest.raises(ModelError, match="no such model directory"):
        locate_model(str(tmp_path / "missing"))
    with pytest.raises(ModelError, match="not a model directory"):
        locate_model(str(tmp_path))
    file = tmp_path / "f"
    file.write_text("x")
    with pytest.raises(ModelError, match="a model is a directory"):
        locate_model(str(file))


def test_hub_id_offline_is_explained(monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.raises(ModelError, match="could not be found locally or downloaded"):
        locate_model("Helsinki-NLP/opus-mt-ar-en-not-cached")


def _words(text: str):
    """Pieces as SentencePiece makes them: a word with the space before it."""
    import re

    from mt.translate.vocab import Encoded

    spans = [(max(0, m.start() - 1) if m.start() else 0, m.end()) for m in re.finditer(r"\S+", text)]
    return Encoded(pieces=tuple(text[a:b] for a, b in spans), spans=tuple(spans))


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.sampled_from(["قال", "بوتين،", "إن", "روسيا", "x" * 30, "و"]), min_size=1, max_size=300),
    st.integers(min_value=3, max_value=40),
)
def test_long_text_is_cut_into_parts_within_the_limit_never_inside_a_term(words, limit):
    from mt.translate.engine import TermRequest, _cut_points

    text = " ".join(words)
    terms = [TermRequest(m.start(), m.end(), m.group(0), "Russia", "روسيا") for m in __import__("re").finditer("إن روسيا", text)]
    points = _cut_points(text, _words(text), terms, limit)
    assert points == sorted(set(points)) and all(0 < p < len(text) for p in points)
    for a, b in zip([0, *points], [*points, len(text)]):
        assert len(text[a:b].split()) <= limit
    for t in terms:
        assert not any(t.start < p < t.end for p in points)


def test_a_very_long_line_is_cut_into_full_parts():
    """200,000 words, 200 per part: 1,000 parts (an earlier version
    re-encoded the rest of the text for every cut and never finished)."""
    from mt.translate.engine import _cut_points

    text = " ".join(["كلمة،"] * 200_000)
    points = _cut_points(text, _words(text), [], 200)
    assert len(points) == 999


# ---- keeping a splice without a second decode ------------------------------------

class _Scorer:
    """Scores of the free outputs, then of the spliced ones, as given."""

    def __init__(self, free, spliced):
        self.free, self.spliced, self.calls = free, spliced, 0

    def score(self, sources, targets):
        self.calls += 1
        half = len(targets) // 2
        return [self.free[i] for i in range(half)] + [self.spliced[i] for i in range(half)]


def _replacement_plan():
    from mt.translate.enforce import Constraint, plan_segment

    # "▁Sule imani ▁said ." with attention of "▁Sule imani" on the name: replaced in place
    pieces = ["▁Sule", "imani", "▁said", "."]
    attention = [[0.9, 0.05, 0.05], [0.9, 0.05, 0.05], [0.05, 0.9, 0.05], [0.05, 0.05, 0.9]]
    term = Constraint(en="Soleimani", pieces=("▁Sole", "imani"), src_from=0, src_to=1)
    return pieces, plan_segment(pieces, attention, [term], 3)


def test_a_replacement_is_kept_when_the_words_after_it_keep_their_likelihood():
    from mt.translate.backends import Hypothesis
    from mt.translate.engine import SPLICE_MARGIN, _keeps_likelihood, _score_splices

    pieces, plan = _replacement_plan()
    assert plan.replaces_only and plan.spliced == ("▁Sole", "imani", "▁said", ".")
    assert (plan.tail, plan.free_tail) == (2, 2)
    free = [(-3.0, -0.1, -0.5, -0.2, -0.1)]  # ▁Sule imani ▁said . </s>
    close = [(-6.0, -2.0, -0.6, -0.2, -0.1)]  # the name is less likely; what follows is not
    far = [(-6.0, -2.0, -0.5 - SPLICE_MARGIN, -0.3, -0.1)]  # what follows lost more than the margin
    for spliced, kept in [(close, True), (far, False)]:
        scores = _score_splices(_Scorer(free, spliced), [("a",)], [Hypothesis(tuple(pieces))], [plan])
        assert scores == {0: (free[0], spliced[0])}
        assert _keeps_likelihood(plan, *scores[0]) is kept


def test_a_sentence_with_an_inserted_term_takes_no_scoring_pass():
    """Only in-place replacements are scored: with a model that writes no
    names, nearly every sentence inserts, and scoring them all cost a third
    of the free pass for nothing (the worst case, docs/benchmarks.md)."""
    from mt.translate.backends import Hypothesis
    from mt.translate.enforce import Constraint, plan_segment
    from mt.translate.engine import _score_splices

    pieces = ["▁he", "▁said", "."]
    plan = plan_segment(pieces, None, [Constraint(en="Iran", pieces=("▁Iran",), src_from=0, src_to=1)], 3)
    assert plan.placements == ("inserted",)
    scorer = _Scorer([], [])
    assert _score_splices(scorer, [("a",)], [Hypothesis(tuple(pieces))], [plan]) == {}
    assert scorer.calls == 0


class _WordVocab:
    """One piece a word, as SentencePiece writes a word with its space."""

    @staticmethod
    def encode_source(text):
        return _words(text)

    @staticmethod
    def encode_target(text):
        return tuple("▁" + w for w in text.split())

    @staticmethod
    def decode_target(pieces):
        return "".join(pieces).replace("▁", " ").strip()

    @staticmethod
    def is_known(piece):
        return True


class _Rerenders:
    """A model that renders فايروس كورونا as "Fawser Rona" and, once
    "coronavirus" is forced in its place, would go on with "Rona" again."""

    vocab = _WordVocab()

    free = ("▁he", "▁fought", "▁Fawser", "▁Rona", "▁today", ".")

    def translate(self, sources, *, beam, max_length, min_length=0, prefixes=None, return_attention=False, until=None):
        from mt.translate.backends import Hypothesis

        peaks = [0, 1, 2, 3, 4, 5]  # each English word attends to its own source piece
        attention = tuple(tuple(0.9 if s == p else 0.1 / 6 for s in range(7)) for p in peaks)
        return [Hypothesis(self.free, attention)]

    def score(self, sources, targets):
        half = len(targets) // 2  # the free output likely, the spliced one not: decode on
        return [(-0.1,) * (len(t) + 1) for t in targets[:half]] + [(-5.0,) * (len(t) + 1) for t in targets[half:]]

    def next_pieces(self, sources, prefixes, k):
        return [["▁Rona", "▁today", "."] for _ in prefixes]


def test_decoding_on_after_a_replacement_does_not_begin_with_the_rendering_it_replaced():
    from mt.translate import DecodeOptions, EngineStats, TermRequest
    from mt.translate.engine import _free_pass, _Part
    from mt.translate.vocab import Encoded

    text = "a b c d e ."  # "c d" is the term's Arabic
    encoded = Encoded(("▁a", "▁b", "▁c", "▁d", "▁e", "▁."), ((0, 1), (2, 3), (4, 5), (6, 7), (8, 9), (10, 11)))
    term = TermRequest(4, 7, "c d", "coronavirus", "Q1")
    (draft,) = _free_pass(_Rerenders(), [_Part(text, (term,), encoded)], DecodeOptions(beam=4), EngineStats())
    assert draft.prefix == ("▁he", "▁fought", "▁coronavirus", "▁today")


class _EndsAfterTheTerm(_Rerenders):
    """A model whose likeliest piece after the forced term is ``</s>``."""

    def next_pieces(self, sources, prefixes, k):
        return [["</s>", "▁today", "."] for _ in prefixes]


@pytest.mark.parametrize("fixed_length,prefix", [(None, None), (12, ("▁he", "▁fought", "▁coronavirus", "▁today"))])
def test_a_sentence_ends_with_its_term_only_when_its_length_is_free(fixed_length, prefix):
    from mt.translate import DecodeOptions, EngineStats, TermRequest
    from mt.translate.engine import _free_pass, _Part
    from mt.translate.vocab import Encoded

    text = "a b c d e ."
    encoded = Encoded(("▁a", "▁b", "▁c", "▁d", "▁e", "▁."), ((0, 1), (2, 3), (4, 5), (6, 7), (8, 9), (10, 11)))
    term = TermRequest(4, 7, "c d", "coronavirus", "Q1")
    options = DecodeOptions(beam=4, fixed_length=fixed_length)
    (draft,) = _free_pass(_EndsAfterTheTerm(), [_Part(text, (term,), encoded)], options, EngineStats())
    assert draft.prefix == prefix
    if prefix is None:  # </s> right after the term
        assert draft.pieces == ("▁he", "▁fought", "▁coronavirus")


class _WritesAgain(_Rerenders):
    """Decoding on from the forced prefix writes ``after`` after it."""

    def __init__(self, after):
        self.after = tuple(after)

    def translate(self, sources, *, beam, max_length, min_length=0, prefixes=None, return_attention=False, until=None):
        from mt.translate.backends import Hypothesis

        if prefixes:
            return [Hypothesis((*p, *self.after)) for p in prefixes]
        return super().translate(sources, beam=beam, max_length=max_length, prefixes=prefixes, return_attention=return_attention)


@pytest.mark.parametrize(
    "after,restored",
    [
        (("▁Ro", "na", "."), True),  # "Rona" again, spelt with other pieces than the free output's
        (("▁and", "▁more", "."), False),  # "and" is what a clitic becomes, in any sentence: kept
        (("▁again", "."), False),
    ],
)
def test_a_continuation_that_writes_a_replaced_word_again_gives_way_to_the_splice(after, restored):
    """"coronavirus" replaced "Fawser Rona", and the scoring pass sent the
    sentence on to be decoded: a decoder that had not taken the name as
    rendered writes "Rona" again, a duplicate.  The splice stands instead:
    the free output with the term in place."""
    from mt.translate import DecodeOptions, EngineStats, TermRequest
    from mt.translate.engine import _constrained_pass, _free_pass, _Part
    from mt.translate.vocab import Encoded

    text = "a b c d e ."
    encoded = Encoded(("▁a", "▁b", "▁c", "▁d", "▁e", "▁."), ((0, 1), (2, 3), (4, 5), (6, 7), (8, 9), (10, 11)))
    term = TermRequest(4, 7, "c d", "coronavirus", "Q1")
    backend, options, stats = _WritesAgain(after), DecodeOptions(beam=4), EngineStats()
    (draft,) = _free_pass(backend, [_Part(text, (term,), encoded)], options, stats)
    (done,) = _constrained_pass(backend, [draft], options, stats)
    spliced = ("▁he", "▁fought", "▁coronavirus", "▁today", ".")
    assert (done.pieces == spliced) == restored
    assert done.pieces == (spliced if restored else (*draft.prefix, *after))
    assert stats.splices_restored == restored


def test_decoding_on_is_bounded_by_what_the_free_output_wrote_after_the_term():
    """The free output wrote two pieces after the term's words: decoding on
    may write about twice that plus ``length_extra``, not up to the
    sentence's own limit, where a looping decoder would run."""
    from mt.translate import DecodeOptions, EngineStats, TermRequest
    from mt.translate.engine import _free_pass, _Part
    from mt.translate.vocab import Encoded

    text = "a b c d e ."
    encoded = Encoded(("▁a", "▁b", "▁c", "▁d", "▁e", "▁."), ((0, 1), (2, 3), (4, 5), (6, 7), (8, 9), (10, 11)))
    term = TermRequest(4, 7, "c d", "coronavirus", "Q1")
    options = DecodeOptions(beam=4, length_extra=10)
    (draft,) = _free_pass(_Rerenders(), [_Part(text, (term,), encoded)], options, EngineStats())
    rest = 2  # "▁today ." after "Fawser Rona"
    assert len(draft.prefix) + 2 * (rest + 1) + 10 <= draft.limit < options.max_length(len(encoded.pieces))
    assert draft.limit % 16 == 0  # a bucket: beam continuations pool by limit


def _insertion_plan():
    from mt.translate.enforce import Constraint, plan_segment

    # "▁he ▁said ▁it ." with "Iran" inserted first: prefix "▁Iran", free output resumes at "▁he"
    pieces = ["▁he", "▁said", "▁it", "."]
    plan = plan_segment(pieces, None, [Constraint(en="Iran", pieces=("▁Iran",), src_from=0, src_to=1)], 4)
    assert plan.prefix == ("▁Iran",) and plan.spliced == ("▁Iran", "▁he", "▁said", "▁it", ".") and plan.resume == 0
    return pieces, plan


@pytest.mark.parametrize(
    "boundary,next_logprob,expected",
    [
        ("▁he", -0.1, ("▁Iran", "▁he", "▁said", "▁it", ".")),  # certain, and rejoins: the free rest follows
        ("▁he", -0.8, None),  # the next piece is not certain: decode on
        ("▁she", -0.1, None),  # the boundary piece is not the spliced output's: its scores say nothing
    ],
)
def test_a_continuation_is_read_from_the_scores_only_when_greedy_search_must_write_it(boundary, next_logprob, expected):
    from mt.translate.engine import DecodeOptions, _known_continuation

    pieces, plan = _insertion_plan()
    scores = (-1.0, -0.5, next_logprob, -1.0, -1.0, -1.0)  # ▁Iran ▁he ▁said ▁it . </s>
    assert _known_continuation(plan, tuple(pieces), boundary, scores, DecodeOptions()) == expected


def test_a_continuation_that_ends_the_sentence_is_read_from_the_scores_unless_the_length_is_fixed():
    from mt.translate.enforce import Constraint, plan_segment
    from mt.translate.engine import DecodeOptions, _known_continuation

    pieces = ["▁he", "▁met", "."]
    attention = [[0.9, 0.05, 0.05], [0.05, 0.9, 0.05], [0.05, 0.05, 0.9]]
    plan = plan_segment(pieces, attention, [Constraint(en="Assad", pieces=("▁Assad",), src_from=1, src_to=2)], 3)
    assert plan.prefix == ("▁he", "▁Assad") and plan.spliced == ("▁he", "▁Assad", ".")
    scores = (-0.1, -3.0, -0.2, -0.05)  # ▁he ▁Assad . </s>
    assert _known_continuation(plan, tuple(pieces), ".", scores, DecodeOptions()) == ("▁he", "▁Assad", ".")
    assert _known_continuation(plan, tuple(pieces), ".", scores, DecodeOptions(fixed_length=8)) is None


# ---- decoding on after forced terms until the free output is found again ----

def test_rejoin_point_is_the_first_place_the_continuation_meets_the_free_output_after_the_term():
    from mt.translate.enforce import rejoin_point

    free = ["▁Sule", "imani", "▁said", "▁on", "▁Monday", "▁that", "▁he", "▁said"]
    # free[2:] followed the name; "▁on ▁Monday" is free[3:5]
    assert rejoin_point(["▁told", "▁on", "▁Monday"], free, resume=2) == 4
    assert rejoin_point(["▁told", "▁reporters"], free, resume=2) is None
    assert rejoin_point(["▁on"], free, resume=2) is None  # one piece is not enough
    # only what came after the term counts: "▁Sule imani" is before ``resume``
    assert rejoin_point(["▁Sule", "imani"], free, resume=2) is None
    assert rejoin_point(["▁he", "▁said"], free, resume=2) == 7
    assert rejoin_point(["▁x", "▁said"], free, resume=2, width=1) == 2  # the first such place


class _Greedy:
    """A backend whose greedy decoder writes scripted pieces after each
    prefix, asking each sentence's stop after every piece as a backend must."""

    vocab = _WordVocab()

    def __init__(self, scripts):
        self.scripts, self.calls = scripts, []

    def translate(self, sources, *, beam, max_length, min_length=0, prefixes=None, return_attention=False, until=None):
        from mt.translate.backends import Hypothesis

        self.calls.append({"beam": beam, "until": until is not None})
        out = []
        for i, prefix in enumerate(prefixes):
            pieces = list(prefix)
            for piece in self.scripts[i]:
                if len(pieces) >= max_length:
                    break
                pieces.append(piece)
                if until and until[i](tuple(pieces)):
                    break
            out.append(Hypothesis(tuple(pieces)))
        return out


def _drafts():
    from mt.translate.engine import _Draft, _Part
    from mt.translate.vocab import Encoded

    part = _Part("نص", (), Encoded(("▁a",), ((0, 2),)))
    free = ("▁Sule", "imani", "▁said", "▁on", "▁Monday", "▁that", "▁talks", "▁failed", ".")
    prefix = ("▁Sole", "imani", "▁said")  # the term, then the piece chosen after it
    return free, [
        _Draft(part, (), ("forced",), free, prefix, limit=40, resume=2),
        _Draft(part, (), ("forced",), free, prefix, limit=40, resume=2),
    ]


def test_a_continuation_that_rejoins_the_free_output_stops_there_and_keeps_the_rest():
    from mt.translate import DecodeOptions, EngineStats
    from mt.translate.engine import _constrained_pass

    free, drafts = _drafts()
    # the first sentence finds "▁on ▁Monday" again; the second never does
    backend = _Greedy([["▁on", "▁Monday", "▁ZZZ", "▁ZZZ"], ["▁today", "▁in", "▁Cairo", "."]])
    stats = EngineStats()
    first, second = _constrained_pass(backend, drafts, DecodeOptions(beam=4), stats)
    assert backend.calls == [{"beam": 1, "until": True}]  # greedy, with a stop per sentence
    assert first.pieces == ("▁Sole", "imani", "▁said", "▁on", "▁Monday", "▁that", "▁talks", "▁failed", ".")
    assert second.pieces == ("▁Sole", "imani", "▁said", "▁today", "▁in", "▁Cairo", ".")
    assert stats.rejoined == 1
    assert first.prefix is second.prefix is None


@pytest.mark.parametrize("continuation, beam, stops", [("beam", 4, False), ("greedy", 1, True)])
def test_the_other_continuations_decode_to_the_end(continuation, beam, stops):
    from mt.translate import DecodeOptions, EngineStats
    from mt.translate.engine import _constrained_pass

    _, drafts = _drafts()
    backend = _Greedy([["▁on", "▁Monday", "▁ZZZ"], ["▁on", "▁Monday"]])
    stats = EngineStats()
    first, _ = _constrained_pass(backend, drafts, DecodeOptions(beam=4, continuation=continuation), stats)
    # greedy stops each sentence at its own limit; beam search decodes to the batch's
    assert backend.calls == [{"beam": beam, "until": stops}]
    assert first.pieces == ("▁Sole", "imani", "▁said", "▁on", "▁Monday", "▁ZZZ")
    assert stats.rejoined == 0


@pytest.mark.parametrize("continuation", ["rejoin", "greedy"])
def test_greedy_continuations_of_different_limits_decode_together_each_to_its_own_limit(continuation):
    """A greedy continuation stops each sentence at its own output limit, so
    sentences of different limits share one batch and each ends as it would
    alone."""
    from mt.translate import DecodeOptions, EngineStats
    from mt.translate.engine import _constrained_pass

    _, drafts = _drafts()
    drafts = [replace(drafts[0], limit=5), replace(drafts[1], limit=8)]
    never_rejoins = ["▁a", "▁b", "▁c", "▁d", "▁e", "▁f", "▁g"]
    backend = _Greedy([never_rejoins, never_rejoins])
    short, longer = _constrained_pass(backend, drafts, DecodeOptions(beam=4, continuation=continuation), EngineStats())
    assert len(backend.calls) == 1
    assert short.pieces == ("▁Sole", "imani", "▁said", "▁a", "▁b")
    assert longer.pieces == ("▁Sole", "imani", "▁said", "▁a", "▁b", "▁c", "▁d", "▁e")


def test_a_beam_continuation_refuses_drafts_of_different_limits():
    from mt.translate import DecodeOptions, EngineStats
    from mt.translate.engine import _constrained_pass

    _, drafts = _drafts()
    drafts = [replace(drafts[0], limit=5), drafts[1]]
    with pytest.raises(ValueError, match="one output limit"):
        _constrained_pass(_Greedy([[], []]), drafts, DecodeOptions(beam=4, continuation="beam"), EngineStats())


def test_an_unknown_continuation_is_refused():
    from mt.translate import DecodeOptions

    with pytest.raises(ValueError, match="continuation must be one of rejoin, greedy, beam"):
        DecodeOptions(continuation="sideways")


# ---- a continuation that writes a forced term again -------------------------------

class _StopsHalfway:
    """A model that, as CTranslate2 int8 on an AVX2 CPU did with the trained
    test model, ends its free output before the second half of the sentence
    and, decoding on from the forced prefix, translates that half after all,
    its name included: "Russia" then comes after the one already inserted."""

    name, identity, vocab = "scripted", "scripted", _WordVocab()
    free = ("▁Iran", "▁and", "▁Iraq", "▁met", ":")
    after = ("▁Syria", "▁and", "▁Russia", ".")  # after the boundary piece "▁in"

    def translate(self, sources, *, beam, max_length, min_length=0, prefixes=None, return_attention=False, until=None):
        from mt.translate.backends import Hypothesis

        if prefixes:
            return [Hypothesis(tuple(p or ()) + self.after) for p in prefixes]
        # flat attention: a missing term goes where its Arabic begins in the source
        return [Hypothesis(self.free, tuple((1 / (len(s) + 1),) * (len(s) + 1) for _ in self.free)) for s in sources]

    def next_pieces(self, sources, prefixes, k):
        return [["▁in", "."] for _ in prefixes]

    def score(self, sources, targets):
        return [(-1.0,) * (len(t) + 1) for t in targets]

    def attend(self, sources, targets):
        return [() for _ in targets]


def test_a_continuation_never_writes_a_term_more_often_than_the_source_asks():
    """The free output stops before روسيا; the term "Russia" is inserted, and
    decoding on writes it again where the model reaches it: the English had
    "Russia" twice for one روسيا (issue 31).  The splice stands instead: the
    free output with the term in, once."""
    from mt.glossary import find_terms
    from mt.translate import DecodeOptions, EngineStats, TermRequest, translate_texts

    text = "إيران والعراق اجتمعا: في سوريا وروسيا ."
    start = text.index("روسيا")
    term = TermRequest(start - 1, start + len("روسيا"), "وروسيا", "Russia", "Q159", clitic="و")
    stats = EngineStats()
    (result,) = translate_texts(_StopsHalfway(), [text], [[term]], options=DecodeOptions(beam=4), stats=stats)
    assert len(find_terms(result.target, ["Russia"])["Russia"]) == 1, result.target
    assert result.statuses == ("forced",)
    assert result.target == "Iran and Iraq Russia met:"
    assert stats.splices_restored == 1
