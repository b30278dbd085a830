"""``mt glossary suggest``: candidates the glossary lacks, their evidence and proposed English,
written so that ``mt glossary import`` takes them (issue 14, item 1)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli import app
from mt.glossary import (
    CommonWords,
    Entry,
    Glossary,
    Source,
    load_common_words,
    suggest_entries,
    write_candidates,
)
from mt.align import read_documents
from mt.glossary.translit import similarity
from mt.types import Pair, PairDocument
from tests.conftest import assert_one_line_error

ROOT = Path(__file__).resolve().parents[2]
HOUSE = ROOT / "glossary" / "entities.tsv"
SEEDS = ROOT / "seeds"


def _suggest(*texts: str, glossary: Glossary | None = None, **kwargs):
    docs = [[Source(f"d{k}", text)] for k, text in enumerate(texts)]
    return suggest_entries(docs, glossary, **kwargs)


def _by_ar(candidates):
    return {c.ar: c for c in candidates}


@pytest.mark.parametrize(
    ("text", "form", "type_", "cue"),
    [
        ("قال الجنرال قاسم سليماني إن القوات تقدمت.", "قاسم سليماني", "PER", "title الجنرال"),
        ("وقال وزير الخارجية الإيراني محمد جواد ظريف إن بلاده مستعدة.", "محمد جواد ظريف", "PER", "title وزير"),
        ("وذكرت وكالة إرنا أن الاجتماع انتهى.", "إرنا", "ORG", "head وكالة"),
        ("وأعلن حزب الله أنه سيرد.", "حزب الله", "ORG", "head حزب"),  # the head is part of this name
        ("سقطت قذائف على مدينة حمص أمس.", "حمص", "LOC", "head مدينة"),
        ("واستهدف القصف قاعدة الشعيرات الجوية.", "الشعيرات", "LOC", "head قاعدة"),
    ],
)
def test_cues_give_the_form_the_type_and_the_evidence(text, form, type_, cue):
    found = _by_ar(_suggest(text))
    assert form in found, list(found)
    assert found[form].type == type_
    assert cue in dict(found[form].cues)
    assert form in found[form].context or found[form].ar in found[form].context


def test_a_nisba_between_title_and_name_is_evidence():
    (cand,) = [c for c in _suggest("وقال الرئيس السوري بشار الأسد في مقابلة.") if c.ar == "بشار الأسد"]
    assert {"title الرئيس", "nisba"} <= set(dict(cand.cues))


def test_never_a_form_the_glossary_matches_nor_a_stop_word():
    glossary = Glossary.load(HOUSE)
    found = _suggest("قال الرئيس فلاديمير بوتين إن روسيا وإيران في سوريا.", "وقال بوتين في موسكو.", glossary=glossary)
    forms = {c.ar for c in found}
    assert not forms & {"فلاديمير بوتين", "بوتين", "روسيا", "وإيران", "إيران", "سوريا", "موسكو"}
    assert not forms & {"قال", "وقال", "في", "إن"}
    for cand in found:
        assert not glossary.match(cand.ar), cand.ar


def test_a_proclitic_is_stripped_only_when_the_rest_is_attested():
    texts = ("وصل المبعوث إلى ليبيا.", "وقال رئيس البرلمان نبيه بري إن فلسطين قضية.", "وقال رئيس البرلمان نبيه بري.",
             "التقى وزير الخارجية شمخاني.", "ووصل شمخاني إلى الاجتماع مع وشمخاني.")
    found = _by_ar(_suggest(*texts))
    assert "شمخاني" in found and "وشمخاني" not in found and found["شمخاني"].count == 3, "و stripped: شمخاني is attested"
    assert "نبيه بري" in found, "بري keeps its ب"
    assert not {"يبيا", "لسطين", "ري"} & set(found), "ليبيا and فلسطين keep their first letter"


def test_the_article_after_a_proclitic_is_a_clitic_and_lam_lam_gets_its_alef_back():
    found = _by_ar(_suggest("ضربت الصواريخ قاعدة الشعيرات الجوية.", "وعاد الطيران إلى قاعدة للشعيرات بعد يوم."))
    assert found["الشعيرات"].count == 2


def test_common_words_are_never_proposed_without_a_cue():
    found = _by_ar(_suggest("كان الرجل ظريف جدا وظريف في حديثه.", "ظريف وجميل."))
    assert "ظريف" not in found and "جميل" not in found
    with_cue = _by_ar(_suggest("قال الوزير ظريف إن المحادثات جيدة."))
    assert "ظريف" in with_cue and "witty" in with_cue["ظريف"].note()


def test_a_users_dictionary_removes_its_words(tmp_path):
    text = ("انتهت المفاوضات بعد ساعات طويلة.", "المفاوضات مستمرة منذ ساعات.")
    assert "ساعات" in _by_ar(_suggest(*text)), "a recurring word the built-in list lacks"
    words = tmp_path / "words.txt"
    words.write_text("ساعات\tHours\n", encoding="utf-8")
    assert "ساعات" not in _by_ar(_suggest(*text, common=load_common_words(words)))


def test_aligned_english_proposes_the_spelling_and_picks_the_words():
    source = Source("d", "لم يستجب سكوت آرفيلد حيث قام ديكلان غالاغر بتمرير الكرة.", english="Scott Arfield did not react as Declan Gallagher slotted the ball.", english_kind="aligned")
    found = _by_ar(suggest_entries([[source]]))
    assert found["ديكلان غالاغر"].en == "Declan Gallagher" and found["ديكلان غالاغر"].en_source == "aligned"
    assert found["سكوت آرفيلد"].en == "Scott Arfield"
    assert "قام ديكلان غالاغر بتمرير" not in found


def test_aligned_english_attests_a_stripped_proclitic():
    source = Source("d", "وأريال إيرليج من الضحايا.", english="Ariel Erlij was among the victims.", english_kind="aligned")
    found = _by_ar(suggest_entries([[source]]))
    assert "أريال إيرليج" in found and found["أريال إيرليج"].en == "Ariel Erlij"


def test_with_human_english_a_word_it_does_not_spell_is_no_candidate():
    source = Source("d", "المفاوضات مستمرة. المفاوضات صعبة.", english="The talks go on. The talks are hard.", english_kind="aligned")
    assert suggest_entries([[source]]) == []


def test_mt_links_give_the_words_that_attend_to_the_name():
    # "Shamkhani" (0:9) attends to شمخاني (8:14); "said" (10:14) to قال (0:3)
    text = "قال علي شمخاني"
    links = ((0, 9, 8, 14), (10, 14, 0, 3))
    source = Source("d", text, 0, "Shamkhani said", "mt", links)
    glossary = Glossary([Entry("علي", "Ali", "PER")])
    found = _by_ar(suggest_entries([[source, source]], glossary))
    assert found["شمخاني"].by_source("mt") == "Shamkhani" and found["شمخاني"].en_source == "mt"


def test_mt_words_that_do_not_spell_the_name_come_last():
    text = "قال الجنرال قاسم سليماني"
    source = Source("d", text, 0, "xq zzv said", "mt", ((0, 2, 12, 16), (3, 6, 17, 24)))
    (cand,) = [c for c in suggest_entries([[source]]) if c.ar == "قاسم سليماني"]
    assert cand.by_source("mt") == "xq zzv" and cand.proposals[-1].source == "mt", "random-weight words: nonsense"
    assert cand.en_source != "mt"


def test_every_candidate_has_an_english_and_ranking_is_by_confidence():
    found = suggest_entries(read_documents([SEEDS], glossary=Glossary.load(HOUSE)), Glossary.load(HOUSE))
    assert found and all(c.en for c in found)
    assert [c.confidence for c in found] == sorted((c.confidence for c in found), reverse=True)
    assert all(0 <= c.confidence <= 1 for c in found)


def test_min_count_and_top():
    texts = ("قال الجنرال قاسم سليماني.", "قال الجنرال قاسم سليماني.", "وقال العميد حسين همداني.")
    assert {c.ar for c in _suggest(*texts, min_count=2)} == {"قاسم سليماني"}
    assert len(_suggest(*texts, top=1)) == 1


def test_held_out_entries_come_back_from_the_seeds():
    house = Glossary.load(HOUSE)
    held = ("حسن روحاني", "روحاني", "قاسم سليماني", "سليماني", "محسن قاجاريان", "حمص", "الشعيرات", "خان شيخون")
    rest = Glossary([e for e in house.entries if e.ar not in held])
    forms = {c.ar for c in suggest_entries(read_documents([SEEDS], glossary=rest), rest)}
    assert {"حسن روحاني", "قاسم سليماني", "محسن قاجاريان", "حمص", "الشعيرات", "خان شيخون"} <= forms


def test_similarity_pairs_transliterations_only():
    assert similarity("غراسيموف", "Gerasimov") == 1.0
    assert similarity("بشار الأسد", "Bashar al-Assad") == 1.0
    assert similarity("ساعات", "Senate") == 0.0
    assert similarity("مكتب", "Scott Pelley") == 0.0


# ---- reading inputs ------------------------------------------------------------------


def test_reads_the_json_of_translate_and_align(tmp_path):
    from mt.formats import write_json

    pair = Pair(id="0", source="قال الجنرال قاسم سليماني", target="General Qassem Soleimani said", source_start=0, source_end=24)
    write_json(PairDocument(meta={"doc": "t", "source_file": "t.txt", "kind": "translation"}, pairs=(pair,)), tmp_path / "t.json")
    write_json(PairDocument(meta={"doc": "a", "source_file": "a.txt", "kind": "alignment"}, pairs=(pair,)), tmp_path / "a.json")
    (mt_doc,) = read_documents([tmp_path / "t.json"])
    (al_doc,) = read_documents([tmp_path / "a.json"])
    assert mt_doc[0].english_kind == "mt" and al_doc[0].english_kind == "aligned"
    (cand,) = [c for c in suggest_entries([al_doc]) if c.ar == "قاسم سليماني"]
    assert cand.en == "Qassem Soleimani" and cand.en_source == "aligned"
    (cand,) = [c for c in suggest_entries([mt_doc]) if c.ar == "قاسم سليماني"]
    assert cand.by_source("mt") == "Qassem Soleimani"


def test_english_files_are_aligned_with_their_article(tmp_path):
    (tmp_path / "ar").mkdir()
    (tmp_path / "en").mkdir()
    (tmp_path / "ar" / "x.txt").write_text("قال الجنرال قاسم سليماني إن القوات تقدمت.\n\nوعاد إلى طهران.\n", encoding="utf-8")
    (tmp_path / "en" / "x.en.txt").write_text("General Qassem Soleimani said the forces advanced.\n\nHe went back to Tehran.\n", encoding="utf-8")
    docs = read_documents([tmp_path / "ar"], [tmp_path / "en"])
    found = _by_ar(suggest_entries(docs))
    assert found["قاسم سليماني"].en == "Qassem Soleimani"
    assert found["طهران"].en == "Tehran"
    (tmp_path / "en" / "y.txt").write_text("Stray.\n", encoding="utf-8")
    with pytest.raises(Exception, match="no Arabic article named 'y'"):
        read_documents([tmp_path / "ar"], [tmp_path / "en"])


# ---- output and CLI ------------------------------------------------------------------


def test_written_candidates_import_into_a_glossary(tmp_path):
    house = Glossary.load(HOUSE)
    rest = Glossary([e for e in house.entries if e.ar not in ("حمص", "قاسم سليماني", "سليماني")], path=HOUSE)
    found = suggest_entries(read_documents([SEEDS], glossary=rest), rest, top=10)
    out = tmp_path / "candidates.csv"
    assert write_candidates(found, out) == len(found)
    rows = list(csv.DictReader(out.read_text(encoding="utf-8-sig").splitlines()))
    assert [r["ar"] for r in rows] == [c.ar for c in found]
    assert all(r["note"].startswith("suggested, confidence") and "e.g. «" in r["note"] for r in rows)
    target = tmp_path / "g.tsv"
    target.write_text("ar\ten\ttype\tvariants\tnote\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["glossary", "import", str(out), "-g", str(target)])
    assert result.exit_code == 0, result.output
    imported = Glossary.load(target)
    assert [e.ar for e in imported.entries] == [c.ar for c in found]
    assert [e.type for e in imported.entries] == [c.type for c in found]


def test_cli_writes_the_csv_and_says_what_to_do_next(tmp_path):
    out = tmp_path / "c.csv"
    result = CliRunner().invoke(app, ["glossary", "suggest", str(SEEDS), "-g", str(HOUSE), "--top", "5", "--out", str(out), "--no-romanizer"])
    assert result.exit_code == 0, result.output
    assert f"{out}: 5 candidates from 5 documents" in result.stdout and f"mt glossary import {out}" in result.stdout
    assert out.read_bytes().startswith(b"\xef\xbb\xbfar,en,type,variants,note")


def test_cli_prints_csv_on_stdout_without_out():
    result = CliRunner().invoke(app, ["glossary", "suggest", str(SEEDS), "-g", str(HOUSE), "--top", "3", "--no-romanizer"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "ar,en,type,variants,note" and len(list(csv.reader(lines))) == 4
    assert "3 candidates from 5 documents" in result.stderr


@pytest.mark.parametrize(
    ("make", "fragment"),
    [
        (lambda p: p / "missing.txt", "no such file"),
        (lambda p: (p / "en.txt").write_text("Only English here.\n") and p / "en.txt", "found no Arabic letters"),
        (lambda p: (p / "bad.json").write_text("{nope") and p / "bad.json", "not valid JSON"),
    ],
)
def test_cli_bad_input_is_one_line(tmp_path, make, fragment):
    path = make(tmp_path)
    result = CliRunner().invoke(app, ["glossary", "suggest", str(path), "-g", str(HOUSE)])
    assert_one_line_error(result, fragment)


def test_romanizer_is_optional():
    from mt.glossary import load_romanizer, romanizer_available

    spell = load_romanizer()
    assert (spell is None) == (not romanizer_available())
    if spell is not None:
        assert spell("زاخاروفا") == "Zakharova"
        (cand,) = [c for c in _suggest("قال الجنرال قاسم سليماني.", romanizer=spell) if c.ar == "قاسم سليماني"]
        assert cand.by_source("romanizer")


def test_common_words_object_defaults_to_the_built_in_list():
    assert "في" in CommonWords() and CommonWords().is_stop_word("الرئيس") and not CommonWords().is_stop_word("ظريف")
    assert json.dumps(sorted(CommonWords().sources)) == '["built-in list"]'


def test_cli_english_and_dictionary(tmp_path):
    (tmp_path / "x.txt").write_text("قال الجنرال حسين همداني إن القوات تقدمت.\n\nوقالت الوكالة إن ساعات مرت.\n", encoding="utf-8")
    (tmp_path / "x.en.txt").write_text("General Hossein Hamedani said the forces advanced.\n\nThe agency said hours passed.\n", encoding="utf-8")
    out = tmp_path / "c.csv"
    args = ["glossary", "suggest", str(tmp_path / "x.txt"), "--english", str(tmp_path / "x.en.txt"), "-g", str(HOUSE), "--out", str(out)]
    result = CliRunner().invoke(app, args + ["--no-romanizer"])
    assert result.exit_code == 0, result.output
    assert "1 aligned" in result.stdout
    rows = list(csv.DictReader(out.read_text(encoding="utf-8-sig").splitlines()))
    assert [(r["ar"], r["en"]) for r in rows] == [("حسين همداني", "Hossein Hamedani")]
    result = CliRunner().invoke(app, args + ["--dictionary", str(tmp_path / "missing.tsv")])
    assert_one_line_error(result, "missing.tsv")


def test_the_english_context_gives_a_type_where_the_arabic_has_no_cue():
    source = Source("d", "وقال سوليفان إن الكنيسة قديمة. وتحدث في تولسا في أوكلاهوما.",
                    english="Mr. Sullivan said the church is old. He spoke in Tulsa, Oklahoma.", english_kind="aligned")
    found = _by_ar(suggest_entries([[source]]))
    assert found["سوليفان"].type == "PER"
    assert found["تولسا"].type == "LOC"


@pytest.mark.slow
def test_word_links_of_a_translate_json_feed_the_mt_source(tiny_ct2_int8, tmp_path):
    """The tiny random-weight model: its words are nonsense, so the mt proposal never wins."""
    from mt.formats import write_json
    from mt.text import Article
    from mt.translate import DecodeOptions, RunSettings, load_backend, translate_article

    text = "قال الجنرال حسين همداني إن القوات تقدمت.\n\nوعاد همداني إلى طهران."
    settings = RunSettings(model=str(tiny_ct2_int8), backend=load_backend(str(tiny_ct2_int8), "ctranslate2"),
                           options=DecodeOptions(beam=1), links=True)
    write_json(translate_article(Article(path=tmp_path / "a.txt", doc="a", text=text), settings), tmp_path / "a.json")
    (doc,) = read_documents([tmp_path / "a.json"])
    assert doc and all(s.english_kind == "mt" and s.links for s in doc)
    found = _by_ar(suggest_entries([doc]))
    cand = found["حسين همداني"]
    mt = cand.by_source("mt")
    if mt is not None:
        assert all(word in doc[0].english for word in mt.split())
        assert similarity(cand.ar, mt) >= 0.5 or cand.en_source != "mt"
