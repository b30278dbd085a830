"""The house glossary and the Arabic-aware matcher."""

from __future__ import annotations

import hashlib
import unicodedata
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mt.errors import GlossaryError, MTError
from mt.glossary import Glossary, check_glossary
from mt.glossary.entries import (
    TYPES,
    Entry,
    TermMatch,
    check_entry,
    form_key,
    format_glossary,
)
from mt.text import normalize_text

from ..conftest import HOUSE, SEEDS


@pytest.fixture(scope="module")
def house() -> Glossary:
    return Glossary.load(HOUSE)


@pytest.fixture(scope="module")
def seeds() -> dict[str, str]:
    return {p.stem[:3]: p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))}


# ---- the matcher, one row a case ---------------------------------------------------

MATCHES = [
    # (text, matched text, clitic, English)
    ("بروسيا", "بروسيا", "ب", "Russia"),
    ("وروسيا", "وروسيا", "و", "Russia"),
    ("لطهران", "لطهران", "ل", "Tehran"),
    ("بالأسد", "بالأسد", "ب", "Assad"),
    ("للأسد", "للأسد", "ل", "Assad"),  # article alef dropped after ل
    ("فللأسد", "فللأسد", "فل", "Assad"),
    ("وبالأسد", "وبالأسد", "وب", "Assad"),
    ("كالأسد", "كالأسد", "ك", "Assad"),
    ("والأسد", "والأسد", "و", "Assad"),
    ("لبشار الأسد", "لبشار الأسد", "ل", "Bashar al-Assad"),
    ("وغراسيموف", "وغراسيموف", "و", "Gerasimov"),
    ("موسکو", "موسکو", "", "Moscow"),  # Persian keheh
    ("ولایتي", "ولایتي", "", "Velayati"),  # Persian yeh; و is part of the name
    ("سوریا", "سوریا", "", "Syria"),
    ("قاسم سلماني", "قاسم سلماني", "", "Qassem Soleimani"),  # misspelling in seed 004
    ("وللحرس الثوري", "وللحرس الثوري", "ول", "Revolutionary Guards"),
    ("بالحرس الثوري الإيراني", "بالحرس الثوري", "ب", "Revolutionary Guards"),
    ("الاسد", "الاسد", "", "Assad"),  # no hamza: normalisation, not a variant
    ("الأَسَد", "الأَسَد", "", "Assad"),  # harakat
    ("إدلـــب", "إدلـــب", "", "Idlib"),  # tatweel
    ("حلب\u0301", "حلب\u0301", "", "Aleppo"),  # a stray combining mark stays with its letter
    ("\u0640حلب", "حلب", "", "Aleppo"),
    ("بشار \n  الأسد", "بشار \n  الأسد", "", "Bashar al-Assad"),  # any run of whitespace
    ("فيلق قدس", "فيلق قدس", "", "Quds Force"),
    ("«جنيف3»", "جنيف3", "", "Geneva III"),
    ("إس-300", "إس-300", "", "S-300"),
    ("ولروسيا", "ولروسيا", "ول", "Russia"),
    ("لإيران", "لإيران", "ل", "Iran"),
    ("للبنان", "للبنان", "ل", "Lebanon"),  # ل before a name that begins with ل
    ("وحماة", "وحماة", "و", "Hama"),
    ("الولايات المتحدة الأمريكية", "الولايات المتحدة الأمريكية", "", "United States"),
]


@pytest.mark.parametrize(("text", "matched", "clitic", "en"), MATCHES)
def test_match_table(house, text, matched, clitic, en):
    found = house.match(text)
    assert len(found) == 1, found
    m = found[0]
    assert (m.text, m.clitic, m.entry.en) == (matched, clitic, en)
    assert text[m.start : m.end] == m.text
    assert m.term_start == m.start + len(clitic)


@pytest.mark.parametrize(
    "text",
    [
        "الأسدي",  # a longer word (nisba / family name)
        "حلبة",  # 'ring', not Aleppo
        "الإيرانيين",  # adjective, not Iran
        "الإيراني",
        "الروسي",
        "روسي",
        "السورية",
        "موسكوفي",
        "بروسياوي",
        "ابروسيا",  # ا is no clitic
        "سليمان",  # a different name, deliberately not a variant of Soleimani
        "العربية",  # the adjective Arab/Arabic, not Al Arabiya
        "جنيف33",
        "حلب\u0301ي",  # a combining mark inside a word does not split it
        "Aleppo",
    ],
)
def test_no_match_inside_words(house, text):
    assert house.match(text) == []


def test_longest_match_wins(house):
    text = "الرئيس السوري بشار الأسد وحسين أمير عبد اللهيان"
    found = [(m.text, m.entry.en) for m in house.match(text)]
    assert found == [("بشار الأسد", "Bashar al-Assad"), ("وحسين أمير عبد اللهيان", "Hossein Amir-Abdollahian")]


def test_offsets_map_back_inside_a_sentence(house):
    text = "وقال بوتينُ  إنّ موسكو ستدعم الأسد.\u200f"
    found = house.match(text)
    assert [m.text for m in found] == ["بوتينُ", "موسكو", "الأسد"]
    for m in found:
        assert text[m.start : m.end] == m.text
    assert all(isinstance(m, TermMatch) for m in found)


def test_entry_api(house):
    entry = house.get("قاسم سليماني")
    assert entry is not None and entry.id == entry.ar == "قاسم سليماني"
    assert entry.forms == ("قاسم سليماني", "قاسم سلماني")
    assert entry.line > 1
    assert Entry("روسيا", "Russia", "LOC", line=3) == Entry("روسيا", "Russia", "LOC", line=9)
    assert "روسيا" in house and house.get("روسي") is None
    with pytest.raises(AttributeError):
        house.entries = ()  # type: ignore[misc]


# ---- the house glossary ------------------------------------------------------------


def test_house_glossary_checks_clean():
    report = check_glossary(HOUSE)
    assert report.ok, report.lines()
    assert report.entries >= 80


def test_house_glossary_header_types_and_hash(house):
    data = HOUSE.read_bytes()
    assert data.decode("utf-8").split("\n", 1)[0] == "ar\ten\ttype\tvariants\tnote"
    assert house.sha256 == hashlib.sha256(data).hexdigest()
    assert {e.type for e in house.entries} == set(TYPES)
    assert len({e.en for e in house.entries}) == len(house.entries)  # one entry an English form


def test_no_nisba_adjectives_in_house_glossary(house):
    adjectives = "الإيراني الإيرانية الإيرانيين إيراني الروسي الروسية روسي السوري السورية سوري الأميركي الأمريكي التركي العربية العراقي"
    forms = {form_key(f) for e in house.entries for f in e.forms}
    assert forms.isdisjoint(form_key(a) for a in adjectives.split())


def test_every_entry_matches_in_the_seeds_or_is_a_noted_addition(house, seeds):
    used = Counter(m.entry.id for text in seeds.values() for m in house.match(text))
    unused = [e.ar for e in house.entries if not used[e.id] and not e.note.startswith("added:")]
    assert unused == []
    # and additions really are additions
    assert not [e.ar for e in house.entries if used[e.id] and e.note.startswith("added:")]


SEED_NAMES = {
    "000": {"Iran", "Russia", "Ali Shamkhani", "Bashar al-Assad", "United States", "Wall Street Journal",
            "Shayrat", "Homs", "Donald Trump", "Khan Sheikhoun", "Idlib", "Mohammad Bagheri",
            "Valery Gerasimov", "Bagheri", "Gerasimov", "Tehran", "Moscow", "Iraq", "Lebanon",
            "Supreme National Security Council", "Nikolai Patrushev", "Hossein Amir-Abdollahian", "Getty Images"},
    "001": {"Tehran", "Moscow", "Hassan Rouhani", "Astana", "Vladimir Putin", "Damascus", "Rouhani",
            "Hezbollah", "IRNA", "Turkey", "Maria Zakharova", "Mohammad Javad Zarif", "Latakia", "Hama",
            "Aleppo", "Eastern Ghouta", "Quneitra", "Daraa", "Recep Tayyip Erdogan", "velayat-e faqih",
            "coronavirus", "Idlib"},
    "002": {"Supreme National Security Council", "Ali Shamkhani", "Shamkhani", "ISNA", "Putin", "Iraq",
            "Assad", "Aleppo", "Islamic State", "Nusra Front"},
    "003": {"Revolutionary Guards", "Nishapur", "Mohsen Qajarian", "al-Zahraa", "Aleppo", "Geneva III",
            "London", "Khamenei", "Ali Akbar Velayati", "Mohammad Javad Zarif", "Velayati", "IRNA",
            "Ali Khamenei", "Tasnim", "Expediency Council", "Amir-Abdollahian", "Ali Larijani", "China",
            "India", "Quds Force", "Bashar al-Assad", "Syria"},
    "004": {"Soleimani", "Qassem Soleimani", "Revolutionary Guards", "Reuters", "S-300", "Sergei Shoigu",
            "Kremlin", "al-Ghab Plain", "Jurin", "Latakia", "Hama", "Idlib", "U.N. Security Council",
            "Washington", "Quds Force", "United Nations", "Damascus"},
}


@pytest.mark.parametrize("seed", sorted(SEED_NAMES))
def test_obvious_names_of_each_seed_are_matched(house, seeds, seed):
    found = {m.entry.en for m in house.match(seeds[seed])}
    assert SEED_NAMES[seed] - found == set()


def test_seed_matches_are_whole_words_with_exact_offsets(house, seeds):
    for text in seeds.values():
        found = house.match(text)
        for m in found:
            assert text[m.start : m.end] == m.text
        assert all(a.end <= b.start for a, b in zip(found, found[1:]))


# ---- loading errors ----------------------------------------------------------------


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "g.tsv"
    path.write_text(text, encoding="utf-8")
    return path


HEAD = "ar\ten\ttype\tvariants\tnote\n"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("روسيا\tRussia\tLOC\n", r"g\.tsv:2: expected 5 tab-separated fields .*found 3"),
        ("روسيا\tRussia\tCOUNTRY\t\t\n", r"g\.tsv:2: expected type PER, ORG, LOC or MISC, found 'COUNTRY'"),
        ("\tRussia\tLOC\t\t\n", r"g\.tsv:2: expected a non-empty ar"),
        ("روسيا\t\tLOC\t\t\n", r"g\.tsv:2: expected a non-empty en"),
        ("روسيا\tRussia\tLOC\t\t\nروسيا\tRussia\tLOC\t\t\n", r"g\.tsv:3: duplicate entry 'روسيا', first at line 2"),
        ("بوتين\tPutin\tPER\t\t\nفلاديمير بوتين\tVladimir Putin\tPER\tبوتين\t\n", r"g\.tsv:3: 'بوتين' means 'Vladimir Putin' here but 'Putin'"),
    ],
)
def test_load_reports_path_and_line(tmp_path, body, message):
    path = _write(tmp_path, HEAD + body)
    with pytest.raises(GlossaryError, match=message) as info:
        Glossary.load(path)
    assert "\n" not in str(info.value)
    assert isinstance(info.value, MTError)


def test_load_header_and_missing_file(tmp_path):
    with pytest.raises(GlossaryError, match=r"g\.tsv:1: expected the header"):
        Glossary.load(_write(tmp_path, "روسيا\tRussia\tLOC\t\t\n"))
    with pytest.raises(GlossaryError, match=r"nope\.tsv: no such glossary file"):
        Glossary.load(tmp_path / "nope.tsv")
    path = tmp_path / "latin1.tsv"
    path.write_bytes(HEAD.encode() + "روسيا".encode("cp1256") + b"\tRussia\tLOC\t\t\n")
    with pytest.raises(GlossaryError, match=r"latin1\.tsv: not valid utf-8 at byte") as info:
        Glossary.load(path)
    # no glossary command has --encoding: the message says how to convert the file
    assert "--encoding" not in str(info.value) and "iconv -f cp1256 -t utf-8" in str(info.value)
    with pytest.raises(MTError, match=r"latin1\.tsv: not valid utf-8") as info:
        check_glossary(path)
    assert "--encoding" not in str(info.value)


def test_load_accepts_bom_crlf_and_blank_lines(tmp_path):
    path = tmp_path / "g.tsv"
    path.write_bytes(("\ufeff" + HEAD + "\r\n" + "روسيا\tRussia\tLOC\t\t\r\n").replace("\n", "\r\n").replace("\r\r", "\r").encode())
    glossary = Glossary.load(path)
    assert [e.en for e in glossary.entries] == ["Russia"]
    assert glossary.entries[0].line == 3


def test_check_entry_raises_the_first_problem():
    good = Entry("حمص", "Homs", "LOC")
    assert check_entry(good) is good
    with pytest.raises(GlossaryError, match=r"^'حمص': expected type PER, ORG, LOC or MISC, found 'TOWN'$"):
        check_entry(Entry("حمص", "Homs", "TOWN"))
    with pytest.raises(GlossaryError, match=r"^in\.csv:4: expected Arabic in ar, found 'Homs'$"):
        check_entry(Entry("Homs", "حمص", "LOC"), "in.csv:4")
    with pytest.raises(GlossaryError, match=r"^'Homs': expected a non-empty ar"):
        format_glossary([good, Entry("", "Homs", "LOC")])


def test_glossary_from_entries_rejects_conflicts():
    entries = [Entry("بوتين", "Putin", "PER"), Entry("بوتين", "Vladimir Putin", "PER")]
    with pytest.raises(GlossaryError, match="duplicate entry 'بوتين' with a different English form"):
        Glossary(entries)
    glossary = Glossary([Entry("بوتين", "Putin", "PER")])
    assert glossary.path is None and len(glossary.sha256) == 64
    assert [m.entry.en for m in glossary.match("وبوتين")] == ["Putin"]


# ---- properties --------------------------------------------------------------------

_GLOSSARY = Glossary.load(HOUSE)
_FORMS = sorted({f for e in _GLOSSARY.entries for f in e.forms})
_PIECES = st.one_of(
    st.sampled_from(_FORMS),
    st.sampled_from(["و", "ف", "ب", "ل", "ك", "ال", "ي", "ية", "ين", "ة"]),  # clitics and suffixes
    st.sampled_from([" ", "  ", "\n", "،", ".", "«", "»", "-", "(", ")", "_", "3", "٣", "a"]),
    st.sampled_from(["\u064e", "\u0651", "\u0640", "\u200c", "\u200f", "\u06a9", "\u06cc", "\u0301", "\u00a0"]),
    st.text(alphabet=st.characters(min_codepoint=0x0621, max_codepoint=0x064A), max_size=4),
)
_TEXTS = st.lists(_PIECES, max_size=25).map("".join)


def _view(text: str) -> str:
    """The text as the matcher sees it: normalised, leftover combining marks dropped."""
    return "".join(c for c in normalize_text(text) if not unicodedata.category(c).startswith("M"))


def _bare(text: str) -> str:
    return form_key(_view(text))


def _term_keys(entry: Entry) -> set[str]:
    keys = {form_key(f) for f in entry.forms}
    return keys | {k[1:] for k in keys if k.startswith("ال")}


@settings(max_examples=400, deadline=None)
@given(_TEXTS)
def test_matches_are_whole_words_sorted_and_disjoint(text):
    found = _GLOSSARY.match(text)
    for m in found:
        assert 0 <= m.start < m.end <= len(text)
        assert text[m.start : m.end] == m.text
        # whole words: no letter, digit or mark next to the match (as the matcher sees the text)
        assert not _view(text[: m.start])[-1:].isalnum()
        assert not _view(text[m.end :])[:1].isalnum()
        assert m.text.startswith(m.clitic)
        assert _bare(text[m.term_start : m.end]) in _term_keys(m.entry)
    assert all(a.end <= b.start for a, b in zip(found, found[1:]))


@settings(max_examples=200, deadline=None)
@given(_TEXTS, st.sampled_from(_FORMS), _TEXTS)
def test_a_form_between_spaces_is_always_found(before, form, after):
    text = f"{before} {form} {after}"
    start = len(before) + 1
    end = start + len(form)
    assert any(m.start < end and start < m.end for m in _GLOSSARY.match(text))
