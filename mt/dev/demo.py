"""``mt model demo``: the tiny random-weight model of the tests, for a
newcomer without a model hub to try ``mt translate`` offline.

Its weights are random, so its English is nonsense words; the glossary
terms still come out right, since enforcement does not depend on the model
knowing them.  Its vocabulary is trained on the articles given (the seeds by
default), so their Arabic is spelt in its pieces.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path

from ..errors import OutputError
from ..text import read_articles


def build_demo_model(out: Path | str, texts: Sequence[Path | str], *, force: bool = False) -> Path:
    """Write the demo model to ``out`` (``save_pretrained`` layout), its
    vocabulary trained on the articles ``texts``; an existing ``out`` is
    refused unless ``force``."""
    from .models import build_tiny_model

    out = Path(out)
    if out.exists() and not force:
        raise OutputError(f"{out}: exists; use --force to replace it")
    if not out.parent.is_dir():
        raise OutputError(f"{out.parent}: output directory does not exist")
    articles = [article.text for article in read_articles(texts)]
    # Built beside OUT and renamed over it, so a failed build loses nothing.
    with tempfile.TemporaryDirectory(dir=out.parent, prefix=f".{out.name}.") as tmp:
        built = build_tiny_model(Path(tmp) / "model", articles)
        if out.is_dir():
            shutil.rmtree(out)
        elif out.exists():
            out.unlink()
        built.rename(out)
    return out
