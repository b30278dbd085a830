"""One contract for every backend, run on the tiny random-weight model."""

from __future__ import annotations

import logging
import subprocess
import sys
from pathlib import Path

import pytest

from mt.text import split_sentences
from mt.translate import Backend, load_backend
from mt.translate.vocab import EOS, PAD

pytestmark = pytest.mark.slow

SENTENCES = [
    "قال بشار الأسد إن روسيا حليف.",
    "طهران تتقرب من موسكو حفاظا على نفوذها في سوريا",
    "العربية",
]


@pytest.fixture(scope="module", params=["transformers", "ctranslate2"])
def backend(request, tiny_model, tiny_ct2) -> Backend:
    model = tiny_model if request.param == "transformers" else tiny_ct2
    return load_backend(str(model), request.param)


def _sources(backend, texts=SENTENCES):
    return [backend.vocab.encode_source(t).pieces for t in texts]


class TestBackendContract:
    def test_is_a_backend(self, backend):
        assert isinstance(backend, Backend)
        assert backend.identity.startswith(backend.name)

    def test_translates_each_source_within_the_length_limit(self, backend):
        hyps = backend.translate(_sources(backend), beam=2, max_length=12)
        assert len(hyps) == 3
        assert all(0 < len(h.pieces) <= 12 for h in hyps)
        assert all("</s>" not in h.pieces and "<pad>" not in h.pieces for h in hyps)

    def test_min_length_fixes_the_length(self, backend):
        hyps = backend.translate(_sources(backend), beam=1, max_length=9, min_length=9)
        assert [len(h.pieces) for h in hyps] == [9, 9, 9]

    def test_prefix_is_forced_and_counts_in_the_length(self, backend):
        prefix = backend.vocab.encode_target("Iran")
        hyps = backend.translate(_sources(backend), beam=2, max_length=10, prefixes=[prefix, None, prefix])
        assert hyps[0].pieces[: len(prefix)] == prefix
        assert hyps[2].pieces[: len(prefix)] == prefix
        assert all(len(h.pieces) <= 10 for h in hyps)

    def test_attention_has_a_row_per_piece_and_a_column_per_source_piece(self, backend):
        sources = _sources(backend)
        hyps = backend.translate(sources, beam=2, max_length=8, return_attention=True)
        for hyp, src in zip(hyps, sources):
            assert len(hyp.attention) == len(hyp.pieces)
            assert all(len(row) == len(src) + 1 for row in hyp.attention)  # + </s>
            assert all(abs(sum(row) - 1) < 1e-3 for row in hyp.attention)

    def test_next_pieces(self, backend):
        sources = _sources(backend)
        prefixes = [backend.vocab.encode_target("Iran"), backend.vocab.encode_target("a b")]
        options = backend.next_pieces(sources[:2], prefixes, k=5)
        assert [len(o) for o in options] == [5, 5]
        assert all(isinstance(p, str) for o in options for p in o)

    def test_a_stop_ends_its_own_sentence_and_no_other(self, backend):
        """Greedy search with a stop per sentence: each stops, its last piece
        kept, where its own stop says, seeing the forced prefix too; the
        others decode as they would without stops."""
        sources = _sources(backend)
        prefix = backend.vocab.encode_target("Iran")
        options = dict(beam=1, max_length=12, min_length=12, prefixes=[prefix, None, prefix])
        plain = backend.translate(sources, **options)
        seen = []

        def after(n):
            return lambda pieces: seen.append(pieces) or len(pieces) >= n

        stopped = backend.translate(sources, **options, until=[after(len(prefix) + 2), lambda pieces: False, after(len(prefix))])
        assert stopped[0].pieces == plain[0].pieces[: len(prefix) + 2]
        assert stopped[1].pieces == plain[1].pieces
        assert stopped[2].pieces == plain[2].pieces[: len(prefix)] == prefix
        assert seen and all(p[: len(prefix)] == prefix[: len(p)] for p in seen)

    @pytest.mark.parametrize("extra, min_length", [(0, 0), (3, 0), (3, "limit")])
    def test_a_continuation_stopped_at_its_own_limit_is_the_one_that_limit_gives(self, backend, extra, min_length):
        """Greedy continuations of different output limits share a batch
        (``engine._stop``): a sentence stopped at its own limit, in a call
        whose limit is longer, ends as a call with its own limit ends it."""
        from mt.translate.engine import _Draft, _stop

        sources = _sources(backend)
        prefix = backend.vocab.encode_target("Iran")
        limit = len(prefix) + extra
        least = limit if min_length == "limit" else 0
        options = dict(beam=1, min_length=least, prefixes=[prefix] * len(sources))
        capped = backend.translate(sources, max_length=limit, **options)
        drafts = [_Draft(None, (), (), (), prefix, limit=limit) for _ in sources]
        stopped = backend.translate(sources, max_length=limit + 20, until=[_stop(d, False) for d in drafts], **options)
        assert [h.pieces for h in stopped] == [h.pieces for h in capped]
        assert all(len(h.pieces) <= limit for h in stopped)

    def test_a_stop_needs_greedy_search(self, backend):
        with pytest.raises(ValueError, match="greedy"):
            backend.translate(_sources(backend), beam=2, max_length=5, until=[lambda p: False] * 3)

    def test_score_gives_each_target_piece_and_the_end_its_log_probability(self, backend):
        sources = _sources(backend)
        greedy = backend.translate(sources, beam=1, max_length=6)
        other = [backend.vocab.encode_target("Iran said"), backend.vocab.encode_target("x"), ()]
        scores = backend.score(sources + sources, [h.pieces for h in greedy] + other)
        assert [len(s) for s in scores] == [len(t) + 1 for t in [h.pieces for h in greedy] + other]
        assert all(v <= 0 for s in scores for v in s)
        # greedy search takes the likeliest first piece: nothing else scores higher there
        assert all(g[0] >= o[0] - 1e-4 for g, o in zip(scores[:3], scores[3:]) if len(o) > 1)


def test_scores_agree_across_backends_in_float32(tiny_model, tiny_ct2):
    hf = load_backend(str(tiny_model), "transformers")
    ct = load_backend(str(tiny_ct2), "ctranslate2", compute_type="float32")
    sources = _sources(hf)
    targets = [hf.vocab.encode_target(t) for t in ("Iran said", "Bashar al-Assad", "a")]
    for a, b in zip(hf.score(sources, targets), ct.score(sources, targets)):
        assert a == pytest.approx(b, abs=1e-2)


def test_greedy_float32_parity_on_the_seeds(tiny_model, tiny_ct2, seed_paths):
    """Both backends give the same pieces (hence token ids) with greedy search."""
    hf = load_backend(str(tiny_model), "transformers")
    ct = load_backend(str(tiny_ct2), "ctranslate2", compute_type="float32")
    texts = [s.text for p in seed_paths for s in split_sentences(p.read_text(encoding="utf-8"))][:40]
    sources = [hf.vocab.encode_source(t).pieces for t in texts]
    a = hf.translate(sources, beam=1, max_length=40)
    b = ct.translate(sources, beam=1, max_length=40)
    assert [h.pieces for h in a] == [h.pieces for h in b]
    assert [hf.vocab.to_ids(h.pieces) for h in a] == [hf.vocab.to_ids(h.pieces) for h in b]


def test_int8_model_loads_and_translates(tiny_ct2_int8):
    backend = load_backend(str(tiny_ct2_int8), compute_type="int8")
    assert backend.name == "ctranslate2" and backend.identity.endswith(f":int8_float32:{backend.cpu_isa}")
    hyps = backend.translate([backend.vocab.encode_source(SENTENCES[0]).pieces], beam=4, max_length=10)
    assert len(hyps[0].pieces) > 0


def test_a_process_that_used_a_stop_exits_cleanly(tiny_ct2):
    """Regression: CTranslate2 keeps a worker's last callback until its next
    job, and a Python callback still held at exit aborted the process
    ("terminate called without an active exception", exit 134) after
    ``mt translate`` had written everything."""
    script = (
        "import sys\n"
        "from mt.translate import load_backend\n"
        "b = load_backend(sys.argv[1], 'ctranslate2')\n"
        "src = [b.vocab.encode_source('قال الرئيس').pieces]\n"
        "print(b.translate(src, beam=1, max_length=8, until=[lambda p: len(p) >= 2])[0].pieces)\n"
    )
    done = subprocess.run([sys.executable, "-c", script, str(tiny_ct2)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-500:]
    assert "terminate called" not in done.stderr


def _stock_conversion(model: Path, out: Path) -> Path:
    """``model`` converted by CTranslate2's own converter: its decoder starts
    from a zero embedding, and it has no ``<pad>``."""
    from ctranslate2.converters import TransformersConverter

    copy = [f for f in ("source.spm", "target.spm", "vocab.json", "tokenizer_config.json") if (model / f).is_file()]
    TransformersConverter(str(model), copy_files=copy).convert(str(out), quantization="float32", force=True)
    return out


@pytest.mark.parametrize("model", ["tiny", "trained"])
def test_greedy_search_from_a_prefix_stops_each_sentence_where_asked(model, tiny_model, tiny_ct2, trained_model, trained_ct2_f32):
    """CTranslate2 decodes on from a prefix one sentence a call, reading the
    prefix in one pass (``_continue_each``), and its callback never sees the
    piece written right after the prefix.  Each sentence still stops where
    its stop first answers, that piece included: as when the prefix is
    forced step by step in one batch, and as transformers stops it."""
    if model == "tiny":
        hf_path, ct_path = tiny_model, tiny_ct2
    else:
        hf_path = trained_model
        ct_path = trained_ct2_f32
    hf = load_backend(str(hf_path), "transformers")
    ct = load_backend(str(ct_path), "ctranslate2", compute_type="float32")
    assert ct.pad_start
    sources = _sources(hf) * 2
    prefixes = [hf.translate(sources[:3], beam=1, max_length=n)[i].pieces for n in (3, 6) for i in range(3)]
    free = ct.translate(sources, beam=1, max_length=30)

    def after(i: int, n: int):  # stop sentence i n pieces after its prefix
        return lambda pieces: len(pieces) >= len(prefixes[i]) + n

    def on(i: int):  # stop sentence i at the piece its free output writes right after its prefix
        at = len(prefixes[i])
        return (lambda pieces: len(pieces) > at and pieces[at] == free[i].pieces[at]) if len(free[i].pieces) > at else after(i, 1)

    def never(pieces):
        return False

    # A stop at the first piece after the prefix, told by its count or by the
    # piece itself: the ones the callback cannot answer in time.
    until = [after(0, 1), after(1, 3), on(2), never, after(4, 2), never]
    options = {"beam": 1, "max_length": 30, "prefixes": prefixes, "until": until}
    each = ct.translate(sources, **options)
    batched = ct._decode_batch(sources, 1, 30, 0, prefixes, False, until)
    reference = hf.translate(sources, **options)
    assert [h.pieces for h in each] == [h.pieces for h in batched] == [h.pieces for h in reference]
    assert all(h.pieces[: len(p)] == tuple(p) for h, p in zip(each, prefixes))
    assert len(each[0].pieces) == len(prefixes[0]) + 1  # stopped at the piece the callback never saw


def test_ctranslate2_reads_the_attention_of_a_target_as_transformers_does(trained_model, trained_ct2_f32):
    """CTranslate2's ``attend`` (the word links' pass) reads each target in
    one pass, a sentence a call: the rows are the model's, those that
    transformers' teacher-forced pass gives on the same pieces, whatever
    the batch, an empty target included."""
    ct = load_backend(str(trained_ct2_f32), "ctranslate2", compute_type="float32")
    hf = load_backend(str(trained_model), "transformers")
    sources = _sources(ct)
    targets = [h.pieces for h in ct.translate(sources, beam=4, max_length=30)]
    targets[1] = (*targets[1], *targets[0])  # longer than the model wrote
    targets.append(())
    sources.append(sources[0])
    read = ct.attend(sources, targets)
    model = hf.attend(sources, targets)
    assert [len(r) for r in read] == [len(t) for t in targets]
    for rows, others in zip(read, model):
        assert all(x == pytest.approx(y, abs=1e-3) for r, o in zip(rows, others) for x, y in zip(r, o))
    assert [ct.attend([s], [t])[0] for s, t in zip(sources, targets)] == read


def test_transformers_reads_the_log_probabilities_with_the_attention(trained_model):
    """transformers reads the attention in a teacher-forced pass that also
    gives each piece's log-probability: they are what ``score`` gives, so
    the engine does not score the free output again (``_score_splices``)."""
    hf = load_backend(str(trained_model), "transformers")
    sources = _sources(hf)
    hyps = hf.translate(sources, beam=4, max_length=30, return_attention=True)
    scores = hf.score(sources, [h.pieces for h in hyps])
    for hyp, score in zip(hyps, scores):
        assert len(hyp.log_probs) == len(hyp.pieces) + 1
        assert hyp.log_probs == pytest.approx(score, abs=1e-4)
    assert all(h.log_probs is None for h in hf.translate(sources, beam=4, max_length=30))


@pytest.mark.parametrize("min_length", [0, 30])
def test_transformers_goes_on_from_a_prefix_as_forcing_it_step_by_step_does(trained_model, min_length):
    """transformers decodes on from a prefix one sentence at a time for a
    few pieces (``ALONE_PIECES``), then the sentences still going on together
    (``TransformersBackend._continue``).  Sentences that stop alone, stop
    inside their prefix, or go on together past those pieces end as when
    every prefix is forced step by step in one batch, a minimum length
    included."""
    from mt.translate.backends.transformers_backend import ALONE_PIECES

    hf = load_backend(str(trained_model), "transformers")
    sources = _sources(hf) * 2
    free = hf.translate(sources, beam=1, max_length=30)
    prefixes = [h.pieces[:n] for h, n in zip(free, (2, 4, 6, 3, 5, 1))]

    def after(n: int, i: int):
        return lambda pieces: len(pieces) >= len(prefixes[i]) + n

    stops = [
        after(1, 0),  # ends alone
        after(ALONE_PIECES + 3, 1),  # goes on together
        after(-1, 2),  # stops inside its prefix
        after(ALONE_PIECES, 3),  # ends alone on its last piece alone
        after(ALONE_PIECES + 1, 4),
        lambda _: False,
    ]
    for until in (None, stops):
        options = {"beam": 1, "max_length": 30, "min_length": min_length, "prefixes": prefixes, "until": until}
        two_steps = hf.translate(sources, **options)
        stepwise = hf._generate(sources, 1, 30, min_length, prefixes, False, until)
        assert [h.pieces for h in two_steps] == [h.pieces for h in stepwise]
        assert all(h.pieces[: len(p)] == tuple(p)[: len(h.pieces)] for h, p in zip(two_steps, prefixes))
        if until:
            assert len(two_steps[1].pieces) == len(prefixes[1]) + ALONE_PIECES + 3  # went on together
            assert len(two_steps[2].pieces) == len(prefixes[2]) - 1  # stopped inside its prefix
        else:
            assert any(len(h.pieces) > len(p) + ALONE_PIECES for h, p in zip(two_steps, prefixes))


@pytest.mark.parametrize("model", ["tiny", "trained", "trained, stock conversion"])
def test_the_pieces_after_a_prefix_agree_across_backends_in_float32(
    model, tiny_model, tiny_ct2, trained_model, trained_ct2_f32, tmp_path_factory, caplog, monkeypatch
):
    """``next_pieces`` reads the model's distribution after the prefix on
    both backends, and CTranslate2's likeliest piece is the one its greedy
    search writes there.  CTranslate2 reads the prefix in one pass
    (``return_alternatives``); for a model converted to start the decoder
    from a zero embedding, that pass zeroes every prefix embedding, not only
    the start's, and the pieces it gave were those of a blank history."""
    if model == "tiny":
        hf_path, ct_path = tiny_model, tiny_ct2
    elif model == "trained":
        hf_path = trained_model
        ct_path = trained_ct2_f32
    else:
        hf_path = trained_model
        ct_path = _stock_conversion(trained_model, tmp_path_factory.mktemp("models") / "trained-stock")
    hf = load_backend(str(hf_path), "transformers")
    monkeypatch.setattr(logging.getLogger("mt"), "propagate", True)  # the CLI's tests turn it off
    with caplog.at_level(logging.WARNING, logger="mt"):
        ct = load_backend(str(ct_path), "ctranslate2", compute_type="float32")
    stock = model == "trained, stock conversion"
    assert ct.pad_start == (not stock)
    assert ("prepare it again" in caplog.text) == stock  # the user is told why it is slower
    sources = _sources(hf) * 2
    prefixes = [hf.translate(sources[:3], beam=1, max_length=n)[i].pieces for n in (3, 6) for i in range(3)]
    assert all(prefixes)
    a = hf.next_pieces(sources, prefixes, k=4)
    b = ct.next_pieces(sources, prefixes, k=4)
    assert [options[0] for options in a] == [options[0] for options in b]
    assert all(len(options) == 4 and PAD not in options for options in b)
    greedy = ct._decode_batch(sources, 1, 8, 0, prefixes, False, None)  # the prefix forced step by step
    assert [options[0] for options in b] == [h.pieces[len(p)] if len(h.pieces) > len(p) else EOS for p, h in zip(prefixes, greedy)]
