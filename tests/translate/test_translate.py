"""The translation engine with glossary enforcement, on the tiny random model.

Random weights never write a name by chance (the tiny vocabulary spells Latin
letter by letter), so every glossary term in the output was put there by
enforcement.
"""

from __future__ import annotations

import logging
import re

import pytest

from mt.glossary import find_terms
from mt.text import Article
from mt.translate import (
    DecodeOptions,
    RunSettings,
    TermRequest,
    TranslationMemory,
    load_backend,
    translate_article,
    translate_texts,
)

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module", params=["transformers", "ctranslate2"])
def backend(request, tiny_model, tiny_ct2_int8):
    model = tiny_model if request.param == "transformers" else tiny_ct2_int8
    return load_backend(str(model), request.param)


def _articles(seed_paths):
    return [Article(path=p, doc=p.stem, text=p.read_text(encoding="utf-8")) for p in seed_paths]


def _assert_terms_in_target(pair):
    """Each term of the pair occurs in the English as often as in the source."""
    forms = [t.en for t in pair.terms]
    found = find_terms(pair.target, forms)
    for form in set(forms):
        assert len(found[form]) >= forms.count(form), (form, pair.target)


@pytest.mark.parametrize("beam", [1, 4])
def test_every_matched_term_is_in_the_english(backend, beam, seed_paths, house_glossary):
    settings = RunSettings("tiny", backend, DecodeOptions(beam=beam, length_ratio=1.2), house_glossary)
    total = 0
    for article in _articles(seed_paths):
        document = translate_article(article, settings)
        for pair in document.pairs:
            total += len(pair.terms)
            assert all(t.status in ("produced", "forced") for t in pair.terms), pair
            _assert_terms_in_target(pair)
            assert article.text[pair.source_start : pair.source_end] == pair.source
            for term in pair.terms:
                assert article.text[term.start : term.end] == term.source
    assert total >= 250  # the seeds hold about 300 matches


def test_no_glossary_term_where_none_matched(backend, seed_paths, house_glossary):
    forms = sorted({e.en for e in house_glossary})
    settings = RunSettings("tiny", backend, DecodeOptions(beam=2, length_ratio=1.2), house_glossary)
    checked = 0
    for article in _articles(seed_paths):
        for pair in translate_article(article, settings).pairs:
            if pair.terms or pair.target == pair.source:  # copied English captions hold names
                continue
            checked += 1
            found = {f: s for f, s in find_terms(pair.target, forms).items() if s}
            assert not found, (pair.source, pair.target, found)
    assert checked >= 5


def test_segments_without_matches_decode_exactly_as_without_a_glossary(backend, seed_paths, house_glossary):
    options = DecodeOptions(beam=2, length_ratio=1.2)
    article = _articles(seed_paths)[3]
    plain = translate_article(article, RunSettings("tiny", backend, options, None))
    enforced = translate_article(article, RunSettings("tiny", backend, options, house_glossary))
    unmatched = [(a, b) for a, b in zip(plain.pairs, enforced.pairs) if not b.terms]
    assert unmatched
    assert all(a.target == b.target for a, b in unmatched)
    assert any(a.target != b.target for a, b in zip(plain.pairs, enforced.pairs) if b.terms)


@pytest.mark.parametrize(
    "text,expected",
    [
        ("بوتين يلتقي روحاني في موسكو", ["Putin", "Rouhani", "Moscow"]),  # a term at the start
        ("روسيا وإيران تحالفتا، وروسيا ترفض", ["Russia", "Iran", "Russia"]),  # a repeated term
        ("قال فلاديمير بوتين إن بشار الأسد باق", ["Vladimir Putin", "Bashar al-Assad"]),  # multi-piece terms
    ],
)
@pytest.mark.parametrize("beam", [1, 3])
def test_start_repeated_and_multi_piece_terms(backend, house_glossary, text, expected, beam):
    matches = house_glossary.match(text)
    assert [m.entry.en for m in matches] == expected
    requests = [TermRequest.from_match(m) for m in matches]
    [result] = translate_texts(backend, [text], [requests], options=DecodeOptions(beam=beam, length_ratio=1.0))
    assert result.statuses == ("forced",) * len(expected)
    found = find_terms(result.target, expected)
    for form in set(expected):
        assert len(found[form]) == expected.count(form), result.target
    if text.startswith("بوتين"):
        assert result.target.startswith("Putin")


def test_memory_hits_on_rerun_and_identical_output(backend, house_glossary, seed_paths, tmp_path):
    memory = TranslationMemory(tmp_path / "tm.sqlite")
    settings = RunSettings("tiny", backend, DecodeOptions(beam=2, length_ratio=1.0), house_glossary)
    article = _articles(seed_paths)[2]
    first = translate_article(article, settings, memory)
    assert first.meta["stats"]["memory_hits"] == 0
    misses = first.meta["stats"]["memory_misses"]
    assert misses > 0
    again = TranslationMemory(tmp_path / "tm.sqlite")
    second = translate_article(article, settings, again)
    assert second.meta["stats"]["memory_hits"] == misses
    assert second.meta["stats"]["memory_misses"] == 0
    assert second.pairs == first.pairs
    # other decoding options are other keys
    other = RunSettings("tiny", backend, DecodeOptions(beam=3, length_ratio=1.0), house_glossary)
    assert translate_article(article, other, again).meta["stats"]["memory_hits"] == 0


def test_a_segment_repeated_in_an_article_is_translated_once(backend, tmp_path):
    memory = TranslationMemory(None)
    texts = ["مقتل قيادي إيراني رفيع في حلب", "جملة أخرى", "مقتل قيادي إيراني رفيع في حلب"]
    results = translate_texts(backend, texts, options=DecodeOptions(beam=1, length_ratio=1.0), memory=memory)
    assert results[0] == results[2]
    assert memory.misses == 2 and len(memory) == 2


def test_a_thousand_word_sentence_is_translated_in_parts(backend, house_glossary, caplog):
    words = ("قال بوتين إن التعاون مع طهران مستمر و" * 120).split()[:1000]
    text = " ".join(words)
    matches = house_glossary.match(text)
    requests = [TermRequest.from_match(m) for m in matches]
    with caplog.at_level(logging.WARNING, logger="mt"):
        [result] = translate_texts(
            backend, [text], [requests], options=DecodeOptions(beam=1, length_ratio=0.3, max_input_pieces=120)
        )
    assert "translating it in" in caplog.text
    assert len(result.statuses) == len(requests) > 100
    assert set(result.statuses) == {"forced"}
    assert len(re.findall(r"\bPutin\b", result.target)) == sum(r.en == "Putin" for r in requests)


def test_a_sentence_translates_the_same_whatever_its_batch(backend):
    short = "قال الرئيس إن روسيا حليف قديم."
    long = " ".join(["وأضاف أن التعاون مع طهران مستمر منذ سنوات طويلة"] * 6)
    options = DecodeOptions(beam=2)
    alone = translate_texts(backend, [short], options=options)
    together = translate_texts(backend, [short, long], options=options)
    assert together[0] == alone[0]


def test_a_line_of_arabic_indic_digits_is_kept_with_ascii_digits(backend, tmp_path):
    path = tmp_path / "dated.txt"
    text = "١٥ / ٠٤ / ٢٠١٦\nقال الرئيس إن روسيا حليف.\n"
    path.write_text(text, encoding="utf-8")
    document = translate_article(Article(path, "dated", text), RunSettings("tiny", backend, DecodeOptions(beam=1, length_ratio=1.0)))
    assert document.pairs[0].target == "15 / 04 / 2016"
    assert document.meta["stats"]["copied_untranslated"] == 1


def test_constrained_passes_pooled_across_batches_lose_nothing(backend, house_glossary):
    """Sentences that need a constrained pass wait for a full batch across
    free-pass batches; every one of them still finishes, is reported and
    remembered, and translates as it does alone (one sentence per batch)."""
    # Sentences of one length bucket, every other one with a term: each
    # free-pass batch of four leaves about two for the constrained pass.
    names = ["بوتين", "روسيا", "طهران", "موسكو", "دمشق", "حلب", "إيران"]
    others = ["المسؤول", "الوزير", "السفير", "المتحدث", "الرئيس", "النائب", "الخبير"]
    texts = [t for n, o in zip(names, others) for t in (f"وقال {n} إن التعاون مستمر", f"وقال {o} إن التعاون مستمر")]
    terms = [[TermRequest.from_match(m) for m in house_glossary.match(t)] for t in texts]
    options = DecodeOptions(beam=2, length_ratio=1.2)

    calls = []  # (sources, constrained) of each decoding call
    translate = backend.translate

    def spy(sources, **kwargs):
        calls.append(([tuple(s) for s in sources], bool(kwargs.get("prefixes"))))
        return translate(sources, **kwargs)

    reported, passes = [], []  # on_done counts, on_pass (kind, sentences)
    memory = TranslationMemory(None)
    backend.translate = spy
    try:
        pooled = translate_texts(
            backend, texts, terms, options=options, memory=memory, max_batch_sentences=4, on_done=reported.append,
            on_pass=lambda kind, n: passes.append((kind, n)),
        )
    finally:
        del backend.translate
    assert sum(reported) == len(texts)
    # every decoding call is reported as it ends, forced-term passes included
    assert passes == [("forced" if constrained else "free", len(sources)) for sources, constrained in calls]
    assert len(memory) == len(set(texts))
    assert [len(r.statuses) for r in pooled] == [1, 0] * len(names)
    assert all(set(r.statuses) <= {"produced", "forced"} for r in pooled)
    free = [set(sources) for sources, constrained in calls if not constrained]
    pooled_calls = [sources for sources, constrained in calls if constrained]
    assert any(len({i for s in sources for i, batch in enumerate(free) if s in batch}) > 1 for sources in pooled_calls)
    assert pooled == translate_texts(backend, texts, terms, options=options, max_batch_sentences=1)


def test_greedy_continuations_of_different_output_limits_share_a_batch(backend, house_glossary):
    """The constrained pass once took sentences of one output limit per
    batch, so short and long sentences decoded on apart, in small batches.
    A greedy continuation now stops each sentence at its own limit: they
    share a batch, and each translates as with one sentence per free-pass
    batch.  (That the stop at a sentence's own limit ends it as that limit
    does is checked on the backends, test_backends.py.)"""
    tail = " بين البلدين في مجالات الاقتصاد والطاقة والأمن والثقافة والتعليم والصحة والنقل والزراعة"
    names = ["بوتين", "روسيا", "طهران", "موسكو"]
    texts = [t for n in names for t in (f"وقال {n} إن التعاون مستمر", f"وقال {n} إن التعاون مستمر{tail}")]
    terms = [[TermRequest.from_match(m) for m in house_glossary.match(t)] for t in texts]
    options = DecodeOptions(beam=2, length_ratio=1.2)
    assert len({options.max_length(len(backend.vocab.encode_source(t).pieces)) for t in texts}) > 1

    constrained = []  # the sources of each constrained call
    translate = backend.translate

    def spy(sources, **kwargs):
        if kwargs.get("prefixes"):
            constrained.append([len(s) for s in sources])
        return translate(sources, **kwargs)

    backend.translate = spy
    try:
        pooled = translate_texts(backend, texts, terms, options=options)
    finally:
        del backend.translate
    assert any(len({options.max_length(n) for n in call}) > 1 for call in constrained)
    assert all(set(r.statuses) <= {"produced", "forced"} for r in pooled)
    assert pooled == translate_texts(backend, texts, terms, options=options, max_batch_sentences=1)


def test_progress_hears_of_every_decoding_pass_forced_term_passes_included(backend, seed_paths, house_glossary, tmp_path):
    """Regression: the bar sat at 0/15 through the forced-term passes, which
    finish no segment until they end; each pass is now reported as it ends."""
    from mt.translate import FORCED_PASS, FREE_PASS, Progress, translate_files

    class Recorder(Progress):
        def __init__(self):
            self.events = []

        def advance(self, segments):
            self.events.append(("done", segments))

        def passed(self, kind, sentences):
            self.events.append((kind, sentences))

    recorder = Recorder()
    settings = RunSettings("tiny", backend, DecodeOptions(beam=2, length_ratio=1.2), house_glossary)
    translate_files(_articles(seed_paths)[:1], tmp_path / "out", settings, progress=recorder)
    kinds = [k for k, _ in recorder.events]
    assert FREE_PASS in kinds and FORCED_PASS in kinds
    # a forced-term pass is reported before the segments it finishes
    assert kinds.index(FORCED_PASS) < len(kinds) - 1 - kinds[::-1].index("done")
