from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mt.errors import FormatError
from mt.formats import (
    read_json,
    read_pairs,
    read_tmx,
    write_json,
    write_pairs,
    write_tmx,
)
from mt.types import HistoryItem, Pair, PairDocument, TermHit

from ..conftest import shared_path

TRICKY = "قال «الأسد» <script>alert(1)</script> & “x” 'y' \u200f\u202bمرحبا\u202c\nسطر\r\nثان\t."


def _document(**meta) -> PairDocument:
    pairs = (
        Pair(
            id="0",
            source=TRICKY,
            target="He said <b> & \"Assad\"",
            source_start=0,
            source_end=len(TRICKY),
            terms=(TermHit("الأسد", 5, 10, "Assad", "الأسد", "forced"),),
        ),
        Pair(id="1", source="", target="orphan", source_ids=(), target_ids=(4,), confidence=0.25, type="0-1"),
        Pair(
            id="2",
            source="أ",
            target="b",
            source_ids=(1, 2),
            target_ids=(5,),
            type="2-1",
            status="approved",
            original_target="c",
            history=(HistoryItem("edit", "2026-11-28T10:00:00Z", "c", "b"),),
        ),
    )
    return PairDocument(meta={"doc": "d", "source_file": "seeds/d.txt", **meta}, pairs=pairs)


@pytest.mark.parametrize("suffix", [".json", ".tmx"])
def test_round_trip_is_identical(tmp_path, suffix):
    doc = _document(model="m", options={"beam": 4})
    path = tmp_path / f"out{suffix}"
    write_pairs(doc, path, all_units=True)
    back = read_pairs(path)
    assert back.pairs == doc.pairs
    assert back.meta.items() >= doc.meta.items()
    assert {"tool", "tool_version", "created"} <= back.meta.keys()
    # writing what was read gives the same file
    again = tmp_path / f"again{suffix}"
    write_pairs(back, again, all_units=True)
    assert again.read_bytes() == path.read_bytes()


def test_tmx_leaves_out_pairs_that_make_no_translation_unit(tmp_path):
    """A 0-1 pair (empty Arabic) and a copied English caption filed as Arabic
    are left out of the TMX by default, and counted; ``all_units`` keeps them."""
    from translate.storage import tmx as tmx_reader

    caption = Pair(id="3", source=".Damascus airport on September 30, 2014", target=".Damascus airport on September 30, 2014")
    doc = PairDocument(meta=_document().meta, pairs=(*_document().pairs, caption))
    path = tmp_path / "out.tmx"
    summary = write_tmx(doc, path)
    assert (summary.written, summary.empty_side, summary.no_arabic) == (2, 1, 1)
    assert summary.describe() == "left out of the TMX: 1 with an empty side, 1 without Arabic text"
    assert [p.id for p in read_tmx(path).pairs] == ["0", "2"]
    units = tmx_reader.tmxfile.parsefile(str(path)).units
    assert all(u.source and u.target for u in units)
    assert b"<seg></seg>" not in path.read_bytes() and b"Damascus airport" not in path.read_bytes()
    assert write_pairs(doc, path, all_units=True).left_out == 0
    assert [p.id for p in read_tmx(path).pairs] == ["0", "1", "2", "3"]


def test_tmx_header_and_units(tmp_path):
    from lxml import etree

    path = tmp_path / "d.tmx"
    write_tmx(_document(), path, all_units=True)
    root = etree.parse(str(path)).getroot()
    header = root.find("header")
    assert root.get("version") == "1.4"
    for attr, value in {
        "creationtool": "mt-glossary",
        "segtype": "sentence",
        "adminlang": "en",
        "srclang": "ar",
        "datatype": "plaintext",
    }.items():
        assert header.get(attr) == value
    assert header.get("o-tmf") and header.get("creationtoolversion")
    assert len(header.get("creationdate")) == 16 and header.get("creationdate").endswith("Z")
    tus = root.findall("body/tu")
    assert len(tus) == 3
    langs = [tuv.get("{http://www.w3.org/XML/1998/namespace}lang") for tuv in tus[0].findall("tuv")]
    assert langs == ["ar", "en"]
    props = {p.get("type"): p.text for p in tus[0].findall("prop")}
    assert props["x-document"] == "d" and props["x-segment-id"] == "0"
    assert json.loads(props["x-term"])["status"] == "forced"


def test_translate_toolkit_reads_our_tmx(tmp_path):
    from translate.storage import tmx
    path = tmp_path / "d.tmx"
    doc = _document()
    write_tmx(doc, path, all_units=True)
    store = tmx.tmxfile.parsefile(str(path))
    units = [u for u in store.units]
    assert [(u.source, u.target) for u in units] == [(p.source, p.target) for p in doc.pairs]


def test_reads_foreign_tmx():
    path = shared_path("data", "tico19", "all.en-ar.tmx")
    doc = read_tmx(path)
    assert len(doc.pairs) == 3071
    first = doc.pairs[0]
    assert first.source.startswith("منذ متى")
    assert first.target == "about how long have these symptoms been going on?"
    assert first.id == "CMU_1:1"


def test_foreign_tmx_with_inline_codes_and_lang_attribute(tmp_path):
    path = tmp_path / "f.tmx"
    path.write_text(
        '<?xml version="1.0"?><tmx version="1.1"><header srclang="EN-US"/><body>'
        '<tu><tuv lang="EN-US"><seg>Press <bpt i="1">&lt;b&gt;</bpt>OK<ept i="1">&lt;/b&gt;</ept></seg></tuv>'
        '<tuv lang="AR-SA"><seg>اضغط موافق</seg></tuv></tu>'
        '<tu><tuv lang="fr"><seg>x</seg></tuv></tu></body></tmx>',
        encoding="utf-8",
    )
    doc = read_tmx(path)
    assert [(p.source, p.target) for p in doc.pairs] == [("اضغط موافق", "Press OK")]
    assert doc.meta["skipped_units"] == 1


@pytest.mark.parametrize(
    "content,message",
    [
        ("<tmx><body><tu>", "not well-formed XML at line 1"),
        ("<root/>", "root element is <root>, expected <tmx>"),
        ("<tmx version='1.4'><header/></tmx>", "no <body> element"),
        ('<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><tmx><body><tu><tuv xml:lang="ar"><seg>&e;</seg></tuv><tuv xml:lang="en"><seg>x</seg></tuv></tu></body></tmx>', None),
    ],
)
def test_malformed_tmx(tmp_path, content, message):
    path = tmp_path / "bad.tmx"
    path.write_text(content, encoding="utf-8")
    if message is None:  # external entities are never resolved
        doc = read_tmx(path)
        assert "root:" not in doc.pairs[0].source
        return
    with pytest.raises(FormatError, match=message):
        read_tmx(path)


@pytest.mark.parametrize(
    "content,message",
    [
        ("{", "not valid JSON at line 1"),
        ("[]", "expected a JSON object of pairs"),
        ('{"pairs": [{"id": "0", "source": "a"}]}', "pair 0: missing key 'target'"),
        ('{"pairs": [{"id": "0", "source": "a", "target": 3}]}', "pair 0: expected str for 'target', found int"),
        ('{"pairs": [{"id": "0", "source": "a", "target": "b", "status": "done"}]}', "unknown status 'done'"),
        ('{"pairs": [{"id": "0", "source": "a", "target": "b"}, {"id": "0", "source": "a", "target": "b"}]}', "pair id '0' appears more than once"),
        ('{"pairs": [{"id": "0", "source": "a", "target": "b", "terms": [{"source": "x"}]}]}', "pair 0, term 0: missing key 'start'"),
        ('{"format": "other", "pairs": []}', "is not 'mt-pairs'"),
        ('{"pairs": [{"id": "0", "source": "a", "target": "b", "source_start": ' + "9" * 5000 + "}]}", "not a JSON file this tool reads"),
        ("[" * 100_000 + "]" * 100_000, "not a JSON file this tool reads"),
        ('{"pairs": [{"id": "0", "source": "a", "target": "\\ud800"}]}', "pair 0: 'target' holds an unpaired surrogate U\\+D800"),
    ],
)
def test_malformed_json(tmp_path, content, message):
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(FormatError, match=message):
        read_json(path)


def test_unknown_suffix(tmp_path):
    with pytest.raises(FormatError, match="expected .json or .tmx"):
        write_pairs(_document(), tmp_path / "x.txt")


def test_control_characters_are_refused_in_tmx_and_nothing_is_written(tmp_path):
    doc = PairDocument(meta={"doc": "d"}, pairs=(Pair(id="0", source="ق\x01ب", target="x"),))
    path = tmp_path / "d.tmx"
    with pytest.raises(FormatError, match=r"d\.tmx: pair 0 source contains U\+0001"):
        write_tmx(doc, path)
    assert list(tmp_path.iterdir()) == []
    write_json(doc, tmp_path / "d.json")  # JSON escapes control characters
    assert read_json(tmp_path / "d.json").pairs == doc.pairs


_XML_TEXT = st.text(
    alphabet=st.characters(
        blacklist_categories=("Cs",),
        blacklist_characters="".join(map(chr, [*range(0, 9), 11, 12, *range(14, 32), 0xFFFE, 0xFFFF])),
    ),
    max_size=40,
)
_ANY_TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(_XML_TEXT, _XML_TEXT), min_size=1, max_size=5))
def test_tmx_round_trip_arbitrary_text(tmp_path_factory, texts):
    doc = PairDocument(meta={"doc": "p"}, pairs=tuple(Pair(id=str(i), source=s, target=t) for i, (s, t) in enumerate(texts)))
    path = tmp_path_factory.mktemp("tmx") / "p.tmx"
    write_tmx(doc, path, all_units=True)
    assert read_tmx(path).pairs == doc.pairs


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(_ANY_TEXT, _ANY_TEXT), min_size=1, max_size=5))
def test_json_round_trip_arbitrary_text(tmp_path_factory, texts):
    doc = PairDocument(meta={"doc": "p"}, pairs=tuple(Pair(id=str(i), source=s, target=t) for i, (s, t) in enumerate(texts)))
    path = tmp_path_factory.mktemp("json") / "p.json"
    write_json(doc, path)
    assert read_json(path).pairs == doc.pairs


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(_ANY_TEXT, _ANY_TEXT), min_size=1, max_size=4))
def test_tmx_with_any_unicode_round_trips_or_is_refused_cleanly(tmp_path_factory, texts):
    """Text XML 1.0 cannot hold (C0 controls, U+FFFE/FFFF) is refused with a
    message naming the character; nothing is written.  Everything else round
    trips exactly."""
    import re as _re

    doc = PairDocument(meta={"doc": "p"}, pairs=tuple(Pair(id=str(i), source=s, target=t) for i, (s, t) in enumerate(texts)))
    folder = tmp_path_factory.mktemp("tmx")
    path = folder / "p.tmx"
    illegal = _re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
    if any(illegal.search(s + t) for s, t in texts):
        with pytest.raises(FormatError, match=r"contains U\+[0-9A-F]{4}"):
            write_tmx(doc, path, all_units=True)
        assert list(folder.iterdir()) == []
    else:
        write_tmx(doc, path, all_units=True)
        assert read_tmx(path).pairs == doc.pairs


def test_tmx_metadata_that_is_not_an_object_is_ignored(tmp_path):
    path = tmp_path / "m.tmx"
    path.write_text(
        '<tmx version="1.4"><header><prop type="x-meta">[1, 2]</prop></header><body>'
        '<tu><tuv xml:lang="ar"><seg>أ</seg></tuv><tuv xml:lang="en"><seg>a</seg></tuv></tu></body></tmx>',
        encoding="utf-8",
    )
    doc = read_tmx(path)
    assert doc.meta["doc"] == "m" and [p.target for p in doc.pairs] == ["a"]
