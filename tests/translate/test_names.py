"""One spelling for an unknown name throughout an article (--consistent-names)."""

from __future__ import annotations

import pytest

from mt.translate.names import NAME_PREFIX, NameMention, first_spellings, linked_spelling, name_mentions, name_requests
from mt.types import WordLink


def test_the_spelling_is_the_english_linked_to_the_name_without_punctuation():
    target = "He met Qaani Ismail, in Tehran."
    # "Qaani" and "Ismail," both link to the name at 10–22 of the source.
    links = [WordLink(0, 2, 0, 4), WordLink(7, 12, 10, 15), WordLink(13, 20, 16, 22), WordLink(24, 31, 30, 35)]
    assert linked_spelling(target, links, 10, 22) == "Qaani Ismail"
    assert linked_spelling(target, links, 40, 45) is None
    # Linked words that are not adjacent: the first alone.
    apart = [WordLink(7, 12, 10, 15), WordLink(24, 31, 10, 15)]
    assert linked_spelling(target, apart, 10, 15) == "Qaani"


def test_later_mentions_get_the_first_spelling_and_a_first_mention_beside_them_keeps_it():
    a, b = "قاآني", "ظريف"
    mentions = [
        [NameMention(0, 5, 10, "قاآني", a)],
        [NameMention(1, 0, 4, "ظريف", b), NameMention(1, 9, 15, "وقاآني", a)],
        [],
        [NameMention(3, 3, 7, "ظريف", b)],
    ]
    spellings = {a: "Qaani", b: "Zarif"}
    again = name_requests(mentions, spellings)
    assert sorted(again) == [1, 3]  # segment 0 holds only a first mention
    assert [(r.start, r.end, r.en, r.entry) for r in again[1]] == [
        (0, 4, "Zarif", NAME_PREFIX + b),  # ظريف's first mention, enforced with its own spelling
        (9, 15, "Qaani", NAME_PREFIX + a),
    ]
    assert [(r.en, r.entry) for r in again[3]] == [("Zarif", NAME_PREFIX + b)]
    # A name without a spelling is not enforced.
    assert sorted(name_requests(mentions, {b: "Zarif"})) == [3]


def test_first_spellings_read_each_names_first_mention():
    mentions = [[], [NameMention(1, 0, 5, "قاآني", "قاآني")], [NameMention(2, 0, 5, "قاآني", "قاآني")]]
    targets = ["x", "Qaany said", "Kaani went"]
    links = [[], [WordLink(0, 5, 0, 5), WordLink(6, 10, 6, 9)], [WordLink(0, 5, 0, 5)]]
    assert first_spellings(mentions, targets, links) == {"قاآني": "Qaany"}


@pytest.fixture(scope="module")
def qaani_article():
    return [
        "قال العميد إسماعيل قاآني قائد فيلق القدس إن طهران لن تتراجع.",
        "وأضاف قاآني أن الرد سيكون قريبا.",
        "ولم يعلق قاآني على التقارير.",
        "وقال مسؤول آخر إن الوضع هادئ.",
    ]


def test_a_name_in_two_or_more_segments_is_found_at_each_mention(qaani_article):
    mentions = name_mentions(qaani_article)
    names = {m.name for seg in mentions for m in seg}
    assert any("قاآني" in n for n in names), mentions
    qaani = [m for seg in mentions for m in seg if "قاآني" in m.name]
    # The surname of a person a title introduced (العميد إسماعيل قاآني), in segments 1 and 2;
    # a recurring verb or noun with no such cue is no name.
    assert {m.segment for m in qaani} == {1, 2}
    assert not any(m.source in ("وقال", "قال", "إن") for seg in mentions for m in seg)
    for m in qaani:
        assert "قاآني" in qaani_article[m.segment][m.start : m.end]


def test_a_name_overlapping_a_term_is_left_to_the_term(qaani_article):
    from mt.translate import TermRequest

    start = qaani_article[1].index("قاآني")
    terms = [[], [TermRequest(start, start + 5, "قاآني", "Qaani", "قاآني")], [], []]
    mentions = name_mentions(qaani_article, terms=terms)
    assert not [m for m in mentions[1] if m.start < start + 5 and start < m.end]
    # Left with one segment, the name no longer recurs.
    assert not any(mentions)


@pytest.mark.slow
def test_consistent_names_spell_a_recurring_name_as_at_its_first_mention(tiny_ct2_int8, qaani_article, tmp_path):
    """With the tiny random-weight model: its spelling is nonsense, but the
    spelling of the first mention appears at every later one."""
    from typer.testing import CliRunner

    from cli import app
    from mt.formats import read_json
    from mt.glossary import find_terms

    article = tmp_path / "qaani.txt"
    article.write_text("\n".join(qaani_article) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    args = ["translate", str(article), "--out", str(out), "--model", str(tiny_ct2_int8)]
    result = CliRunner().invoke(app, [*args, "--consistent-names"])
    assert result.exit_code == 0, result.output
    document = read_json(out / "qaani.json")
    hits = [(pair, n) for pair in document.pairs for n in pair.names]
    assert {n.entry for _, n in hits} == {"قاآني"}
    assert len({n.en for _, n in hits}) == 1 and len(hits) == 2
    text = article.read_text(encoding="utf-8")
    for pair, name in hits:
        assert text[name.start : name.end] == name.source and "قاآني" in name.source
        assert find_terms(pair.target, [name.en])[name.en], (name.en, pair.target)
        assert not pair.terms  # names are not glossary terms
    assert document.meta["consistent_names"] is True
    plain = CliRunner().invoke(app, args)
    assert plain.exit_code == 0 and "--consistent-names" in plain.stdout
    assert not any(p.names for p in read_json(out / "qaani.json").pairs)
