"""The ``mt`` command line: parse, call ``mt``, print.

Every command catches the project's own error type only, prints its message
as one line on stderr and exits 1; ``mt --debug …`` shows the traceback.
"""

from __future__ import annotations

import functools
import json
import logging
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from mt.errors import MTError

app = typer.Typer(
    name="mt",
    help="Arabic→English news translation with an enforced entity glossary.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

_state = {"debug": False}


class _OneLineFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return f"{record.levelname.lower()}: {record.getMessage()}"


def _setup_logging(debug: bool) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_OneLineFormatter())
    root = logging.getLogger("mt")
    root.handlers[:] = [handler]
    root.setLevel(logging.DEBUG if debug else logging.INFO)
    root.propagate = False


def fail(message: str, code: int = 1) -> None:
    """Print ``message`` as one line on stderr and exit with ``code``."""
    line = " ".join(str(message).split())
    typer.echo(f"error: {line}", err=True)
    raise typer.Exit(code)


def handle_errors(func):
    """Turn the project's errors into one line on stderr and exit code 1."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except MTError as err:
            if _state["debug"]:
                raise
            fail(str(err))
        except KeyboardInterrupt:
            if _state["debug"]:
                raise
            fail("interrupted", code=130)

    return wrapper


@app.callback()
def main_callback(
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks and debug messages.")] = False,
) -> None:
    _state["debug"] = debug
    _setup_logging(debug)


class SegmentFormat(str, Enum):
    text = "text"
    jsonl = "jsonl"


EncodingOption = Annotated[
    str,
    typer.Option("--encoding", help="Input encoding: utf-8 (default, BOM allowed) or a legacy one such as cp1256."),
]


# ---- segment (foundation) -----------------------------------------------------


@app.command()
@handle_errors
def segment(
    paths: Annotated[list[Path], typer.Argument(help="Article files, or directories of *.txt files.")],
    format: Annotated[SegmentFormat, typer.Option("--format", "-f", help="Output format.")] = SegmentFormat.text,
    encoding: EncodingOption = "utf-8",
) -> None:
    """Split articles into sentences (headlines, captions and bylines are segments too)."""
    from mt.segment import split_sentences
    from mt.textio import read_articles

    articles = list(read_articles(paths, encoding))
    out = sys.stdout
    for article in articles:
        segments = split_sentences(article.text, article.doc)
        if format is SegmentFormat.jsonl:
            for seg in segments:
                record = {
                    "doc": seg.doc,
                    "index": seg.index,
                    "paragraph": seg.paragraph,
                    "start": seg.start,
                    "end": seg.end,
                    "text": seg.text,
                }
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
        else:
            if len(articles) > 1:
                out.write(f"# {article.doc}\n")
            for seg in segments:
                out.write(seg.text + "\n")
    out.flush()


# ---- translate, model prepare (engine) ---------------------------------------


# ---- glossary (glossary) ------------------------------------------------------


# ---- align (alignment) --------------------------------------------------------


# ---- score (scoring) ----------------------------------------------------------


# ---- review, export (review) --------------------------------------------------


def main() -> None:
    app()


if __name__ == "__main__":
    main()
