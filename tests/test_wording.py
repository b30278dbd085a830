"""What the command line says when something is wrong: one line that names
the file and the problem in the user's words."""

from __future__ import annotations

import re

from typer.testing import CliRunner

from cli import app
from mt.translate import COMPUTE_TYPES

from .conftest import GLOSSARY_HEADER, ROOT, SEEDS, assert_one_line_error

runner = CliRunner()


def test_out_that_is_a_file_is_called_a_file(tmp_path):
    out = tmp_path / "aligned"
    out.write_text("not a directory")
    result = runner.invoke(app, ["translate", str(SEEDS), "--out", str(out), "--model", str(tmp_path / "no-model")])
    line = assert_one_line_error(result, f"{out}: is a file, not a directory")
    assert "File exists" not in line


def test_a_binary_dictionary_is_not_called_an_article(tmp_path):
    ar, en, dictionary = tmp_path / "a.txt", tmp_path / "e.txt", tmp_path / "dict.tsv"
    ar.write_text("قال الوزير.", encoding="utf-8")
    en.write_text("The minister said.", encoding="utf-8")
    dictionary.write_bytes(b"\x00\x01binary")
    result = runner.invoke(app, ["align", str(ar), str(en), "--out", str(tmp_path / "o.json"), "--dictionary", str(dictionary)])
    line = assert_one_line_error(result, f"{dictionary}: binary data")
    assert "article" not in line and "expected a text file" in line


def test_glossary_add_errors_name_the_file(tmp_path):
    glossary = tmp_path / "g.tsv"
    glossary.write_text(GLOSSARY_HEADER, encoding="utf-8")
    result = runner.invoke(app, ["glossary", "add", "x", "Damascus", "--type", "LOC", "--glossary", str(glossary)])
    assert_one_line_error(result, f"{glossary}: cannot add 'x': expected Arabic in ar")


def test_a_wrong_choice_says_what_is_allowed_without_validator_words():
    result = runner.invoke(app, ["segment", "--format", "foo", str(SEEDS)])
    line = assert_one_line_error(result, "'foo' is not one of 'text', 'jsonl'", code=2)
    assert "Value error" not in line


def test_the_readme_lists_every_compute_type():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    listed = re.search(r"\[--compute-type ([^\]]+)\]", readme).group(1).split("\\|")
    assert listed == list(COMPUTE_TYPES)


def test_usage_lines_name_arguments_in_capitals():
    for command in (["segment"], ["translate"], ["glossary", "import"], ["align"]):
        usage = runner.invoke(app, [*command, "--help"]).stdout.splitlines()[0]
        assert "{" not in usage and "}" not in usage, usage
    assert "PATHS..." in runner.invoke(app, ["segment", "--help"]).stdout.splitlines()[0]


def test_a_missing_glossary_is_worded_alike_by_every_glossary_command(tmp_path):
    missing = tmp_path / "none.tsv"
    for command in (["glossary", "list"], ["glossary", "check"]):
        assert_one_line_error(runner.invoke(app, [*command, "-g", str(missing)]), f"{missing}: no such glossary file")


def test_help_names_every_encoding_choice_and_paths_alike():
    segment = " ".join(runner.invoke(app, ["segment", "--help"]).stdout.split())
    assert "auto (each file as UTF-8" in segment and "byte order mark" in segment
    score = runner.invoke(app, ["score", "--help"]).stdout
    assert "--ref <path>" in score and "PATH" not in score
