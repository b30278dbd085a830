"""Word links: which Arabic word each English word of a translation attends to."""

from __future__ import annotations

import re

import pytest
from typer.testing import CliRunner

from cli import app
from mt.formats import loads_document, read_json, write_json
from mt.translate import DecodeOptions, load_backend, translate_texts
from mt.translate.links import word_links
from mt.types import Pair, PairDocument, WordLink

from ..conftest import HOUSE

runner = CliRunner()
_WORD = re.compile(r"\S+")


def _one_hot(rows: list[int], width: int) -> list[list[float]]:
    return [[1.0 if s == r else 0.0 for s in range(width)] for r in rows]


def test_each_english_word_links_to_the_arabic_word_its_pieces_attend_to():
    source = "قال بوتين في موسكو"
    # source pieces: ▁قال, ▁بو, تين, ▁في, ▁, موسكو  (the bare ▁ spans the space before موسكو)
    spans = [(0, 3), (3, 6), (6, 9), (9, 12), (12, 13), (13, 18)]
    target = "Putin said in Moscow"
    pieces = ["▁Put", "in", "▁said", "▁in", "▁Mos", "cow"]
    # Putin's pieces attend to the two pieces of بوتين; "said" to قال; "in"
    # to في; Moscow's to the bare ▁ piece and to موسكو.
    attention = _one_hot([1, 2, 0, 3, 4, 4], 7)
    links = word_links(source, spans, target, pieces, attention)
    assert [(target[k.en_start : k.en_end], source[k.ar_start : k.ar_end]) for k in links] == [
        ("Putin", "بوتين"),
        ("said", "قال"),
        ("in", "في"),
        ("Moscow", "موسكو"),
    ]


def test_a_word_the_text_spells_otherwise_gets_no_link_and_the_rest_stay_in_place():
    source = "قال بوتين"
    spans = [(0, 3), (3, 9)]
    # The decoded text spells "Putin" where the pieces spell "Putín".
    target = "Putin said"
    links = word_links(source, spans, target, ["▁Put", "ín", "▁said"], _one_hot([1, 1, 0], 3))
    assert [(target[k.en_start : k.en_end], source[k.ar_start : k.ar_end]) for k in links] == [("said", "قال")]


def test_word_links_survive_the_json_round_trip(tmp_path):
    pair = Pair(id="0", source="قال بوتين", target="Putin said", source_start=10, source_end=19,
                links=(WordLink(0, 5, 14, 19), WordLink(6, 10, 10, 13)))
    document = PairDocument(meta={"doc": "d", "source_file": "d.txt"}, pairs=(pair,))
    write_json(document, tmp_path / "d.json")
    assert read_json(tmp_path / "d.json").pairs[0].links == pair.links
    # Pairs without links (alignments, older files) write none and read as none.
    plain = PairDocument(meta={"doc": "d", "source_file": "d.txt"}, pairs=(Pair(id="0", source="a", target="b"),))
    write_json(plain, tmp_path / "plain.json")
    assert '"links"' not in (tmp_path / "plain.json").read_text(encoding="utf-8")
    assert read_json(tmp_path / "plain.json").pairs[0].links == ()


def test_malformed_links_in_a_json_file_are_one_located_error(tmp_path):
    from mt.errors import FormatError

    write_json(PairDocument(meta={"doc": "d"}, pairs=(Pair(id="0", source="a", target="b"),)), tmp_path / "d.json")
    bad = (tmp_path / "d.json").read_text(encoding="utf-8").replace('"history": []', '"history": [], "links": [[0, 1, 2]]')
    with pytest.raises(FormatError, match="pair 0.*links"):
        loads_document(bad, "x.json")


@pytest.mark.slow
@pytest.mark.parametrize("which", ["transformers", "ctranslate2"])
def test_links_leave_the_translation_as_it_is_and_point_at_the_terms(which, trained_model, trained_ct2, seed_paths,
                                                                     house_glossary):
    """With the trained model, whose attention is real: asking for links
    changes no translation, and the English of a glossary term links to its
    own Arabic far more often than chance."""
    from mt.glossary import find_terms
    from mt.text import has_arabic, split_sentences
    from mt.translate import TermRequest

    backend = load_backend(str(trained_model if which == "transformers" else trained_ct2), which)
    texts, requests = [], []
    for path in seed_paths:
        for seg in split_sentences(path.read_text(encoding="utf-8")):
            if has_arabic(seg.text):
                texts.append(seg.text)
                requests.append([TermRequest.from_match(m) for m in house_glossary.match(seg.text)])
    plain = translate_texts(backend, texts, requests, options=DecodeOptions(beam=2))
    linked = translate_texts(backend, texts, requests, options=DecodeOptions(beam=2), links=True)
    assert [t.target for t in linked] == [t.target for t in plain]
    assert [t.statuses for t in linked] == [t.statuses for t in plain]
    on_term = chance = terms = 0
    for text, reqs, result in zip(texts, requests, linked):
        words = len(_WORD.findall(text))
        for term in reqs:
            spans = find_terms(result.target, [term.en])[term.en]
            if not spans:
                continue
            a, b = spans[0]
            mine = [k for k in result.links if a <= k.en_start and k.en_end <= b]
            terms += 1
            on_term += any(k.ar_start < term.end and term.start < k.ar_end for k in mine)
            chance += min(1.0, len(term.source.split()) / words)
    assert terms > 200
    assert on_term > 2 * chance, (on_term, chance, terms)


@pytest.mark.slow
def test_translate_links_writes_links_into_the_article_frame_and_a_rerun_without_redoes(tiny_ct2_int8, seed_paths, tmp_path):
    out = tmp_path / "out"
    args = ["translate", str(seed_paths[0]), "--out", str(out), "--model", str(tiny_ct2_int8), "--glossary", str(HOUSE)]
    result = runner.invoke(app, [*args, "--links"])
    assert result.exit_code == 0, result.output
    document = read_json(out / f"{seed_paths[0].stem}.json")
    text = seed_paths[0].read_text(encoding="utf-8")
    arabic_words = {(m.start(), m.end()) for m in _WORD.finditer(text)}
    linked = [p for p in document.pairs if p.links]
    assert len(linked) >= len(document.pairs) - 3  # all but the copied captions and bylines
    whole = total = 0
    for pair in linked:
        english_words = {(m.start(), m.end()) for m in _WORD.finditer(pair.target)}
        for link in pair.links:
            assert (link.ar_start, link.ar_end) in arabic_words
            assert pair.source_start <= link.ar_start < link.ar_end <= pair.source_end
            total += 1
            whole += (link.en_start, link.en_end) in english_words
    assert whole >= 0.95 * total  # English words as the text spells them
    assert document.meta["links"] is True
    again = runner.invoke(app, args)
    assert again.exit_code == 0 and "--links" in again.stdout
    assert not any(p.links for p in read_json(out / f"{seed_paths[0].stem}.json").pairs)
