"""The ``mt`` command line: parse, call ``mt``, print.

Every command turns the project's errors into one line on stderr and exit
code 1; a wrong option or argument is one line too, with exit code 2; ``mt
--debug …`` shows the traceback.  An error the project did not foresee still
gets one line (naming its type) rather than a traceback.
"""

from __future__ import annotations

import functools
import json
import logging
import os
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

try:  # typer vendors its own copy of click (0.2x); older ones use click itself
    from typer._click import exceptions as click_errors
except ImportError:  # pragma: no cover
    from click import exceptions as click_errors

from mt.errors import MTError
from mt.glossary import DEFAULT_PATH as _DEFAULT_GLOSSARY
from mt.translate import BACKEND_CHOICES, COMPUTE_TYPES, CONTINUATIONS, QUANTIZATIONS

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


def echo_error(message: object) -> None:
    """Print ``message`` as one ``error:`` line on stderr."""
    line = " ".join(str(message).split())
    typer.echo(f"error: {line}", err=True)


def fail(message: str, code: int = 1) -> None:
    """Print ``message`` as one line on stderr and exit with ``code``."""
    echo_error(message)
    raise typer.Exit(code)


def handle_errors(func):
    """Turn errors into one line on stderr and exit code 1 (130 on Ctrl+C)."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except (typer.Exit, typer.Abort, click_errors.ClickException):
            raise
        except MTError as err:
            if _state["debug"]:
                raise
            fail(str(err))
        except BrokenPipeError:  # `mt segment … | head`: the reader has all it wants
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            raise typer.Exit(141) from None
        except KeyboardInterrupt:
            if _state["debug"]:
                raise
            fail("interrupted", code=130)
        except Exception as err:  # a bug, or a library error not yet turned into MTError
            if _state["debug"]:
                raise
            fail(f"unexpected {type(err).__name__}: {err} (mt --debug … shows the traceback)")

    return wrapper


def _show_usage_error(self, file=None) -> None:
    """Click's usage errors as one line: what is wrong, and where to look."""
    where = f" (see: {self.ctx.command_path} --help)" if self.ctx is not None else ""
    # Typer coerces values through pydantic, whose messages start "Value error, ".
    message = " ".join(self.format_message().split()).replace("Value error, ", "")
    typer.echo(f"error: {message}{where}", err=True)


click_errors.UsageError.show = _show_usage_error


def _usage_name(self) -> str:
    """An argument in a usage line as click writes it (``PATHS...``,
    ``[FILE]``), not Typer's ``{paths}...``."""
    name = self.metavar or self.name.upper()
    if not self.required:
        name = f"[{name}]"
    return name + ("..." if self.nargs != 1 else "")


typer.core.TyperArgument._usage_display_name = _usage_name


def _print_version(value: bool) -> None:
    if value:
        from mt import __version__

        typer.echo(f"mt {__version__}")
        raise typer.Exit()


@app.callback()
def main_callback(
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks and debug messages.")] = False,
    version: Annotated[
        bool, typer.Option("--version", help="Print the version and exit.", callback=_print_version, is_eager=True)
    ] = False,
) -> None:
    _state["debug"] = debug
    _setup_logging(debug)


# Choices come from the library's registries, so a new backend or precision
# needs no change here.
BackendName = Enum("BackendName", {name: name for name in BACKEND_CHOICES}, type=str)
ComputeType = Enum("ComputeType", {name: name for name in COMPUTE_TYPES}, type=str)
Quantization = Enum("Quantization", {name: name for name in QUANTIZATIONS}, type=str)


class SegmentFormat(str, Enum):
    text = "text"
    jsonl = "jsonl"


def _checked_by(check):
    """An option callback: ``check(value)`` raising the project's error makes
    the value a usage error (one line, exit code 2) before the command runs."""

    def callback(value):
        if value is not None:
            try:
                check(value)
            except MTError as err:
                raise typer.BadParameter(str(err)) from None
        return value

    return callback


def _check_encoding(value: str) -> None:
    from mt.text import check_encoding

    check_encoding(value)


def _check_type(value: str) -> None:
    from mt.glossary import check_type

    check_type(value)


def _check_format(value: str) -> None:
    from mt.glossary import guess_format

    guess_format("", value)


EncodingOption = Annotated[
    str,
    typer.Option(
        "--encoding",
        help="Input encoding: utf-8 (default), a legacy one such as cp1256, or auto (each file as UTF-8 "
        "when it is, else cp1256); a byte order mark (UTF-8, UTF-16) decides by itself.",
        callback=_checked_by(_check_encoding),
    ),
]


AllUnitsOption = Annotated[
    bool,
    typer.Option(
        "--all-units",
        help="Keep in the TMX the pairs that make no translation unit: an empty side, or an Arabic side without Arabic letters (a copied English caption).",
    ),
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
    from mt.text import read_articles, split_sentences

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


@app.command("export-srx")
@handle_errors
def export_srx(
    out: Annotated[Path, typer.Argument(help="The file to write: OUT.srx, or PROJECT/omegat/segmentation.conf with --omegat.")],
    omegat: Annotated[
        bool, typer.Option("--omegat", help="Write OmegaT 3.6's segmentation.conf instead of SRX 2.0 (3.6 imports no SRX).")
    ] = False,
) -> None:
    """Write mt's segmentation rules for a CAT tool (OmegaT, Trados, memoQ), so it segments as mt segment does."""
    from mt.text import SEGMENTATION_RULES, write_srx

    write_srx(out, omegat=omegat)
    kind = "OmegaT segmentation.conf" if omegat else "SRX 2.0"
    typer.echo(f"wrote {len(SEGMENTATION_RULES)} segmentation rules to {out} ({kind})")


# ---- translate, model prepare (engine) ---------------------------------------


class _RichProgress:
    """Progress bars over articles and segments, on stderr, only on a terminal."""

    def __init__(self, articles: int):
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
        )

        console = Console(stderr=True)
        self.bar = Progress(
            TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
            console=console, disable=not console.is_terminal, transient=True,
        )
        self.articles = self.bar.add_task("articles", total=articles)
        self.segments = self.passes = None
        self.decoded = {}

    def __enter__(self):
        self.bar.__enter__()
        return self

    def __exit__(self, *exc):
        return self.bar.__exit__(*exc)

    def start_window(self, docs, segments: int) -> None:
        for task in (self.segments, self.passes):
            if task is not None:
                self.bar.remove_task(task)
        what = docs[0] if len(docs) == 1 else f"segments of {len(docs)} articles"
        self.segments = self.bar.add_task(f"  {what}", total=segments)
        # Sentences decoded per pass: it moves while forced-term passes run,
        # when no segment is done yet.
        self.passes = self.bar.add_task("    decoding", total=None)
        self.decoded = {}

    def passed(self, kind: str, sentences: int) -> None:
        if self.passes is None:
            return
        self.decoded[kind] = self.decoded.get(kind, 0) + sentences
        parts = ", ".join(f"{n} {k}" for k, n in self.decoded.items())
        self.bar.update(self.passes, advance=sentences, description=f"    decoded: {parts}")

    def advance(self, segments: int) -> None:
        if self.segments is not None:
            self.bar.advance(self.segments, segments)

    def end_article(self, report) -> None:
        self.bar.advance(self.articles, 1)
        typer.echo(article_line(report))  # as each article is done (click.echo flushes)


ModelOption = Annotated[
    str, typer.Option("--model", "-m", help="Hub id or local directory (MarianMT checkpoint or CTranslate2 model).")
]


class EngineName(str, Enum):  # mt translate --engine
    local = "local"
    ray = "ray"


Continuation = Enum("Continuation", {name: name for name in CONTINUATIONS}, type=str)  # mt translate --continuation


@app.command()
@handle_errors
def translate(
    inputs: Annotated[list[Path], typer.Argument(help="Article files, or directories of *.txt files.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Output directory for <doc>.json and <doc>.tmx.")],
    model: ModelOption = "Helsinki-NLP/opus-mt-ar-en",
    backend: Annotated[BackendName, typer.Option("--backend", "-b", help="auto: from the model directory's layout.")] = BackendName("auto"),
    beam: Annotated[int, typer.Option("--beam", min=1, max=64, help="Beam size.")] = 4,
    continuation: Annotated[
        Continuation,
        typer.Option(
            "--continuation",
            help="After a forced term: rejoin = greedy until the model writes again what it wrote without the term, "
            "then its own words (cheapest); greedy or beam = decode the rest of the sentence.",
        ),
    ] = Continuation("rejoin"),
    glossary: Annotated[
        Optional[Path], typer.Option("--glossary", "-g", help="Glossary TSV: every matched term is enforced in the English.")
    ] = None,
    no_memory: Annotated[bool, typer.Option("--no-memory", help="Neither read nor write the translation memory.")] = False,
    memory: Annotated[
        Optional[Path], typer.Option("--memory", help="Translation memory file (default: OUT/.mt-memory.sqlite).")
    ] = None,
    compute_type: Annotated[
        ComputeType,
        typer.Option(
            "--compute-type",
            help="CTranslate2 precision. auto: the model's own where this CPU computes int8 without saturating (VNNI), "
            "else float32; `mt model info MODEL` says which and why.",
        ),
    ] = ComputeType("auto"),
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help="Translate every article afresh, up to date or not: pairs reviewed in mt review are dropped "
            "(a warning says how many; the old JSON is kept beside as DOC.json.STAMP.bak).",
        ),
    ] = False,
    all_units: AllUnitsOption = False,
    skip_bad: Annotated[
        bool, typer.Option("--skip-bad", help="A file that cannot be read gets its error line and is left out; the others are translated (exit code 1).")
    ] = False,
    encoding: EncodingOption = "utf-8",
    links: Annotated[
        bool,
        typer.Option(
            "--links",
            help="Write each pair's word links into the JSON: the Arabic word each English word attends to "
            "(one more teacher-forced pass; read by `mt glossary suggest`).",
        ),
    ] = False,
    no_short_forms: Annotated[
        bool, typer.Option("--no-short-forms", help="A person's bare surname after the full name is not a term (it is by default).")
    ] = False,
    consistent_names: Annotated[
        bool,
        typer.Option(
            "--consistent-names",
            help="A name the glossary lacks that recurs in an article keeps the model's spelling of its first mention "
            "throughout (reported as `names` in the JSON).",
        ),
    ] = False,
    engine_name: Annotated[
        EngineName, typer.Option("--engine", help="local: this process; ray: a Ray Data actor pool (pip install 'mt-glossary[ray]').")
    ] = EngineName.local,
    address: Annotated[
        Optional[str], typer.Option("--address", help="--engine ray: auto or HOST:PORT of a running cluster (default: a Ray of its own here).")
    ] = None,
    workers: Annotated[int, typer.Option("--workers", min=1, help="--engine ray: actors in the pool.")] = 2,
    threads_per_worker: Annotated[
        int, typer.Option("--threads-per-worker", min=1, help="--engine ray: CPUs (CTranslate2 threads) per actor.")
    ] = 1,
) -> None:
    """Translate Arabic articles to English: JSON and TMX per article, glossary terms enforced."""
    from mt.text import check_output_dir, ensure_dir
    from mt.translate import (
        DecodeOptions,
        RunSettings,
        TranslationMemory,
        load_articles,
        load_backend,
        translate_files,
    )

    if memory is not None and no_memory:
        raise typer.BadParameter("--memory and --no-memory exclude each other", param_hint="'--memory'")
    ray_options = _ray_options(engine_name, address, workers, threads_per_worker)
    # Everything that can fail on bad input fails before anything is written.
    check_output_dir(out)
    bad: list[str] = []
    left_out: list[str] = []  # empty files in a directory, texts without Arabic

    def report_bad(err) -> None:
        bad.append(str(err))
        echo_error(err)

    def report_left_out(message: str) -> None:
        left_out.append(message)
        typer.echo(f"warning: skipping {message}", err=True)

    articles = load_articles(inputs, encoding, on_error=report_bad, on_skip=report_left_out)
    if bad and not skip_bad:
        if len(bad) > 1:  # each has had its line; one is its own explanation
            fail(f"{len(bad)} files cannot be read; nothing translated (--skip-bad translates the others)")
        raise typer.Exit(1)
    if not articles:
        fail("no article left to translate")
    terms = None
    if glossary is not None:
        from mt.glossary import Glossary

        terms = Glossary.load(glossary)
    engine = load_backend(model, backend.value, compute_type=compute_type.value)
    tm = TranslationMemory(memory) if memory is not None else None
    ensure_dir(out)
    if tm is None and not no_memory:
        tm = TranslationMemory(out / ".mt-memory.sqlite")
    settings = RunSettings(
        model=model, backend=engine, options=DecodeOptions(beam=beam, continuation=continuation.value), glossary=terms, all_units=all_units,
        short_forms=not no_short_forms, links=links, consistent_names=consistent_names,
    )
    with _RichProgress(len(articles)) as progress:
        if ray_options is None:
            reports = translate_files(articles, out, settings, memory=tm, force=force, progress=progress)
        else:
            from mt.translate import BackendSpec, translate_files_ray

            # Every worker computes in the precision chosen here.
            spec = BackendSpec(model, backend.value, engine.compute_type)
            reports = translate_files_ray(
                articles, out, settings, spec, memory=tm, force=force, progress=progress, ray_options=ray_options
            )
    typer.echo(translation_summary(reports, out, engine.name, beam, tm, bad=len(bad), left_out=len(left_out)))
    if bad:
        raise typer.Exit(1)


def _ray_options(engine_name, address, workers: int, threads_per_worker: int):
    """``RayOptions`` for --engine ray (Ray must be installed), else ``None``;
    the Ray options without --engine ray are a usage error."""
    from mt.translate import RayOptions, import_ray

    if engine_name is EngineName.local:
        used = (("--address", address), ("--workers", workers != 2), ("--threads-per-worker", threads_per_worker != 1))
        given = [name for name, value in used if value]
        if given:
            raise typer.BadParameter(f"{given[0]} needs --engine ray", param_hint=f"'{given[0]}'")
        return None
    import_ray()
    return RayOptions(address=address, workers=workers, threads_per_worker=threads_per_worker)


def _left_out_note(tmx) -> str:
    """``; left out of the TMX: … (--all-units keeps them)`` after a summary, or nothing."""
    return f"; {tmx.describe()} (--all-units keeps them)" if tmx is not None and tmx.left_out else ""


def article_line(report) -> str:
    """What became of one article."""
    if report.skipped:
        return f"{report.doc}: up to date, skipped (--force redoes it)"
    stats = report.stats
    redone = f"redone ({report.redone}): " if report.redone is not None else ""
    review = f"; {report.review.describe()}" if report.review else ""
    return (
        f"{report.doc}: {redone}{stats['segments']} segments, {stats['memory_hits']} from memory, "
        f"{stats['memory_misses']} translated; terms {stats['terms']['produced']} produced, "
        f"{stats['terms']['forced']} forced, {stats['terms']['missing']} missing{review}"
    )


def translation_summary(reports, out: Path, backend: str, beam: int, tm, bad: int = 0, left_out: int = 0) -> str:
    """The run's totals: how many translated, how many of them redone and
    why, how many up to date, how many bad files left out."""
    from collections import Counter

    from mt.formats import TmxSummary
    from mt.translate import Carried

    totals = {"produced": 0, "forced": 0, "missing": 0}
    reasons = Counter(r.redone for r in reports if not r.skipped and r.redone is not None)
    for report in reports:
        if not report.skipped:
            for key in totals:
                totals[key] += report.stats["terms"][key]
    done = sum(not r.skipped for r in reports)
    tmx = sum((r.tmx for r in reports if r.tmx is not None), TmxSummary(0))
    why = f" [{'; '.join(f'{reason}: {n}' for reason, n in sorted(reasons.items()))}]" if reasons else ""
    # The article lines' own counts, summed: a sentence an article shares
    # with one before it in the run is a hit there, as on its line.
    hits = sum(r.stats["memory_hits"] for r in reports if not r.skipped)
    misses = sum(r.stats["memory_misses"] for r in reports if not r.skipped)
    memory_note = "memory off" if tm is None else f"memory: {hits} hits, {misses} misses"
    tmx_note = _left_out_note(tmx)
    bad_note = f", {bad} bad file{'' if bad == 1 else 's'} skipped" if bad else ""
    if left_out:
        bad_note += f", {left_out} left out (empty or no Arabic)"
    review = sum((r.review for r in reports), Carried())
    review_note = f"; {review.describe()}" if review else ""
    return (
        f"{done} translated ({done - sum(reasons.values())} new, {sum(reasons.values())} redone{why}), "
        f"{len(reports) - done} up to date{bad_note}, into {out} "
        f"({backend}, beam {beam}; {memory_note}; "
        f"terms {totals['produced']} produced, {totals['forced']} forced, {totals['missing']} missing"
        f"{tmx_note}{review_note})"
    )


model_app = typer.Typer(help="Prepare translation models.", no_args_is_help=True, rich_markup_mode=None)
app.add_typer(model_app, name="model")


@model_app.command("prepare")
@handle_errors
def model_prepare(
    model: Annotated[str, typer.Argument(help="Hub id or save_pretrained directory of a MarianMT model.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="The CTranslate2 directory to write.")],
    quantization: Annotated[
        Optional[Quantization], typer.Option("--quantization", "-q", help="Weights precision (default int8).")
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace OUT if it exists.")] = False,
) -> None:
    """Convert a MarianMT model to CTranslate2, so translating needs no torch."""
    from mt.translate import detect_kind, prepare_model

    chosen = quantization.value if quantization else None
    path = prepare_model(model, out, quantization=chosen, force=force)
    what = "copied as it is" if Path(model).is_dir() and detect_kind(Path(model)) == "ctranslate2" else chosen or "int8"
    typer.echo(f"{path}: CTranslate2 model ({what}); translate with --model {path}")


@model_app.command("info")
@handle_errors
def model_info(model: Annotated[str, typer.Argument(help="Hub id or model directory (MarianMT checkpoint or CTranslate2 model).")]) -> None:
    """Say what a model is and what precision `mt translate` computes it in on this CPU, and why."""
    from mt.translate import describe_model, model_info as describe

    for line in describe_model(describe(model)):
        typer.echo(line)


@model_app.command("demo")
@handle_errors
def model_demo(
    out: Annotated[Path, typer.Option("--out", "-o", help="The model directory to write.")],
    texts: Annotated[
        list[Path], typer.Option("--texts", help="Arabic articles (files or directories) to train its vocabulary on.")
    ] = [Path("seeds")],  # noqa: B006 - Typer reads the default, never mutates it
    force: Annotated[bool, typer.Option("--force", help="Replace OUT if it exists.")] = False,
) -> None:
    """Build a tiny random-weight model to try mt translate offline: it writes
    nonsense words around correct glossary terms."""
    from mt.dev import build_demo_model

    path = build_demo_model(out, texts, force=force)
    typer.echo(
        f"{path}: demo model with random weights (its English is nonsense; glossary terms come out right); "
        f"translate with --model {path}"
    )


# ---- glossary (glossary) ------------------------------------------------------


glossary_app = typer.Typer(
    help="Maintain the entity glossary (list, add, remove, check, import, export).",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(glossary_app, name="glossary")

GlossaryOption = Annotated[
    Path, typer.Option("--glossary", "-g", help="Glossary TSV file.")
]
GlossaryFormatOption = Annotated[
    Optional[str],
    typer.Option("--format", "-f", help="csv, tsv or tbx (default: from the file suffix).", callback=_checked_by(_check_format)),
]


CommonWordsOption = typer.Option(
    "--dictionary",
    help="Common Arabic words besides the built-in list: one word a line, or arabic<TAB>glosses (FreeDict layout).",
)


@glossary_app.command("list")
@handle_errors
def glossary_list(
    type_: Annotated[
        Optional[str], typer.Option("--type", "-t", help="Only PER, ORG, LOC or MISC.", callback=_checked_by(_check_type))
    ] = None,
    tsv: Annotated[bool, typer.Option("--tsv", help="Print TSV instead of a table.")] = False,
    glossary: GlossaryOption = _DEFAULT_GLOSSARY,
) -> None:
    """Print the glossary entries."""
    from mt.glossary import Glossary, check_type, format_glossary

    wanted = check_type(type_) if type_ else None
    entries = [e for e in Glossary.load(glossary).entries if wanted is None or e.type == wanted]
    if tsv:
        sys.stdout.write(format_glossary(entries))
        return
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    # Text cells: entries are data, never rich markup ("[/b]" in a note, "[bold]Aleppo").
    table = Table(title=Text(f"{glossary}: {len(entries)} entries"))
    with_short = any(e.short for e in entries)
    for name in ("ar", "en", "type", "variants", "note") + (("short",) if with_short else ()):
        table.add_column(name, overflow="fold")  # wrapped, never cut short with "…"
    for e in entries:
        cells = (e.ar, e.en, e.type, " | ".join(e.variants), e.note) + ((e.short,) if with_short else ())
        table.add_row(*(Text(cell) for cell in cells))
    Console().print(table)


@glossary_app.command("add")
@handle_errors
def glossary_add(
    ar: Annotated[str, typer.Argument(help="Canonical Arabic form (the entry id).")],
    en: Annotated[str, typer.Argument(help="The one English form.")],
    type_: Annotated[str, typer.Option("--type", "-t", help="PER, ORG, LOC or MISC.", callback=_checked_by(_check_type))],
    variants: Annotated[str, typer.Option("--variants", help="Other Arabic spellings, '|'-separated.")] = "",
    note: Annotated[str, typer.Option("--note", help="Why this form was chosen.")] = "",
    replace: Annotated[bool, typer.Option("--replace", help="Overwrite an entry with the same Arabic form.")] = False,
    glossary: GlossaryOption = _DEFAULT_GLOSSARY,
    short: Annotated[str, typer.Option("--short", help="A person's short form: 'Assad', 'بن سلمان = bin Salman', or '-' for none.")] = "",
) -> None:
    """Add an entry (refused if the Arabic form is already there, unless --replace)."""
    from mt.glossary import add_entry, new_entry

    entry = new_entry(ar, en, type_, variants, note, glossary=glossary, short=short)
    old = add_entry(glossary, entry, replace=replace)
    verb = f"replaced {old.ar} → {old.en} with" if old else "added"
    typer.echo(f"{glossary}: {verb} {entry.ar} → {entry.en} ({entry.type})")


@glossary_app.command("remove")
@handle_errors
def glossary_remove(
    ar: Annotated[str, typer.Argument(help="Canonical Arabic form of the entry.")],
    glossary: GlossaryOption = _DEFAULT_GLOSSARY,
) -> None:
    """Remove an entry."""
    from mt.glossary import remove_entry

    old = remove_entry(glossary, ar)
    typer.echo(f"{glossary}: removed {old.ar} → {old.en}")


@glossary_app.command("check")
@handle_errors
def glossary_check(
    glossary: GlossaryOption = _DEFAULT_GLOSSARY,
    dictionary: Annotated[Optional[Path], CommonWordsOption] = None,
    encoding: EncodingOption = "utf-8",
) -> None:
    """Report malformed lines, duplicates, conflicts, near-duplicate English and entries that never match
    (exit 1 if any); entries whose Arabic is also a common word get a warning line."""
    from mt.glossary import check_glossary, load_common_words

    report = check_glossary(glossary, load_common_words(dictionary, encoding))
    for line in report.lines():
        typer.echo(line)
    typer.echo(report.summary())
    if not report.ok:
        raise typer.Exit(1)


@glossary_app.command("import")
@handle_errors
def glossary_import(
    file: Annotated[Path, typer.Argument(help="CSV (, or ;), TSV or TBX file with ar, en, type and optional variants, note.")],
    format: GlossaryFormatOption = None,
    replace: Annotated[bool, typer.Option("--replace", help="Overwrite conflicting entries.")] = False,
    update: Annotated[
        bool, typer.Option("--update", help="Merge rows whose Arabic and English match an entry: add their variants, take their type and note.")
    ] = False,
    glossary: GlossaryOption = _DEFAULT_GLOSSARY,
) -> None:
    """Merge entries from a file; on conflicts nothing is written (unless --replace or --update)."""
    from mt.glossary import import_entries

    result = import_entries(glossary, file, fmt=format, replace=replace, update=update)
    for line in result.warnings:
        typer.echo(f"warning: {line}", err=True)
    for line in result.conflicts:  # the report on stdout; the error is one line on stderr
        typer.echo(line)
    if result.conflicts:
        count = len(result.conflicts)
        fail(f"{file}: {count} conflict{'' if count == 1 else 's'} with {glossary}; nothing written")
    typer.echo(f"{glossary}: {result.summary()}")


@glossary_app.command("export")
@handle_errors
def glossary_export(
    file: Annotated[Path, typer.Argument(help="Output file (.csv, .tsv or .tbx).")],
    format: GlossaryFormatOption = None,
    no_bom: Annotated[bool, typer.Option("--no-bom", help="CSV: leave out the UTF-8 BOM that Excel needs to show Arabic.")] = False,
    glossary: GlossaryOption = _DEFAULT_GLOSSARY,
) -> None:
    """Write the glossary as CSV (with a UTF-8 BOM for Excel), TSV or TBX-Basic."""
    from mt.glossary import export_glossary

    count = export_glossary(glossary, file, format, bom=not no_bom)
    typer.echo(f"{file}: {count} entries")


@glossary_app.command("suggest")
@handle_errors
def glossary_suggest(
    paths: Annotated[list[Path], typer.Argument(help="Arabic articles (.txt, or directories of them), or mt translate / mt align JSON.")],
    glossary: GlossaryOption = _DEFAULT_GLOSSARY,
    english: Annotated[
        Optional[list[Path]],
        typer.Option("--english", help="English translations (files or directories): X.txt or X.en.txt beside Arabic X.txt, aligned as mt align does."),
    ] = None,
    out: Annotated[Optional[Path], typer.Option("--out", "-o", help="Write the candidates here as glossary import CSV (default: CSV on stdout).")] = None,
    min_count: Annotated[int, typer.Option("--min-count", min=1, help="Only candidates seen at least N times.")] = 1,
    top: Annotated[Optional[int], typer.Option("--top", min=1, help="Only the N best candidates.")] = None,
    dictionary: Annotated[Optional[Path], CommonWordsOption] = None,
    romanizer: Annotated[
        bool, typer.Option("--romanizer/--no-romanizer", help="Propose spellings with arabic-name-romanizer when it is installed (the romanize extra).")
    ] = True,
    encoding: EncodingOption = "utf-8",
) -> None:
    """List named-entity candidates the glossary lacks, with a type, evidence and a proposed English."""
    from collections import Counter

    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from mt.align import read_documents
    from mt.glossary import Glossary, candidates_csv, load_common_words, load_romanizer, suggest_entries, write_candidates

    terms = Glossary.load(glossary)
    common = load_common_words(dictionary, encoding)
    console = Console(stderr=True)
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), console=console,
                  disable=not console.is_terminal, transient=True) as bar:
        task = bar.add_task("reading", total=None)
        documents = read_documents(paths, english or (), encoding=encoding, glossary=terms,
                                   on_document=lambda name: bar.advance(task))
    spell = load_romanizer() if romanizer else None
    found = suggest_entries(documents, terms, common, min_count=min_count, top=top, romanizer=spell)
    sources = ", ".join(f"{n} {k}" for k, n in sorted(Counter(c.en_source for c in found).items()))
    summary = f"{len(found)} candidates from {len(documents)} documents" + (f" (English: {sources})" if found else "")
    if out is None:
        sys.stdout.write(candidates_csv(found))
        typer.echo(summary, err=True)
    else:
        write_candidates(found, out)
        typer.echo(f"{out}: {summary}; check them, then: mt glossary import {out}")


# ---- align (alignment) --------------------------------------------------------


@app.command()
@handle_errors
def align(
    source: Annotated[Path, typer.Argument(help="The Arabic article (text file).")],
    target: Annotated[Path, typer.Argument(help="Its English translation (text file).")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Output pairs: FILE.json or FILE.tmx.")],
    glossary: Annotated[
        Optional[Path], typer.Option("--glossary", "-g", help="Glossary TSV: entities found on both sides guide the alignment.")
    ] = None,
    dictionary: Annotated[
        Optional[Path],
        typer.Option("--dictionary", help="Bilingual word list: arabic<TAB>english glosses ('|'-separated), read with --ar-encoding."),
    ] = None,
    model: Annotated[
        Optional[str],
        typer.Option("--model", "-m", help="Translation model (hub id or directory): chrF of its output against the English joins the score."),
    ] = None,
    backend: Annotated[
        BackendName, typer.Option("--backend", "-b", help="Backend of --model; auto: from the model directory's layout.")
    ] = BackendName.auto,
    encoding: Annotated[
        str,
        typer.Option(
            "--ar-encoding", "--encoding",
            help="Encoding of the Arabic article and of --dictionary: utf-8 (default, BOM allowed) or a legacy one such as cp1256.",
            callback=_checked_by(_check_encoding),
        ),
    ] = "utf-8",
    en_encoding: Annotated[
        str,
        typer.Option(
            "--en-encoding",
            help="Encoding of the English translation: utf-8 (default, BOM allowed) or a legacy one such as cp1252.",
            callback=_checked_by(_check_encoding),
        ),
    ] = "utf-8",
    all_units: AllUnitsOption = False,
    strict: Annotated[
        bool, typer.Option("--strict", help="Refuse texts that look unrelated (not translations of each other) instead of warning.")
    ] = False,
) -> None:
    """Align an Arabic article with its English translation, sentence by sentence."""
    from mt.align import Lexicon, align_files, alignment_summary, check_output_path

    terms = None
    if glossary is not None:
        from mt.glossary import Glossary

        terms = Glossary.load(glossary)
    lexicon = Lexicon.load(dictionary, encoding) if dictionary is not None else None
    check_output_path(out)  # before the model is loaded and anything aligned
    translate = None
    if model is not None:
        from mt.translate import model_translator

        translate = model_translator(model, backend.value)
    options = {
        "glossary": None if glossary is None else str(glossary),
        "dictionary": None if dictionary is None else str(dictionary),
        "model": model,
    }
    document = align_files(
        source, target, lexicon=lexicon, glossary=terms, translate=translate, encoding=encoding,
        target_encoding=en_encoding, meta_options=options, strict=strict,
    )
    from mt.formats import write_pairs

    tmx = write_pairs(document, out, all_units=all_units)
    left_out = _left_out_note(tmx)
    typer.echo(f"{out}: {alignment_summary(document)}{left_out}")


# ---- score (scoring) ----------------------------------------------------------


@app.command()
@handle_errors
def score(
    hyp: Annotated[Path, typer.Option("--hyp", help="Hypothesis: pairs .json/.tmx, or text with one segment per line.")],
    ref: Annotated[list[Path], typer.Option("--ref", metavar="<path>", help="Reference (repeat for several); a whole-article text is aligned first.")],
    glossary: Annotated[Optional[Path], typer.Option("--glossary", "-g", help="Glossary TSV for term accuracy.")] = None,
    src: Annotated[Optional[Path], typer.Option("--src", help="Arabic source (for text hypotheses): one segment per line, or the article, segmented as mt translate segments it.")] = None,
    compare: Annotated[Optional[Path], typer.Option("--compare", help="A second system: paired bootstrap test against --hyp.")] = None,
    align: Annotated[
        Optional[bool], typer.Option("--align/--no-align", help="Align text references to the source: always / never (default: when counts differ).")
    ] = None,
    case_sensitive: Annotated[bool, typer.Option("--case-sensitive", help="Term accuracy: require the glossary's casing.")] = False,
    json_output: Annotated[bool, typer.Option("--json", help="Print one JSON object instead of tables.")] = False,
    segments: Annotated[Optional[Path], typer.Option("--segments", help="Write per-segment scores to this CSV file.")] = None,
    encoding: Annotated[
        str, typer.Option("--encoding", help="Encoding of plain-text --hyp/--ref/--src/--compare: utf-8 (default, BOM allowed) or a legacy one such as cp1256.")
    ] = "utf-8",
) -> None:
    """Score a translation against references: BLEU, chrF, chrF++, TER (sacrebleu) and term accuracy."""
    from mt.score import (
        check_segments_path,
        evaluate,
        evaluation_to_dict,
        print_evaluation,
        write_segments_csv,
    )

    if segments is not None:
        check_segments_path(segments)
    terms = None
    if glossary is not None:
        from mt.glossary import Glossary

        terms = Glossary.load(glossary)
    result = evaluate(
        hyp, ref, glossary=terms, src_path=src, compare_path=compare, align=align, case_sensitive=case_sensitive,
        encoding=encoding,
    )
    if segments is not None:
        write_segments_csv(result, segments)
    if json_output:
        record = evaluation_to_dict(result, glossary=None if glossary is None else str(glossary))
        sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
    else:
        print_evaluation(result)
    sys.stdout.flush()



# ---- review, export (review) --------------------------------------------------


@app.command()
@handle_errors
def review(
    file: Annotated[Path, typer.Argument(help="A pairs JSON file (from mt translate or mt align); actions are saved into it.")],
    port: Annotated[int, typer.Option("--port", min=0, max=65535, help="Port to listen on (0: any free port).")] = 8765,
    host: Annotated[str, typer.Option("--host", help="Address to listen on; keep 127.0.0.1 unless others must reach it.")] = "127.0.0.1",
    open_page: Annotated[bool, typer.Option("--open", help="Open the page in the default web browser.")] = False,
    glossary: Annotated[
        Optional[Path],
        typer.Option("--glossary", "-g", help="Glossary TSV the page adds to (g); default: the one the JSON was translated with, else glossary/entities.tsv."),
    ] = None,
) -> None:
    """Review pairs in a local web page: approve, reject, edit, split, merge, undo, add names to the glossary."""
    from mt.review import ReviewServer

    server = ReviewServer(file, host=host, port=port, glossary=glossary)
    adds = f"; adding to {server.glossary}" if server.glossary else ""
    typer.echo(f"reviewing {file} ({server.pair_count} pairs) at {server.url}{adds} (Ctrl+C stops)")
    if open_page:
        import webbrowser

        try:
            opened = webbrowser.open(server.url)
        except webbrowser.Error:
            opened = False
        if not opened:
            typer.echo(f"warning: no web browser found here; open {server.url} in one", err=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        typer.echo("stopped", err=True)
    finally:
        server.close()


@app.command()
@handle_errors
def export(
    file: Annotated[Path, typer.Argument(help="A reviewed pairs JSON file.")],
    tmx: Annotated[Optional[Path], typer.Option("--tmx", help="The TMX file to write.")] = None,
    xliff: Annotated[
        Optional[Path], typer.Option("--xliff", help="The XLIFF 1.2 file to write, for a CAT tool (mt import-review reads it back).")
    ] = None,
    approved_only: Annotated[bool, typer.Option("--approved-only", help="Export only the approved pairs.")] = False,
    all_units: AllUnitsOption = False,
) -> None:
    """Write the reviewed pairs (edits applied, rejected pairs left out) as TMX or XLIFF."""
    if (tmx is None) == (xliff is None):
        raise typer.BadParameter("give one of --tmx and --xliff", param_hint="'--tmx'")
    if xliff is not None:
        from mt.review import export_xliff

        count = export_xliff(file, xliff, approved_only=approved_only)
        typer.echo(f"wrote {count} pairs to {xliff} (XLIFF 1.2)")
        return
    from mt.review import export_tmx

    summary = export_tmx(file, tmx, approved_only=approved_only, all_units=all_units)
    typer.echo(f"wrote {summary.written} pairs to {tmx} (left out: {summary.describe()})")


@app.command("import-review")
@handle_errors
def import_review_command(
    xliff: Annotated[Path, typer.Argument(help="An XLIFF file written by mt export --xliff and edited in a CAT tool.")],
    file: Annotated[Path, typer.Argument(help="The pairs JSON it was exported from.")],
) -> None:
    """Apply a CAT tool's edits and approvals from an XLIFF back into the pairs JSON."""
    from mt.review import import_review

    summary = import_review(xliff, file)
    typer.echo(f"{file}: {summary.edited} edited, {summary.approved} approved ({summary.unknown} units without a pair)")


def main() -> None:
    app()


if __name__ == "__main__":
    main()
