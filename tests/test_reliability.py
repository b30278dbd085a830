"""Every command against bad (and awkward but valid) inputs.

A bad input gets one line on stderr naming the file and the problem, a
non-zero exit, no traceback, and leaves no output behind; valid but awkward
inputs (BOM, CR LF, a 1 MB line, English only, a directory with other files)
just work.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli import app
from mt.formats import read_json

from .conftest import HOUSE, ROOT, assert_one_line_error

runner = CliRunner()
ARABIC = "قال الرئيس إن روسيا حليف قديم.\nوأضاف أن التعاون مع طهران مستمر.\n"
ENGLISH = "The president said Russia is an old ally.\nHe added that cooperation with Tehran continues.\n"


def make_input(kind: str, base: Path) -> Path:
    """An input file (or directory) of the given kind under ``base``."""
    path = base / f"{kind}.txt"
    if kind == "missing":
        return path
    if kind == "mixed_dir":
        path = base / "mixed"
        path.mkdir()
        (path / "article.txt").write_text(ARABIC, encoding="utf-8")
        (path / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
        (path / "notes.md").write_text("# notes", encoding="utf-8")
        (path / "sub").mkdir()
        return path
    data = {
        "empty": b"",
        "whitespace": b" \n\t \r\n",
        "binary": bytes(range(256)) * 8,
        "cp1256": ARABIC.encode("cp1256"),
        "bom": b"\xef\xbb\xbf" + ARABIC.encode("utf-8"),
        "crlf": ARABIC.replace("\n", "\r\n").encode("utf-8"),
        "megabyte_line": ("قال الرئيس إن روسيا حليف قديم. " * 19000).encode("utf-8"),
        "english": ENGLISH.encode("utf-8"),
    }[kind]
    path.write_bytes(data)
    return path


BAD = {
    "missing": "no such file",
    "empty": "empty or whitespace-only input",
    "whitespace": "empty or whitespace-only input",
    "binary": "not valid utf-8 at byte 128",
    "cp1256": "not valid utf-8 at byte 0 (is it legacy Arabic Windows text? try --encoding cp1256)",
}
GOOD = ["bom", "crlf", "megabyte_line", "mixed_dir"]


def _leftovers(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir()) if directory.exists() else []


# ---- articles in: segment, translate, align ---------------------------------------


@pytest.mark.parametrize("kind", list(BAD))
def test_segment_bad_input(kind, tmp_path):
    path = make_input(kind, tmp_path)
    line = assert_one_line_error(runner.invoke(app, ["segment", str(path)]), BAD[kind])
    assert path.name in line


@pytest.mark.parametrize("kind", GOOD)
def test_segment_awkward_but_valid_input(kind, tmp_path):
    result = runner.invoke(app, ["segment", str(make_input(kind, tmp_path)), "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    assert result.stdout.count("\n") >= 2


@pytest.mark.slow
@pytest.mark.parametrize("kind", list(BAD))
def test_translate_bad_input_writes_nothing(kind, tmp_path, tiny_ct2_int8):
    path = make_input(kind, tmp_path)
    out = tmp_path / "out"
    result = runner.invoke(app, ["translate", str(path), "--out", str(out), "--model", str(tiny_ct2_int8)])
    assert path.name in assert_one_line_error(result, BAD[kind])
    assert not out.exists()


def test_translate_an_english_text_says_it_has_no_arabic_and_writes_nothing(tmp_path, tiny_ct2_int8):
    """It was "translated" without a word: every pair its English copied."""
    path = make_input("english", tmp_path)
    out = tmp_path / "out"
    result = runner.invoke(app, ["translate", str(path), "--out", str(out), "--model", str(tiny_ct2_int8)])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"warning: skipping {path}: no Arabic letters, not an Arabic article",
        "error: no article left to translate",
    ]
    assert not out.exists()


@pytest.mark.slow
@pytest.mark.parametrize("kind", GOOD)
def test_translate_awkward_but_valid_input(kind, tmp_path, tiny_ct2_int8):
    path = make_input(kind, tmp_path)
    out = tmp_path / "out"
    args = ["translate", str(path), "--out", str(out), "--model", str(tiny_ct2_int8), "--beam", "1", "--glossary", str(HOUSE)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    doc = "article" if kind == "mixed_dir" else kind
    document = read_json(out / f"{doc}.json")
    assert (out / f"{doc}.tmx").is_file()
    text = (path / "article.txt" if kind == "mixed_dir" else path).read_bytes().decode("utf-8-sig")
    for pair in document.pairs:
        assert text[pair.source_start : pair.source_end] == pair.source
    if kind == "megabyte_line":
        assert len(document.pairs) == 19000
        assert document.meta["stats"]["memory_misses"] == 1  # one sentence, translated once
        assert all("Russia" in p.target for p in document.pairs)


@pytest.mark.parametrize("kind", list(BAD))
@pytest.mark.parametrize("side", ["source", "target"])
def test_align_bad_input_writes_nothing(kind, side, tmp_path):
    bad = make_input(kind, tmp_path)
    good = tmp_path / "good.txt"
    good.write_text(ARABIC if side == "target" else ENGLISH, encoding="utf-8")
    out = tmp_path / "pairs.json"
    args = ["align", str(bad), str(good)] if side == "source" else ["align", str(good), str(bad)]
    result = runner.invoke(app, [*args, "--out", str(out)])
    assert bad.name in assert_one_line_error(result, BAD[kind])
    assert not out.exists()


@pytest.mark.parametrize("kind", ["bom", "crlf"])
def test_align_awkward_but_valid_input(kind, tmp_path):
    source = make_input(kind, tmp_path)
    target = tmp_path / "en.txt"
    target.write_text(ENGLISH, encoding="utf-8")
    result = runner.invoke(app, ["align", str(source), str(target), "--out", str(tmp_path / "p.tmx")])
    assert result.exit_code == 0, result.output


def test_align_with_the_files_swapped_is_refused(tmp_path):
    """The Arabic comes first; English as the source would put English in
    the ``ar`` side of the TMX."""
    arabic, english = tmp_path / "ar.txt", tmp_path / "en.txt"
    arabic.write_text(ARABIC, encoding="utf-8")
    english.write_text(ENGLISH, encoding="utf-8")
    out = tmp_path / "p.tmx"
    result = runner.invoke(app, ["align", str(english), str(arabic), "--out", str(out)])
    assert_one_line_error(result, f"{english}: no Arabic letters; the Arabic article comes first (mt align SOURCE_AR TARGET_EN)")
    assert not out.exists()


def test_a_utf8_article_read_as_cp1256_is_refused(tmp_path):
    """Decoding UTF-8 Arabic as cp1256 gives mojibake, never an error: it is
    refused instead of translated."""
    arabic = tmp_path / "ar.txt"
    arabic.write_text(ARABIC, encoding="utf-8")
    result = runner.invoke(app, ["segment", str(arabic), "--encoding", "cp1256"])
    assert_one_line_error(result, f"{arabic}: this is UTF-8 Arabic text, not cp1256; leave out --encoding")
    assert result.stdout == ""


def test_output_cut_short_by_a_closed_pipe_is_quiet(tmp_path):
    """`mt segment … | head -1`: no error, no traceback."""
    article = tmp_path / "long.txt"  # far more output than a pipe holds
    article.write_text(("قال الرئيس إن روسيا حليف قديم. " * 20 + "\n") * 2000, encoding="utf-8")
    shell = f"{sys.executable} cli.py segment {article} | head -1; echo ${{PIPESTATUS[0]}} >&2"
    result = subprocess.run(["bash", "-c", shell], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.stdout == "قال الرئيس إن روسيا حليف قديم.\n"
    assert result.stderr == "141\n"  # as if killed by SIGPIPE, and nothing said


def test_align_a_megabyte_line(tmp_path):
    source = make_input("megabyte_line", tmp_path)
    target = tmp_path / "en.txt"
    target.write_text("The president said Russia is an old ally. " * 19000, encoding="utf-8")
    result = runner.invoke(app, ["align", str(source), str(target), "--out", str(tmp_path / "p.json")])
    assert result.exit_code == 0, result.output
    assert len(read_json(tmp_path / "p.json").pairs) == 19000


# ---- outputs that cannot be written -----------------------------------------------


def _blocked_dir(tmp_path: Path) -> Path:
    """A directory that cannot be created (its parent is a file), and works
    as an unwritable output even for root."""
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    return blocker / "out"


@pytest.mark.slow
def test_unwritable_outputs(tmp_path, tiny_model, tiny_ct2_int8, seed_paths):
    blocked = _blocked_dir(tmp_path)
    pairs = tmp_path / "pairs.json"
    article = make_input("crlf", tmp_path)
    english = tmp_path / "en.txt"
    english.write_text(ENGLISH, encoding="utf-8")
    assert runner.invoke(app, ["align", str(article), str(english), "--out", str(pairs)]).exit_code == 0
    cases = [
        (["translate", str(article), "--out", str(blocked), "--model", str(tiny_ct2_int8)], "cannot create output directory"),
        (["align", str(article), str(english), "--out", str(blocked / "p.json")], "does not exist"),
        (["export", str(pairs), "--tmx", str(blocked / "p.tmx")], "does not exist"),
        (["model", "prepare", str(tiny_model), "--out", str(blocked / "ct2")], "does not exist"),
        (["glossary", "export", str(blocked / "g.csv"), "--glossary", str(HOUSE)], "does not exist"),
        (["score", "--hyp", str(pairs), "--ref", str(pairs), "--segments", str(blocked / "s.csv")], "does not exist"),
    ]
    for args, fragment in cases:
        line = assert_one_line_error(runner.invoke(app, args), fragment)
        assert "a-file" in line, line
    assert _leftovers(tmp_path) == ["a-file", "crlf.txt", "en.txt", "pairs.json"]


def test_read_only_output_directory(tmp_path, monkeypatch):
    article = make_input("crlf", tmp_path)
    english = tmp_path / "en.txt"
    english.write_text(ENGLISH, encoding="utf-8")
    locked = tmp_path / "locked"
    locked.mkdir()
    if os.geteuid() == 0:  # root writes anywhere: make the write itself fail as it would
        import tempfile

        def refused(*args, **kwargs):
            raise PermissionError(13, "Permission denied")

        monkeypatch.setattr(tempfile, "mkstemp", refused)
    locked.chmod(0o500)
    try:
        result = runner.invoke(app, ["align", str(article), str(english), "--out", str(locked / "p.json")])
        assert_one_line_error(result, "p.json: cannot write (Permission denied)")
        assert _leftovers(locked) == []
    finally:
        locked.chmod(0o700)


# ---- glossaries ---------------------------------------------------------------------


GLOSSARIES = {
    "missing_column": ("ar\ten\tvariants\tnote\nروسيا\tRussia\t\t\n", "expected"),
    "empty_english": ("ar\ten\ttype\tvariants\tnote\nروسيا\t\tLOC\t\t\n", "non-empty en"),
    "duplicate": ("ar\ten\ttype\tvariants\tnote\nروسيا\tRussia\tLOC\t\t\nروسيا\tRussia\tLOC\t\t\n", "duplicate"),
    "binary": (bytes(range(256)).decode("latin-1"), "not valid utf-8"),
}


@pytest.mark.parametrize("kind", list(GLOSSARIES))
def test_bad_glossary_in_every_command_that_reads_one(kind, tmp_path):
    text, fragment = GLOSSARIES[kind]
    glossary = tmp_path / "g.tsv"
    glossary.write_bytes(text.encode("latin-1") if kind == "binary" else text.encode("utf-8"))
    article = make_input("crlf", tmp_path)
    english = tmp_path / "en.txt"
    english.write_text(ENGLISH, encoding="utf-8")
    out = tmp_path / "out"
    for args in (
        ["translate", str(article), "--out", str(out), "--glossary", str(glossary), "--model", str(tmp_path / "never-loaded")],
        ["align", str(article), str(english), "--out", str(out / "p.json"), "--glossary", str(glossary)],
        ["score", "--hyp", str(english), "--ref", str(english), "--glossary", str(glossary)],
        ["glossary", "list", "--glossary", str(glossary)],
    ):
        line = assert_one_line_error(runner.invoke(app, args), fragment)
        assert "g.tsv" in line
    assert not out.exists()
    result = runner.invoke(app, ["glossary", "check", "--glossary", str(glossary)])
    assert result.exit_code == 1 and "g.tsv" in result.output


IMPORTS = {
    "csv": ("ar,en\n\"unclosed,x\n", "g.csv"),
    "tbx": ("<martif><text><body><termEntry>", "g.tbx"),
}


@pytest.mark.parametrize("kind", list(IMPORTS))
def test_malformed_import_changes_nothing(kind, tmp_path):
    content, name = IMPORTS[kind]
    source = tmp_path / name
    source.write_text(content, encoding="utf-8")
    glossary = tmp_path / "entities.tsv"
    shutil.copy(HOUSE, glossary)
    before = glossary.read_bytes()
    assert_one_line_error(runner.invoke(app, ["glossary", "import", str(source), "--glossary", str(glossary)]), name)
    assert glossary.read_bytes() == before
    assert not list(tmp_path.glob(".entities.tsv.*"))  # no temporary file left


# ---- pairs files: score, review, export ---------------------------------------------


PAIRS = {
    "json": ("bad.json", '{"pairs": [{"id": "0", "source": "a"}]}', "missing key 'target'"),
    "json_syntax": ("bad.json", "{", "not valid JSON"),
    "tmx": ("bad.tmx", "<tmx><body><tu>", "not well-formed XML"),
    "tmx_root": ("bad.tmx", "<html/>", "expected <tmx>"),
}


@pytest.mark.parametrize("kind", list(PAIRS))
def test_malformed_pairs_files(kind, tmp_path):
    name, content, fragment = PAIRS[kind]
    bad = tmp_path / name
    bad.write_text(content, encoding="utf-8")
    good = tmp_path / "ref.txt"
    good.write_text("a\n", encoding="utf-8")
    out = tmp_path / "out.tmx"
    commands = [["score", "--hyp", str(bad), "--ref", str(good)]]
    if name.endswith(".json"):
        commands += [["review", str(bad), "--port", "0"], ["export", str(bad), "--tmx", str(out)]]
    for args in commands:
        assert name in assert_one_line_error(runner.invoke(app, args), fragment)
    assert not out.exists()


@pytest.mark.parametrize("command", ["score", "review", "export"])
def test_missing_pairs_file(command, tmp_path):
    missing = tmp_path / "nope.json"
    args = {
        "score": ["score", "--hyp", str(missing), "--ref", str(missing)],
        "review": ["review", str(missing)],
        "export": ["export", str(missing), "--tmx", str(tmp_path / "x.tmx")],
    }[command]
    assert "nope.json" in assert_one_line_error(runner.invoke(app, args), "no such file")


# ---- models ---------------------------------------------------------------------------


@pytest.mark.slow
def test_bad_models(tmp_path, tiny_model):
    article = make_input("crlf", tmp_path)
    out = tmp_path / "out"
    nowhere = tmp_path / "no-model"
    cases = [
        (["translate", str(article), "--out", str(out), "--model", str(nowhere)], "no such model directory"),
        (["model", "prepare", str(nowhere), "--out", str(tmp_path / "ct2")], "no such model directory"),
        (["translate", str(article), "--out", str(out), "--model", str(tiny_model), "--backend", "ctranslate2"], "not a CTranslate2 model"),
        (["translate", str(article), "--out", str(out), "--model", str(tmp_path)], "not a model directory"),
    ]
    for args, fragment in cases:
        assert_one_line_error(runner.invoke(app, args), fragment)
    assert not out.exists() and not (tmp_path / "ct2").exists()


# ---- --debug ------------------------------------------------------------------------


def test_debug_shows_the_traceback(tmp_path):
    missing = str(tmp_path / "nope.txt")
    plain = subprocess.run([sys.executable, str(ROOT / "cli.py"), "segment", missing], capture_output=True, text=True)
    assert plain.returncode == 1 and "Traceback" not in plain.stderr
    debug = subprocess.run([sys.executable, str(ROOT / "cli.py"), "--debug", "segment", missing], capture_output=True, text=True)
    assert debug.returncode != 0
    assert "Traceback" in debug.stderr and "InputError" in debug.stderr and "nope.txt" in debug.stderr


# ---- crash safety -------------------------------------------------------------------


def _memory_rows(path: Path) -> int:
    import sqlite3

    if not path.exists():
        return 0
    with sqlite3.connect(path) as db:
        return db.execute("SELECT COUNT(*) FROM segments").fetchone()[0]


def _comparable(document):
    meta = {k: v for k, v in document.meta.items() if k not in ("created", "stats")}
    return meta, document.pairs


@pytest.mark.slow
def test_sigkill_mid_run_then_rerun_gives_the_same_outputs(tmp_path, tiny_ct2_int8, seed_paths):
    def command(out: Path) -> list[str]:
        return [
            sys.executable, str(ROOT / "cli.py"), "translate", str(seed_paths[0].parent), "--out", str(out),
            "--model", str(tiny_ct2_int8), "--glossary", str(HOUSE), "--beam", "4",
        ]

    reference = tmp_path / "reference"
    subprocess.run(command(reference), check=True, capture_output=True)

    out = tmp_path / "killed"
    memory = out / ".mt-memory.sqlite"
    proc = subprocess.Popen(command(out), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        # Kill once the first article is written and the second is under way.
        while proc.poll() is None and not (list(out.glob("*.tmx")) and _memory_rows(memory) > 16):
            time.sleep(0.01)
        proc.kill()
        proc.wait()
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == -9, "the run finished before it could be killed"
    done_at_kill = _memory_rows(memory)
    written = sorted(p.name for p in out.glob("*.json"))
    assert 1 <= len(written) < 5

    rerun = subprocess.run(command(out), check=True, capture_output=True, text=True)
    summary = rerun.stdout.strip().splitlines()[-1]
    hits = int(summary.split("memory: ")[1].split(" hits")[0])
    misses = int(summary.split(" hits, ")[1].split(" misses")[0])
    # Nothing finished before the kill was translated again.
    assert _memory_rows(memory) == done_at_kill + misses
    assert hits > 0
    for path in seed_paths:
        assert _comparable(read_json(out / f"{path.stem}.json")) == _comparable(read_json(reference / f"{path.stem}.json"))
        assert (out / f"{path.stem}.tmx").is_file()
    assert not list(out.glob(".*.tmp"))  # a temporary file the kill left behind is cleaned up
