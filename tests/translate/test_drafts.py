"""A run stopped while sentences wait for their forced-term pass keeps their
free outputs (``memory.DraftStore``): the next run does not decode them again."""

from __future__ import annotations

import pytest

from mt.translate import FREE_PASS, DecodeOptions, TermRequest, TranslationMemory, load_backend, translate_texts
from mt.text import has_arabic, split_sentences

pytestmark = pytest.mark.slow


class _Stop(Exception):
    pass


class _Counting:
    """A backend that counts the sentences its free passes decode."""

    def __init__(self, backend):
        self.backend, self.freely = backend, 0
        self.name, self.vocab, self.identity = backend.name, backend.vocab, backend.identity

    def translate(self, sources, **options):
        if not options.get("prefixes"):
            self.freely += len(sources)
        return self.backend.translate(sources, **options)

    def __getattr__(self, name):
        return getattr(self.backend, name)


def _seeds(seed_paths, house_glossary):
    texts, terms = [], []
    for path in seed_paths[:2]:
        for seg in split_sentences(path.read_text(encoding="utf-8")):
            if has_arabic(seg.text):
                texts.append(seg.text)
                terms.append([TermRequest.from_match(m) for m in house_glossary.match(seg.text)])
    return texts, terms


def test_a_run_stopped_before_any_forced_pass_keeps_the_free_outputs(tiny_ct2_int8, seed_paths, house_glossary, tmp_path):
    """Random weights write no name, so every sentence with a term waits for
    its forced-term pass, pooled across free passes: a run stopped after
    three free passes had stored nothing (issue 33, Ctrl-C).  Its free
    outputs wait in the memory; the rerun decodes only the others, and
    gives the English an unstopped run gives."""
    backend = load_backend(str(tiny_ct2_int8))
    texts, terms = _seeds(seed_paths, house_glossary)
    options = DecodeOptions(beam=2, length_ratio=1.2)
    whole = translate_texts(backend, texts, terms, options=options)

    memory = TranslationMemory(tmp_path / "tm.sqlite")
    free_passes = []

    def stop_after_three(kind, n):
        free_passes.append(n) if kind == FREE_PASS else None
        if len(free_passes) == 3:
            raise _Stop

    with pytest.raises(_Stop):
        translate_texts(backend, texts, terms, options=options, memory=memory, on_pass=stop_after_three, max_batch_sentences=4)
    waiting, finished = len(memory.drafts), len(memory)
    assert waiting > finished  # the free outputs kept, not the sentences they are for

    counting = _Counting(backend)
    again = translate_texts(counting, texts, terms, options=options, memory=TranslationMemory(tmp_path / "tm.sqlite"))
    assert [t.target for t in again] == [t.target for t in whole]
    assert [t.statuses for t in again] == [t.statuses for t in whole]
    assert counting.freely == len(texts) - finished - waiting
    assert len(TranslationMemory(tmp_path / "tm.sqlite").drafts) == 0  # done: no draft is left
