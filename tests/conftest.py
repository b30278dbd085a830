from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SHARED = ROOT.parent / "shared"
DATA = Path(__file__).resolve().parent / "data"
HOUSE = ROOT / "glossary" / "entities.tsv"
GLOSSARY_HEADER = "ar\ten\ttype\tvariants\tnote\n"


def shared_path(*parts: str) -> Path:
    """A file under ../shared, or skip the test with the reason."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is absent (../shared data not beside the project)")
    return path


@pytest.fixture(scope="session")
def seed_paths() -> list[Path]:
    return sorted(SEEDS.glob("*.txt"))


@pytest.fixture(scope="session")
def ntrex_docs() -> list[dict]:
    path = shared_path("data", "ntrex-dev", "ntrex_dev_docs.jsonl")
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="session")
def tiny_model(tmp_path_factory, seed_paths) -> Path:
    """A tiny random-weight MarianMT with a vocabulary trained on the seeds,
    written by ``save_pretrained`` (the transformers layout)."""
    from mt.dev.models import build_tiny_model

    texts = [p.read_text(encoding="utf-8") for p in seed_paths]
    return build_tiny_model(tmp_path_factory.mktemp("models") / "tiny", texts)


@pytest.fixture(scope="session")
def tiny_ct2(tiny_model, tmp_path_factory) -> Path:
    """Its CTranslate2 conversion in float32 (exact parity with transformers)."""
    from mt.translate import prepare_model

    return prepare_model(str(tiny_model), tmp_path_factory.mktemp("models") / "tiny-ct2", quantization="float32")


@pytest.fixture(scope="session")
def tiny_ct2_int8(tiny_model, tmp_path_factory) -> Path:
    """Its CTranslate2 conversion in int8, the default on CPU."""
    from mt.translate import prepare_model

    return prepare_model(str(tiny_model), tmp_path_factory.mktemp("models") / "tiny-ct2-int8")


@pytest.fixture(scope="session")
def trained_model() -> Path:
    """The small MarianMT trained here on a monotonic task, so its attention
    is real (tests/data/trained-model/README.md; bench/train_test_model.py)."""
    return DATA / "trained-model"


@pytest.fixture(scope="session")
def trained_ct2(trained_model, tmp_path_factory) -> Path:
    """Its CTranslate2 copy in int8, made as a user makes one (``mt model prepare``)."""
    from mt.translate import prepare_model

    return prepare_model(str(trained_model), tmp_path_factory.mktemp("models") / "trained-ct2")


@pytest.fixture(scope="session")
def trained_ct2_f32(trained_model, tmp_path_factory) -> Path:
    """Its CTranslate2 copy in float32: what backend-agreement tests compare
    with transformers, like with like."""
    from mt.translate import prepare_model

    return prepare_model(str(trained_model), tmp_path_factory.mktemp("models") / "trained-f32", quantization="float32")


@pytest.fixture(scope="session")
def house_glossary():
    from mt.glossary import Glossary

    return Glossary.load(HOUSE)


def assert_one_line_error(result, fragment: str, code: int = 1) -> str:
    """A CLI failure as the project promises it: exit ``code``, one line on
    stderr that contains ``fragment``, no traceback anywhere."""
    assert result.exit_code == code, (result.exit_code, result.output)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ") and fragment in lines[0], lines[0]
    assert "Traceback" not in result.output
    return lines[0]


@dataclass(frozen=True)
class _Entry:
    en: str


@dataclass(frozen=True)
class _Match:
    text: str
    entry: _Entry


class StandInGlossary:
    """The part of ``mt.glossary.Glossary`` that align and term accuracy use,
    without clitics or normalisation: ``match(text)`` finds whole words
    (punctuation stripped) and gives matches with ``.text`` and ``.entry.en``."""

    def __init__(self, terms: dict[str, str]):
        self.terms = terms

    def match(self, text: str) -> list[_Match]:
        found = []
        for word in text.split():
            word = word.strip(".،,")
            if word in self.terms:
                found.append(_Match(word, _Entry(self.terms[word])))
        return found
