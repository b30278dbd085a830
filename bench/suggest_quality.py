"""Quality of ``mt glossary suggest``: held-out recall and top-30 precision on the seeds, English
exact match by source, the romanizer on the house glossary's names, and NTREX with human English.

    python bench/suggest_quality.py [--mt-json DIR] [--dictionary FILE] [--sample 30]

* Seeds: 30 house entries (``HELD_OUT``, fixed) are taken out of the glossary; suggest runs on
  ``seeds/`` with the other 61.  Recall: held-out Arabic forms among the candidates.  Precision:
  of the top 30, those whose Arabic is a form of a house entry (any of the 91).  English exact
  match, per source: of the candidates that are house forms, those whose proposal from that
  source is the entry's English exactly.  ``--mt-json DIR``: read ``mt translate`` JSON (with
  word links) instead of the articles, for the MT-attention source; say which model made it, and
  translate with the glossary of ``--write-rest-glossary FILE`` (else the held-out names are
  forced into the English).
* Romanizer: ``arabic-name-romanizer`` (if installed) and the built-in rule romanisation on
  every house entry's Arabic, exact match with its English.
* NTREX: the 62 dev documents (``../shared/data/ntrex-dev``), Arabic with its English aligned as
  ``mt align`` does, the house glossary; the share of candidates whose proposed English occurs
  in the aligned English of its example segment, by source; ``--sample N`` prints N candidates
  (a fixed random sample) to check by hand.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from mt.glossary import (
    Glossary,
    load_common_words,
    load_romanizer,
    suggest_entries,
)
from mt.align import read_documents
from mt.glossary.entries import form_key
from mt.glossary.translit import romanize

SHARED = ROOT.parent / "shared"
HOUSE = ROOT / "glossary" / "entities.tsv"

# 30 house entries held out: persons with their short forms (a full name alone cannot be found
# while its short form is still a glossary term), organisations, places, one MISC.
HELD_OUT = (
    "محمد باقري", "باقري", "فاليري غراسيموف", "غراسيموف", "حسن روحاني", "روحاني", "علي أكبر ولايتي", "ولايتي",
    "قاسم سليماني", "سليماني", "ماريا زاخاروفا", "زاخاروفا", "سيرغي شويجو", "شويجو", "علي لاريجاني", "لاريجاني",
    "محسن قاجاريان",
    "وول ستريت جورنال", "إرنا", "تسنيم", "حزب الله", "جبهة النصرة",
    "طهران", "دمشق", "حلب", "إدلب", "حمص", "الشعيرات", "خان شيخون", "درعا",
)
SOURCES = ("aligned", "mt", "romanizer", "rule")


def _house_forms(glossary: Glossary) -> dict[str, object]:
    return {form_key(form): entry for entry in glossary.entries for form in entry.forms}


def seeds(args, common, spell) -> dict:
    house = Glossary.load(HOUSE)
    assert len(HELD_OUT) == 30 and all(house.get(ar) for ar in HELD_OUT), "HELD_OUT must name 30 house entries"
    rest = Glossary([e for e in house.entries if e.ar not in HELD_OUT])
    inputs = [args.mt_json] if args.mt_json else [ROOT / "seeds"]
    started = time.perf_counter()
    found = suggest_entries(read_documents(inputs, glossary=rest), rest, common, romanizer=spell)
    seconds = time.perf_counter() - started
    forms = _house_forms(house)
    held = {form_key(f): ar for ar in HELD_OUT for f in house.get(ar).forms}
    got = {held[form_key(c.ar)] for c in found if form_key(c.ar) in held}
    top = found[:30]
    right = [c for c in top if form_key(c.ar) in forms]
    known = [c for c in found if form_key(c.ar) in forms]
    by_source = {}
    for source in SOURCES:
        proposed = [(c, c.by_source(source)) for c in known if c.by_source(source)]
        exact = sum(1 for c, en in proposed if en == forms[form_key(c.ar)].en)
        by_source[source] = (exact, len(proposed))
    chosen = sum(1 for c in known if c.en == forms[form_key(c.ar)].en)
    types = sum(1 for c in known if c.type == forms[form_key(c.ar)].type)
    print(f"seeds: {len(found)} candidates in {seconds:.2f} s; held-out recall {len(got)}/30; "
          f"top-30 precision {len(right)}/{len(top)}; house forms among all candidates {len(known)}; type right {types}/{len(known)}")
    print("  missed:", ", ".join(ar for ar in HELD_OUT if ar not in got))
    for source, (exact, n) in by_source.items():
        print(f"  English exact match, {source}: {exact}/{n}")
    print(f"  English exact match, chosen proposal: {chosen}/{len(known)}")
    print("  top 30:")
    for c in top:
        mark = "+" if form_key(c.ar) in forms else "-"
        print(f"   {mark} {c.confidence:.2f} {c.type} {c.ar} → {c.en} [{c.en_source}] ({c.count}x; {', '.join(k for k, _ in c.cues)})")
    return {"recall": len(got), "precision": len(right), "top": len(top)}


def romanizer_on_house(spell) -> None:
    house = Glossary.load(HOUSE)
    for name, fn in (("arabic-name-romanizer", spell), ("rule", romanize)):
        if fn is None:
            print(f"romanizer {name}: not installed")
            continue
        for types in (("PER",), ("ORG", "LOC", "MISC")):
            entries = [e for e in house.entries if e.type in types]
            started = time.perf_counter()
            exact = sum(1 for e in entries if fn(e.ar) == e.en)
            folded = sum(1 for e in entries if (fn(e.ar) or "").casefold().replace("-", " ") == e.en.casefold().replace("-", " "))
            print(f"romanizer {name} on house {'/'.join(types)} ({len(entries)}): exact {exact}, "
                  f"ignoring case and hyphens {folded} ({time.perf_counter() - started:.2f} s)")


def ntrex(args, common, spell) -> None:
    path = SHARED / "data" / "ntrex-dev" / "ntrex_dev_docs.jsonl"
    if not path.exists():
        print("ntrex: ../shared/data/ntrex-dev not there, skipped")
        return
    docs = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    house = Glossary.load(HOUSE)
    with tempfile.TemporaryDirectory() as tmp:
        ar_dir, en_dir = Path(tmp, "ar"), Path(tmp, "en")
        ar_dir.mkdir()
        en_dir.mkdir()
        for doc in docs:
            name = doc["doc_id"].replace("/", "_")
            (ar_dir / f"{name}.txt").write_text("\n".join(doc["ar_sentences"]) + "\n", encoding="utf-8")
            (en_dir / f"{name}.txt").write_text("\n".join(doc["en_sentences"]) + "\n", encoding="utf-8")
        started = time.perf_counter()
        documents = read_documents([ar_dir], [en_dir], glossary=house)
        found = suggest_entries(documents, house, common, romanizer=spell)
        seconds = time.perf_counter() - started
    occurs = Counter()
    total = Counter()
    for c in found:
        for source in SOURCES:
            en = c.by_source(source)
            if en:
                total[source] += 1
                occurs[source] += en in c.example_english
    inside = sum(1 for c in found if c.en in c.example_english)
    print(f"ntrex: {len(docs)} documents, {len(found)} candidates in {seconds:.1f} s (aligning included); "
          f"proposed English in the aligned English sentence: {inside}/{len(found)}")
    for source in SOURCES:
        print(f"  {source}: {occurs[source]}/{total[source]}")
    print("  chosen source:", dict(Counter(c.en_source for c in found)))
    if args.sample:
        rng = random.Random(14)
        sample = rng.sample(found, min(args.sample, len(found)))
        print(f"  sample of {len(sample)} (seed 14):")
        for k, c in enumerate(sample, 1):
            print(f"  {k:2d}. {c.ar} → {c.en} [{c.en_source}, {c.type}, {c.confidence:.2f}] | {c.context[:90]} | EN: {c.example_english[:120]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mt-json", type=Path, help="directory of mt translate JSON of the seeds (MT-attention source)")
    parser.add_argument("--dictionary", type=Path, help="extra common words (e.g. ../shared/data/dictionary/freedict-ara-eng.tsv)")
    parser.add_argument("--no-romanizer", action="store_true")
    parser.add_argument("--sample", type=int, default=30)
    parser.add_argument("--skip-ntrex", action="store_true")
    parser.add_argument("--write-rest-glossary", type=Path, help="write the glossary without HELD_OUT (to translate the seeds with) and stop")
    args = parser.parse_args()
    if args.write_rest_glossary:
        from mt.glossary import format_glossary

        house = Glossary.load(HOUSE)
        args.write_rest_glossary.write_text(format_glossary(e for e in house.entries if e.ar not in HELD_OUT), encoding="utf-8")
        print(f"{args.write_rest_glossary}: {len(house) - len(HELD_OUT)} entries")
        return
    common = load_common_words(args.dictionary)
    spell = None if args.no_romanizer else load_romanizer()
    print(f"common words: {', '.join(common.sources)}; romanizer: {'arabic-name-romanizer' if spell else 'none'}")
    seeds(args, common, spell)
    romanizer_on_house(load_romanizer())
    if not args.skip_ntrex:
        ntrex(args, common, spell)


if __name__ == "__main__":
    main()
