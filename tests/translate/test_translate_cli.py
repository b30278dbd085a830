"""``mt translate`` and ``mt model prepare`` end to end."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli import app
from mt.errors import InputError
from mt.formats import read_json, read_tmx, unit_problem
from mt.glossary import find_terms

from ..conftest import HOUSE, assert_one_line_error

pytestmark = pytest.mark.slow
runner = CliRunner()
GLOSSARY = str(HOUSE)


@pytest.mark.parametrize("which", ["transformers", "ctranslate2"])
def test_translate_the_seeds_writes_json_and_tmx_for_every_article(which, tiny_model, tiny_ct2_int8, seed_paths, tmp_path):
    model = tiny_model if which == "transformers" else tiny_ct2_int8
    out = tmp_path / "aligned"
    args = ["translate", str(seed_paths[0].parent), "--out", str(out), "--model", str(model), "--glossary", GLOSSARY, "--beam", "2"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "0 missing" in result.stdout.splitlines()[-1]
    from translate.storage import tmx as tmx_reader
    for path in seed_paths:
        document = read_json(out / f"{path.stem}.json")
        assert document.meta["backend"] == which
        assert document.meta["source_file"].endswith(path.name)
        assert document.meta["glossary"]["entries"] > 80
        assert {"model", "options", "tool_version", "created", "signature"} <= document.meta.keys()
        text = path.read_text(encoding="utf-8")
        assert [p.source for p in document.pairs] == [text[p.source_start : p.source_end] for p in document.pairs]
        for pair in document.pairs:
            forms = [term.en for term in pair.terms]
            found = find_terms(pair.target, forms)
            for term in pair.terms:
                assert term.status in ("produced", "forced")
                assert len(found[term.en]) >= forms.count(term.en), (term.en, pair.target)
        units_only = [p for p in document.pairs if unit_problem(p) is None]
        assert read_tmx(out / f"{path.stem}.tmx").pairs == tuple(units_only)
        units = tmx_reader.tmxfile.parsefile(str(out / f"{path.stem}.tmx")).units
        assert [(u.source, u.target) for u in units] == [(p.source, p.target) for p in units_only]
    assert (out / ".mt-memory.sqlite").is_file()

    # A rerun skips the articles already done; --force redoes them from memory.
    again = runner.invoke(app, args)
    assert again.exit_code == 0 and again.stdout.count(": up to date, skipped") == 5
    forced = runner.invoke(app, [*args, "--force"])
    assert forced.exit_code == 0
    assert ", 0 misses;" in forced.stdout.splitlines()[-1]


def test_rerun_redoes_only_what_is_out_of_date_and_says_why(tiny_ct2_int8, seed_paths, tmp_path):
    """Skip only what is up to date: a changed article, glossary or beam
    redoes the articles concerned (from memory where nothing changed) and
    the summary says how many were redone and why."""
    import shutil

    articles = tmp_path / "articles"
    articles.mkdir()
    for path in seed_paths[:2]:
        shutil.copy(path, articles / path.name)
    glossary = tmp_path / "g.tsv"
    lines = HOUSE.read_text(encoding="utf-8").splitlines(keepends=True)
    glossary.write_text("".join(lines[:-4]), encoding="utf-8")
    out = tmp_path / "out"
    args = ["translate", str(articles), "--out", str(out), "--model", str(tiny_ct2_int8), "--beam", "1", "--glossary", str(glossary)]
    first = runner.invoke(app, args)
    assert first.exit_code == 0, first.output
    assert first.stdout.splitlines()[-1].startswith("2 translated (2 new, 0 redone), 0 up to date")

    same = runner.invoke(app, args)
    assert same.exit_code == 0 and "warning" not in same.stderr
    assert same.stdout.splitlines()[-1].startswith("0 translated (0 new, 0 redone), 2 up to date")

    glossary.write_text("".join(lines), encoding="utf-8")  # four more entries, ولاية الفقيه in the second article only
    more = runner.invoke(app, args)
    assert more.exit_code == 0, more.output
    summary = more.stdout.splitlines()[-1]
    assert summary.startswith("1 translated (0 new, 1 redone [glossary changed: 1]), 1 up to date"), summary
    assert f"{seed_paths[1].stem}: redone (glossary changed):" in more.stdout
    assert f"{seed_paths[0].stem}: up to date" in more.stdout

    other_beam = runner.invoke(app, [*args[:-4], "--beam", "2", "--glossary", str(glossary)])
    assert "2 redone [beam changed: 2]" in other_beam.stdout.splitlines()[-1]
    no_glossary = runner.invoke(app, [*args[:-2], "--beam", "2"])
    assert "2 redone [glossary changed: 2]" in no_glossary.stdout.splitlines()[-1]
    assert read_json(out / f"{seed_paths[0].stem}.json").meta["glossary"] is None

    edited = articles / seed_paths[1].name
    edited.write_text(edited.read_text(encoding="utf-8") + "\nبوتين يزور دمشق.\n", encoding="utf-8")
    changed = runner.invoke(app, [*args[:-2], "--beam", "2"])
    summary = changed.stdout.splitlines()[-1]
    assert summary.startswith("1 translated (0 new, 1 redone [article changed: 1]), 1 up to date"), summary
    assert read_json(out / f"{seed_paths[1].stem}.json").pairs[-1].source == "بوتين يزور دمشق."

    (out / f"{seed_paths[0].stem}.tmx").unlink()
    missing = runner.invoke(app, [*args[:-2], "--beam", "2"])
    assert "1 redone [output incomplete: 1]" in missing.stdout.splitlines()[-1]
    assert (out / f"{seed_paths[0].stem}.tmx").is_file()


def test_the_compute_type_and_isa_are_recorded_and_a_change_of_either_redoes_the_article(tiny_ct2_int8, seed_paths, tmp_path):
    """int8 gives other numbers on an AVX2 CPU than on an AVX-512 one: outputs
    made in another precision, or on another ISA (moved from another
    machine), are not up to date."""
    from dataclasses import replace

    from mt.formats import write_json
    from mt.translate import cpu_info

    out = tmp_path / "out"
    args = ["translate", str(seed_paths[0]), "--out", str(out), "--model", str(tiny_ct2_int8), "--beam", "1"]
    first = runner.invoke(app, [*args, "--compute-type", "int8"])
    assert first.exit_code == 0, first.output
    path = out / f"{seed_paths[0].stem}.json"
    meta = read_json(path).meta
    assert (meta["compute_type"], meta["cpu_isa"]) == ("int8_float32", cpu_info().isa)
    other = runner.invoke(app, [*args, "--compute-type", "float32"])
    assert "1 redone [compute type changed: 1]" in other.stdout.splitlines()[-1], other.output
    assert read_json(path).meta["compute_type"] == "float32"

    # The same outputs as made on a machine whose CTranslate2 ran another ISA.
    isa = cpu_info().isa
    elsewhere = "AVX512" if isa != "AVX512" else "AVX2"
    document = read_json(path)
    meta = dict(document.meta, cpu_isa=elsewhere)
    for key in ("backend_identity", "signature"):
        meta[key] = meta[key].replace(f":{isa}", f":{elsewhere}")
    write_json(replace(document, meta=meta), path)
    moved = runner.invoke(app, [*args, "--compute-type", "float32"])
    assert "1 redone [CPU ISA changed: 1]" in moved.stdout.splitlines()[-1], moved.output


def test_continuation_is_a_setting_of_the_outputs_and_a_wrong_one_is_one_line(tiny_ct2_int8, seed_paths, tmp_path):
    """``--continuation`` reaches the engine and the JSON's options; another
    one redoes the articles and says why; an unknown one is a usage error."""
    out = tmp_path / "out"
    args = ["translate", str(seed_paths[0]), "--out", str(out), "--model", str(tiny_ct2_int8), "--beam", "2", "--glossary", GLOSSARY]
    default = runner.invoke(app, args)
    assert default.exit_code == 0, default.output
    assert read_json(out / f"{seed_paths[0].stem}.json").meta["options"]["continuation"] == "rejoin"
    beam = runner.invoke(app, [*args, "--continuation", "beam"])
    assert beam.exit_code == 0, beam.output
    assert "1 redone [continuation changed: 1]" in beam.stdout.splitlines()[-1]
    document = read_json(out / f"{seed_paths[0].stem}.json")
    assert document.meta["options"]["continuation"] == "beam"
    statuses = [t.status for pair in document.pairs for t in pair.terms]
    assert statuses and set(statuses) <= {"produced", "forced"}
    wrong = runner.invoke(app, [*args, "--continuation", "sideways"])
    assert wrong.exit_code == 2
    assert "'sideways' is not one of 'rejoin', 'greedy', 'beam'" in wrong.output


def test_translate_tmx_leaves_out_copied_english_captions(tiny_ct2_int8, seed_paths, tmp_path):
    """Seed 000 has an English caption and a photo credit: copied into the
    JSON, but no TMX unit filed under xml:lang="ar" unless --all-units."""
    seed = seed_paths[0]
    out = tmp_path / "out"
    args = ["translate", str(seed), "--out", str(out), "--model", str(tiny_ct2_int8), "--beam", "1"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    document = read_json(out / f"{seed.stem}.json")
    copied = [p for p in document.pairs if unit_problem(p) is not None]
    assert any("Damascus airport" in p.source for p in copied)
    assert f"left out of the TMX: {len(copied)} without Arabic text (--all-units keeps them)" in result.stdout.splitlines()[-1]
    tmx = read_tmx(out / f"{seed.stem}.tmx")
    assert len(tmx.pairs) == len(document.pairs) - len(copied)
    assert not any("Damascus airport" in p.source for p in tmx.pairs)
    kept = runner.invoke(app, [*args, "--all-units"])
    assert "redone (--all-units changed)" in kept.stdout
    assert read_tmx(out / f"{seed.stem}.tmx").pairs == document.pairs


def test_no_memory_translates_again(tiny_ct2_int8, seed_paths, tmp_path):
    args = ["translate", str(seed_paths[2]), "--out", str(tmp_path), "--model", str(tiny_ct2_int8), "--beam", "1", "--no-memory"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "memory off" in result.stdout
    assert not (tmp_path / ".mt-memory.sqlite").exists()
    assert read_json(tmp_path / f"{seed_paths[2].stem}.json").meta["glossary"] is None


def test_missing_model_offline_is_one_line(tmp_path, seed_paths, monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    result = runner.invoke(app, ["translate", str(seed_paths[0]), "--out", str(tmp_path / "o")])
    assert_one_line_error(result, "could not be found locally or downloaded")
    assert "--model PATH" in result.stderr and "mt model prepare" in result.stderr


def test_model_path_that_does_not_exist(tmp_path, seed_paths):
    result = runner.invoke(app, ["translate", str(seed_paths[0]), "--out", str(tmp_path / "o"), "--model", str(tmp_path / "nope")])
    assert_one_line_error(result, "no such model directory")


def test_transformers_directory_given_as_ctranslate2(tiny_model, tmp_path, seed_paths):
    args = ["translate", str(seed_paths[0]), "--out", str(tmp_path / "o"), "--model", str(tiny_model), "--backend", "ctranslate2"]
    assert_one_line_error(runner.invoke(app, args), "is a transformers checkpoint, not a CTranslate2 model")


def test_model_prepare_from_a_save_pretrained_directory(tiny_model, tmp_path, seed_paths):
    out = tmp_path / "ct2"
    result = runner.invoke(app, ["model", "prepare", str(tiny_model), "--out", str(out), "--quantization", "int8"])
    assert result.exit_code == 0, result.output
    assert {"model.bin", "source.spm", "target.spm"} <= {p.name for p in out.iterdir()}
    assert_one_line_error(runner.invoke(app, ["model", "prepare", str(tiny_model), "--out", str(out)]), "use --force")
    assert runner.invoke(app, ["model", "prepare", str(tiny_model), "--out", str(out), "--force"]).exit_code == 0
    # translating with it needs no torch: the backend is chosen by the layout
    translated = runner.invoke(app, ["translate", str(seed_paths[4]), "--out", str(tmp_path / "o"), "--model", str(out), "--beam", "1"])
    assert translated.exit_code == 0, translated.output
    assert "(ctranslate2, beam 1;" in translated.stdout


def test_the_converters_own_output_is_accepted(tiny_model, tmp_path, seed_paths):
    converter = Path(sys.executable).parent / "ct2-transformers-converter"
    if not converter.exists():
        pytest.skip("ct2-transformers-converter is not installed")
    out = tmp_path / "converted"
    subprocess.run(
        [str(converter), "--model", str(tiny_model), "--output_dir", str(out), "--copy_files", "source.spm", "target.spm"],
        check=True,
        capture_output=True,
    )
    result = runner.invoke(app, ["translate", str(seed_paths[4]), "--out", str(tmp_path / "o"), "--model", str(out), "--beam", "1", "--glossary", GLOSSARY])
    assert result.exit_code == 0, result.output
    prepared = runner.invoke(app, ["model", "prepare", str(out), "--out", str(tmp_path / "copy")])
    assert prepared.exit_code == 0, prepared.output


def test_converter_output_without_sentencepiece_files_is_explained(tiny_model, tmp_path, seed_paths):
    from mt.translate import prepare_model

    out = prepare_model(str(tiny_model), tmp_path / "ct2")
    (out / "source.spm").unlink()
    result = runner.invoke(app, ["translate", str(seed_paths[4]), "--out", str(tmp_path / "o"), "--model", str(out)])
    assert_one_line_error(result, "missing source.spm")


def test_prepare_refuses_an_unknown_quantization(tiny_model, tmp_path):
    result = runner.invoke(app, ["model", "prepare", str(tiny_model), "--out", str(tmp_path / "x"), "--quantization", "int3"])
    assert_one_line_error(result, "'int3' is not one of", code=2)
    assert not (tmp_path / "x").exists()


def test_memory_and_no_memory_together_is_a_usage_error(seed_paths, tmp_path):
    args = ["translate", str(seed_paths[0]), "--out", str(tmp_path / "o"), "--memory", str(tmp_path / "m"), "--no-memory"]
    result = runner.invoke(app, args)
    assert_one_line_error(result, "--memory and --no-memory exclude each other", code=2)
    assert not (tmp_path / "o").exists()


def test_skip_bad_translates_the_others_and_exits_1(tiny_ct2_int8, seed_paths, tmp_path):
    articles = tmp_path / "in"
    articles.mkdir()
    good = articles / "good.txt"
    good.write_text(seed_paths[4].read_text(encoding="utf-8"), encoding="utf-8")
    bad = articles / "bad.txt"
    bad.write_bytes(b"\x00\x01 binary")
    out = tmp_path / "out"
    args = ["translate", str(articles), "--out", str(out), "--model", str(tiny_ct2_int8), "--beam", "1"]
    assert_one_line_error(runner.invoke(app, args), f"{bad}: binary data")
    assert not out.exists()
    result = runner.invoke(app, [*args, "--skip-bad"])
    assert result.exit_code == 1, result.output
    assert result.stderr.strip().splitlines() == [f"error: {bad}: binary data (NUL character at offset 0), expected a text file"]
    assert (out / "good.json").is_file() and not (out / "bad.json").exists()
    assert "1 bad file skipped" in result.stdout.splitlines()[-1]


def test_a_glossary_change_that_touches_no_match_still_redoes_outputs_of_another_tool_version(tiny_ct2_int8, seed_paths, tmp_path):
    """The glossary change is no change to the article, but the tool that
    made its outputs is another one: redone, and said so."""
    from dataclasses import replace

    from mt.formats import write_json

    glossary = tmp_path / "g.tsv"
    glossary.write_text(HOUSE.read_text(encoding="utf-8"), encoding="utf-8")
    out = tmp_path / "out"
    args = ["translate", str(seed_paths[4]), "--out", str(out), "--model", str(tiny_ct2_int8), "--beam", "1", "--glossary", str(glossary)]
    assert runner.invoke(app, args).exit_code == 0
    path = out / f"{seed_paths[4].stem}.json"
    document = read_json(path)
    old = dict(document.meta, signature=document.meta["signature"].replace("mt-glossary ", "mt-glossary 0.0.1-"))
    write_json(replace(document, meta=old), path)
    with glossary.open("a", encoding="utf-8") as f:
        f.write("كوكب الزهرة\tVenus\tLOC\t\t\n")
    result = runner.invoke(app, args)
    assert "1 redone [tool version changed: 1]" in result.stdout.splitlines()[-1], result.output


def test_the_summary_counts_are_those_of_the_article_lines(tiny_ct2_int8, seed_paths, tmp_path):
    """Issue 33: an article line said "3 from memory" while the summary said
    "memory: 0 hits" (a sentence shared with an article before it in the
    run), and "5 translated, 5 redone" read as ten articles."""
    import re
    import shutil

    articles = tmp_path / "in"
    articles.mkdir()
    shutil.copy(seed_paths[4], articles / "a.txt")
    shutil.copy(seed_paths[4], articles / "b.txt")  # the same sentences again
    out = tmp_path / "out"
    args = ["translate", str(articles), "--out", str(out), "--model", str(tiny_ct2_int8), "--beam", "1"]
    for extra in ([], ["--force"]):
        result = runner.invoke(app, [*args, *extra])
        assert result.exit_code == 0, result.output
        lines = result.stdout.splitlines()
        per_article = [re.search(r"(\d+) from memory, (\d+) translated", line).groups() for line in lines[:-1]]
        hits, misses = (sum(int(x[k]) for x in per_article) for k in (0, 1))
        assert f"memory: {hits} hits, {misses} misses" in lines[-1], lines
        assert hits > 0
    assert lines[-1].startswith("2 translated (0 new, 2 redone [--force: 2]), 0 up to date"), lines[-1]


def test_every_file_left_out_is_said_and_counted(tiny_ct2_int8, seed_paths, tmp_path):
    """Issue 33: only the first bad file was reported without --skip-bad; an
    English-only text was "translated" without a word; an empty file only
    warned and the summary's count missed it.  Each bad file has its error
    line; an empty file and an English text are left out with a warning;
    the summary counts them all."""
    articles = tmp_path / "in"
    articles.mkdir()
    (articles / "good.txt").write_text(seed_paths[4].read_text(encoding="utf-8"), encoding="utf-8")
    for name in ("bad1.txt", "bad2.txt"):
        (articles / name).write_bytes(b"\x00\x01 binary")
    (articles / "empty.txt").write_text("  \n", encoding="utf-8")
    (articles / "english.txt").write_text("The minister said the talks would resume.\n", encoding="utf-8")
    out = tmp_path / "out"
    args = ["translate", str(articles), "--out", str(out), "--model", str(tiny_ct2_int8), "--beam", "1"]
    refused = runner.invoke(app, args)
    assert refused.exit_code == 1 and not out.exists()
    errors = [line for line in refused.stderr.splitlines() if line.startswith("error: ")]
    assert [line.split(":")[1].strip() for line in errors[:2]] == [str(articles / "bad1.txt"), str(articles / "bad2.txt")]
    assert errors[2:] == ["error: 2 files cannot be read; nothing translated (--skip-bad translates the others)"]
    result = runner.invoke(app, [*args, "--skip-bad"])
    assert result.exit_code == 1, result.output
    assert f"warning: skipping {articles / 'english.txt'}: no Arabic letters, not an Arabic article" in result.stderr
    assert f"warning: skipping {articles / 'empty.txt'}: empty" in result.stderr
    assert not (out / "english.json").exists() and (out / "good.json").is_file()
    assert "1 translated" in result.stdout.splitlines()[-1]
    assert "2 bad files skipped, 2 left out (empty or no Arabic)" in result.stdout.splitlines()[-1]


def test_encoding_auto_reads_each_file_as_utf8_or_cp1256_and_says_which(tiny_ct2_int8, tmp_path):
    articles = tmp_path / "in"
    articles.mkdir()
    (articles / "a.txt").write_text("قال الوزير إن المحادثات ستستأنف.\n", encoding="utf-8")
    (articles / "b.txt").write_bytes("وأضاف أن الوفد وصل.\n".encode("cp1256"))
    out = tmp_path / "out"
    result = runner.invoke(app, ["translate", str(articles), "--out", str(out), "--model", str(tiny_ct2_int8), "--beam", "1", "--encoding", "auto"])
    assert result.exit_code == 0, result.output
    assert f"{articles / 'a.txt'}: read as utf-8" in result.stderr
    assert f"{articles / 'b.txt'}: read as cp1256" in result.stderr
    assert read_json(out / "b.json").pairs[0].source == "وأضاف أن الوفد وصل."


def test_a_second_run_into_the_same_out_is_refused(tiny_ct2_int8, seed_paths, tmp_path):
    import filelock

    out = tmp_path / "out"
    out.mkdir()
    with filelock.FileLock(str(out / ".mt-translate.lock")):
        result = runner.invoke(app, ["translate", str(seed_paths[4]), "--out", str(out), "--model", str(tiny_ct2_int8), "--beam", "1"])
    assert_one_line_error(result, f"{out}: another mt translate is writing into it")
    assert not (out / f"{seed_paths[4].stem}.json").exists()


def test_each_article_line_is_printed_when_the_article_is_done(tiny_ct2_int8, seed_paths, tmp_path, monkeypatch):
    """Not at the end of the run: a run that fails on the second article has
    already written the first and said what it did with it."""
    from mt.translate import corpus

    real = corpus.article_document
    calls = []

    def failing_second(job, *args, **kwargs):
        calls.append(job.article.doc)
        if len(calls) == 2:
            raise InputError("stop here")
        return real(job, *args, **kwargs)

    monkeypatch.setattr(corpus, "article_document", failing_second)
    out = tmp_path / "o"
    args = ["translate", str(seed_paths[3]), str(seed_paths[4]), "--out", str(out), "--model", str(tiny_ct2_int8), "--beam", "1"]
    result = runner.invoke(app, args)
    assert result.exit_code == 1
    assert result.stdout.startswith(f"{calls[0]}: ")
    assert [p.stem for p in out.glob("*.json")] == [calls[0]]


def test_model_demo_builds_a_model_that_translates_offline(tmp_path, seed_paths):
    """The newcomer's one command: a random-weight model (nonsense words
    around correct glossary terms), no model hub needed."""
    out = tmp_path / "demo"
    import os

    result = runner.invoke(app, ["model", "demo", "--out", str(out), "--texts", str(seed_paths[0].parent)])
    assert result.exit_code == 0, result.output
    assert "random weights" in result.stdout and f"--model {out}" in result.stdout
    assert "Writing model shards" not in result.stderr  # transformers' bar (issue 33)
    umask = os.umask(0)
    os.umask(umask)
    assert {p.name: p.stat().st_mode & 0o777 for p in out.iterdir()} == {p.name: 0o666 & ~umask for p in out.iterdir()}
    assert_one_line_error(runner.invoke(app, ["model", "demo", "--out", str(out)]), "use --force")
    translated = runner.invoke(
        app, ["translate", str(seed_paths[4]), "--out", str(tmp_path / "o"), "--model", str(out), "--beam", "1", "--glossary", GLOSSARY]
    )
    assert translated.exit_code == 0, translated.output
    assert ", 0 missing" in translated.stdout.splitlines()[-1]


def test_a_rerun_keeps_the_review_and_redoes_only_what_a_glossary_change_touches(tiny_ct2_int8, seed_paths, tmp_path):
    """Issue 33: approvals and edits survived no rerun.  An entry found in
    neither article leaves both up to date; one found in the first redoes
    it alone, its approved and edited pairs kept, a changed machine English
    beside them; ``--force`` starts afresh after saying what it drops, the
    old file kept."""
    import shutil

    from mt.formats import write_json
    from mt.review import apply_action, parse_action, review_version

    articles = tmp_path / "articles"
    articles.mkdir()
    for path in seed_paths[:2]:
        shutil.copy(path, articles / path.name)
    glossary = tmp_path / "g.tsv"
    glossary.write_text(HOUSE.read_text(encoding="utf-8"), encoding="utf-8")
    out = tmp_path / "out"
    args = ["translate", str(articles), "--out", str(out), "--model", str(tiny_ct2_int8), "--beam", "1", "--glossary", str(glossary)]
    assert runner.invoke(app, args).exit_code == 0

    first = out / f"{seed_paths[0].stem}.json"
    document = read_json(first)
    for body in ({"action": "approve", "id": "0"}, {"action": "edit", "id": "3", "target": "A reviewer's English."}):
        document = apply_action(document, parse_action({**body, "version": review_version(document)}))
    write_json(document, first)

    with glossary.open("a", encoding="utf-8") as f:
        f.write("كوكب الزهرة\tVenus\tLOC\t\t\n")
    untouched = runner.invoke(app, args)
    assert untouched.stdout.splitlines()[-1].startswith("0 translated (0 new, 0 redone), 2 up to date"), untouched.output
    assert read_json(first).pairs == document.pairs

    with glossary.open("a", encoding="utf-8") as f:
        f.write("الهجوم\tthe Offensive\tMISC\t\t\n")  # three times in the first article, not in the second
    touched = runner.invoke(app, args)
    assert touched.exit_code == 0, touched.output
    summary = touched.stdout.splitlines()[-1]
    assert summary.startswith("1 translated (0 new, 1 redone [glossary changed: 1]), 1 up to date"), summary
    assert "reviewed pairs: 2 kept" in summary and "0 dropped" in summary
    kept = {p.id: p for p in read_json(first).pairs}
    # the approved headline holds الهجوم: its English stays, the new one waits beside
    assert (kept["0"].status, kept["0"].target) == ("approved", document.pairs[0].target)
    assert "the Offensive" in kept["0"].rerun_target and "(1 with new machine English to look at)" in summary
    assert kept["3"].target == "A reviewer's English." and kept["3"].original_target == document.pairs[3].original_target
    offensive = [p for p in read_json(first).pairs if any(t.en == "the Offensive" for t in p.terms)]
    assert offensive and all("the Offensive" in p.target for p in offensive if p.id not in ("0", "3"))

    with glossary.open("a", encoding="utf-8") as f:  # out of date again: --force still starts afresh
        f.write("التحالف\tthe Alliance\tMISC\t\t\n")
    forced = runner.invoke(app, [*args, "--force"])
    assert forced.exit_code == 0, forced.output
    warning = [line for line in forced.stderr.splitlines() if "--force drops 2 reviewed pairs" in line]
    assert len(warning) == 1 and warning[0].startswith(f"warning: {first}:"), forced.stderr
    (copy,) = out.glob(f"{first.name}.*.bak")
    assert {p.id: p.status for p in read_json(copy).pairs}["0"] == "approved"
    assert all(p.status == "unreviewed" and not p.edited for p in read_json(first).pairs)
