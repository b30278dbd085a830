"""Scheduling segments across articles (mt.translate.corpus): the same
outputs as the per-article loop, each article written as soon as it is done,
memory bounded by windows."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from mt.text import Article, has_arabic, split_sentences
from mt.translate import DecodeOptions, Progress, RunSettings, TranslationMemory, load_backend, translate_files
from mt.translate.corpus import iter_windows


def _comparable(path: Path) -> str:
    """The file's bytes as text, its creation time left out."""
    text = path.read_text(encoding="utf-8")
    return re.sub(r'"created": "[^"]*"|creationdate="[^"]*"|&quot;created&quot;: &quot;[^&]*&quot;', "", text)


def _sentences(path: Path) -> list[str]:
    return [s.text for s in split_sentences(path.read_text(encoding="utf-8")) if has_arabic(s.text)]


def _corpus(seed_paths, tmp_path) -> list[Article]:
    """The seeds, and an article that repeats sentences of seed 000 and 003:
    across articles, its memory hits depend on the articles before it."""
    folder = tmp_path / "in"
    folder.mkdir()
    for path in seed_paths:
        shutil.copy(path, folder / path.name)
    lines = [_sentences(seed_paths[0])[3], _sentences(seed_paths[3])[5]]
    (folder / "repeats.txt").write_text("\n".join([*lines, "وقال بوتين إن روسيا لن تنسحب من سوريا."]) + "\n", encoding="utf-8")
    return [Article(path=p, doc=p.stem, text=p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.txt"))]


@pytest.mark.slow
@pytest.mark.parametrize("with_memory", [True, False])
def test_across_articles_the_outputs_are_those_of_the_per_article_loop(
    with_memory, tiny_ct2_int8, seed_paths, house_glossary, tmp_path
):
    """JSON and TMX byte for byte (creation time aside), stats included: a
    window of every article, a window that cuts the corpus in two, and one
    article at a time (today's loop) give the same files."""
    articles = _corpus(seed_paths, tmp_path)
    settings = RunSettings("tiny", load_backend(str(tiny_ct2_int8)), DecodeOptions(beam=2, length_ratio=1.2), house_glossary)
    outs = {}
    for window in (1, 40, 2000):
        out = tmp_path / f"out-{window}"
        memory = TranslationMemory(tmp_path / f"tm-{window}.sqlite") if with_memory else None
        reports = translate_files(articles, out, settings, memory=memory, window_segments=window)
        assert [r.doc for r in reports] == [a.doc for a in articles]
        outs[window] = out
    names = sorted(p.name for p in outs[1].iterdir() if p.suffix in (".json", ".tmx"))
    assert len(names) == 2 * len(articles)
    for window in (40, 2000):
        assert sorted(p.name for p in outs[window].iterdir() if p.suffix in (".json", ".tmx")) == names
        for name in names:
            assert _comparable(outs[window] / name) == _comparable(outs[1] / name), (window, name)
    repeats = (outs[2000] / "repeats.json").read_text(encoding="utf-8")
    if with_memory:  # its two sentences from the seeds come from memory, as in the per-article loop
        assert '"memory_hits": 2' in repeats


class _Recorder(Progress):
    def __init__(self, out: Path):
        self.out, self.events = out, []

    def start_window(self, docs, segments):
        self.events.append(("window", len(docs), segments))

    def passed(self, kind, sentences):
        self.events.append(("pass", kind, sentences))

    def end_article(self, report):
        self.events.append(("article", report.doc, (self.out / f"{report.doc}.json").is_file()))


@pytest.mark.slow
def test_an_article_is_written_as_soon_as_its_last_segment_is_done(tiny_ct2_int8, seed_paths, tmp_path):
    """Batches go longest first, so an article of one long sentence is done
    (and on disk) after the first pass, long before the window ends."""
    long = tmp_path / "long.txt"
    long.write_text(" ".join(["وأضاف المسؤول أن التعاون مع الجيران مستمر منذ سنوات طويلة"] * 6) + "\n", encoding="utf-8")
    articles = [Article(path=p, doc=p.stem, text=p.read_text(encoding="utf-8")) for p in [*seed_paths[:2], long]]
    settings = RunSettings("tiny", load_backend(str(tiny_ct2_int8)), DecodeOptions(beam=1, length_ratio=1.0))
    recorder = _Recorder(tmp_path / "out")
    translate_files(articles, tmp_path / "out", settings, progress=recorder)
    events = recorder.events
    assert events[0][:2] == ("window", 3)
    done = [i for i, e in enumerate(events) if e[0] == "article"]
    passes = [i for i, e in enumerate(events) if e[0] == "pass"]
    assert all(e[2] for e in events if e[0] == "article")  # written before it is reported
    assert events[done[0]][1] == "long"
    assert done[0] < passes[-1]  # before the window's last decoding pass
    assert len(passes) > 2


def test_windows_hold_about_window_segments_and_at_least_one_article(tmp_path):
    settings = RunSettings("none", backend=None)
    sentences = "قال الوزير إن المحادثات ستستأنف. "
    articles = [Article(tmp_path / f"{n}.txt", f"a{n}", sentences * size) for n, size in enumerate([3, 4, 10, 2, 2, 1])]
    skipped = []
    windows = list(iter_windows(((a, None) for a in articles), settings, 6, skipped.append))
    assert [[job.article.doc for job in w] for w in windows] == [["a0"], ["a1"], ["a2"], ["a3", "a4", "a5"]]
    assert all(sum(len(job.segments) for job in w) <= 6 or len(w) == 1 for w in windows)
    assert [len(w) for w in iter_windows(((a, None) for a in articles), settings, 1, skipped.append)] == [1] * 6
