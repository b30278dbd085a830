"""Many machines: ``mt translate --engine ray`` on Ray Data.

The driver (this process) holds the output directory's lock, lists the
articles that are not up to date (``plan_articles``: resume) and hands them
to an actor pool (``map_batches`` with ``compute=ActorPoolStrategy``).  Each
actor loads the backend and the glossary once, with CTranslate2's threads set
to its CPUs (``OMP_NUM_THREADS``, which CTranslate2 follows when it is not
told ``intra_threads``), and translates its batch of articles with the same
code as local mode (``corpus.translate_window``): it writes each article's
JSON and TMX atomically into the output directory (shared storage on a real
cluster) and returns one small manifest row per article.  The driver shows
the progress and the summary from those rows.

Translation memory: one actor on the driver's machine owns the SQLite file
(a single writer, never SQLite over a network file system); workers look
their sentences up in it and commit each batch of new ones to it as soon as
it is translated, exactly as local mode does, so a rerun reuses every
finished sentence and a killed worker loses only its batch in flight.
(Chosen over sending each batch the memory's answers and committing what
workers return: the driver would have to split and key sentences as the
engine does, and a killed worker would lose its whole batch.)  An article's
stats count as memory hits what the memory held when its batch started and
what an article before it in that batch translated; a sentence shared by two
articles that two workers translate at once is translated by both.

A worker killed mid-batch is restarted and its batch retried (Ray Data's
actor defaults, ``max_restarts=-1``, ``max_task_retries=-1``); the retry
rewrites the same files.  Ray is imported only here, and only when used.
"""

from __future__ import annotations

import contextlib
import json
import logging
import math
import os
import socket
import time
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from ..errors import DependencyError, MTError
from ..formats import TmxSummary
from ..text import Article, ensure_dir, split_sentences
from .articles import ArticleReport, Progress, RunReports, RunSettings, lock_output, plan_articles, prepare_article
from .corpus import WINDOW_SEGMENTS, translate_window
from .memory import Stored, TranslationMemory
from .reviewed import Carried

RAY_EXTRA = "pip install 'mt-glossary[ray]'"
# A local Ray's shared object store: articles and manifest rows are small.
LOCAL_OBJECT_STORE = 256 * 1024 * 1024
CONNECT_TIMEOUT = 5.0  # seconds for a cluster address to answer
ATTEMPTS = 3  # runs of the pool over the articles not done, when workers die

log = logging.getLogger(__name__)


class ClusterError(MTError):
    """A Ray cluster cannot be started, reached or used."""


@dataclass(frozen=True)
class RayOptions:
    """Where and how wide to run: ``address`` ``None`` starts a Ray of its
    own on this machine (one CPU more than the workers take, so Ray Data's
    own tasks are never starved), ``auto`` joins the cluster this machine
    belongs to, ``HOST:PORT`` the one whose head is there."""

    address: str | None = None
    workers: int = 2
    threads_per_worker: int = 1


@dataclass(frozen=True)
class BackendSpec:
    """How each worker loads the backend (``load_backend`` arguments)."""

    model: str
    backend: str = "auto"
    compute_type: str | None = None


def import_ray():
    """``ray`` and ``ray.data``, or one line naming the extra to install."""
    try:
        import ray
        import ray.data
    except ImportError:
        raise DependencyError(f"--engine ray needs Ray Data, which is not installed: {RAY_EXTRA}") from None
    return ray


def translate_files_ray(
    articles: Sequence[Article],
    out_dir: Path | str,
    settings: RunSettings,
    spec: BackendSpec,
    *,
    memory: TranslationMemory | None = None,
    force: bool = False,
    progress: Progress | None = None,
    ray_options: RayOptions = RayOptions(),
) -> list[ArticleReport]:
    """``translate_files`` on a Ray cluster: the same outputs and reports.

    ``settings`` is the driver's (its backend decides what is up to date);
    each worker loads its own backend from ``spec`` and refuses to run when
    it is not the same model.  ``memory``'s file is used by one actor on
    this machine; its ``hits`` and ``misses`` are set from the workers'.
    """
    ray = import_ray()
    out = ensure_dir(out_dir)
    settings = replace(settings, force=force)
    progress = progress or Progress()
    reports = RunReports(progress)
    with lock_output(out):
        pending = []
        for item in plan_articles(articles, out, settings, force):
            if isinstance(item, ArticleReport):
                reports.record(item)
            else:
                pending.append(item)
        if pending:
            with _cluster(ray, ray_options):
                _run(ray, pending, out, settings, spec, memory, progress, ray_options, reports.record)
    return reports.in_order(articles)


def _run(ray, pending, out, settings, spec, memory, progress, ray_options, record) -> None:
    """Run the pool over ``pending``; when a worker dies (killed, out of
    memory, its machine gone), run it again over the articles not yet done,
    up to ``ATTEMPTS`` times in all, then fail with one line."""
    from ray.util.scheduling_strategies import NodeAffinitySchedulingStrategy

    segments = {article.doc: len(split_sentences(article.text, article.doc)) for article, _ in pending}
    progress.start_window(list(segments), sum(segments.values()))
    keeper = None
    if memory is not None:
        here = NodeAffinitySchedulingStrategy(ray.get_runtime_context().get_node_id(), soft=False)
        keeper = ray.remote(num_cpus=0, scheduling_strategy=here)(_MemoryKeeper).remote(
            str(memory.path) if memory.path else None
        )
    context = ray.data.DataContext.get_current()
    context.enable_progress_bars = False
    context.print_on_execution_start = False
    done: set[str] = set()
    for attempt in range(1, ATTEMPTS + 1):
        left = [(article, why) for article, why in pending if article.doc not in done]
        try:
            for row in _pool(ray, left, [segments[a.doc] for a, _ in left], out, settings, spec, keeper, ray_options):
                report = _report(row)
                done.add(report.doc)
                progress.advance(report.segments)
                record(report)
            break
        except Exception as err:  # noqa: BLE001 - Ray wraps a worker's error in its own types
            own = _own_error(err)
            if own is not None:
                raise ClusterError(own) from None
            if attempt == ATTEMPTS:
                text = str(err).strip().splitlines()
                raise ClusterError(
                    f"the Ray run failed {ATTEMPTS} times, last with {type(err).__name__}: {text[-1] if text else ''}; "
                    f"the {len(done)} articles done are written, and a rerun translates the others"
                ) from None
            log.warning("a Ray worker failed (%s); running the articles not done again", type(err).__name__)
    if keeper is not None:
        memory.hits, memory.misses = ray.get(keeper.counts.remote())


def _pool(ray, left, segments, out, settings, spec, keeper, ray_options):
    """The manifest rows of one run of the actor pool over ``left``."""
    rows = [{"doc": a.doc, "path": str(a.path), "text": a.text, "redone": why or ""} for a, why in left]
    per_batch = _articles_per_batch(segments, ray_options.workers)
    dataset = ray.data.from_items(rows, override_num_blocks=max(1, math.ceil(len(rows) / per_batch)))
    with warnings.catch_warnings():
        # ``max_restarts`` has no named parameter in Ray 2.60–2.63 (pyproject caps Ray below 2.64).
        warnings.filterwarnings("ignore", message="`ray_remote_args` is deprecated")
        translated = _map(ray, dataset, per_batch, out, settings, spec, keeper, ray_options)
    yield from translated.iter_rows()


def _map(ray, dataset, per_batch, out, settings, spec, keeper, ray_options):
    return dataset.map_batches(
        _Translator,
        batch_size=per_batch,
        batch_format="pandas",
        compute=ray.data.ActorPoolStrategy(size=ray_options.workers),
        num_cpus=ray_options.threads_per_worker,
        # A dead worker fails the run, which ``_run`` starts again over what
        # is left (Ray's own restart would keep the pool's arguments pinned).
        max_restarts=0,
        fn_constructor_kwargs={
            "out": str(out),
            "settings": replace(settings, backend=None),
            "spec": spec,
            "identity": settings.backend.identity,
            "threads": ray_options.threads_per_worker,
            "keeper": keeper,
        },
    )


def _articles_per_batch(segments: Sequence[int], workers: int) -> int:
    """Articles per worker batch: about two batches per worker, so the work
    spreads evenly, and at most ``WINDOW_SEGMENTS`` segments per batch."""
    mean = max(1.0, sum(segments) / len(segments))
    even = math.ceil(len(segments) / (2 * workers))
    return max(1, min(even, int(WINDOW_SEGMENTS / mean)))


def _own_error(err: BaseException) -> str | None:
    """The project's own message when a worker raised one (a bad model on
    one machine, an output it cannot write), else ``None``."""
    seen = set()
    cause = err
    while cause is not None and id(cause) not in seen:
        seen.add(id(cause))
        if isinstance(cause, MTError):
            return str(cause)
        inner = getattr(cause, "cause", None)
        cause = inner if isinstance(inner, BaseException) else cause.__cause__
    return None


def _report(row: Mapping) -> ArticleReport:
    tmx = json.loads(row["tmx"])
    return ArticleReport(
        doc=row["doc"],
        segments=int(row["segments"]),
        redone=row["redone"] or None,
        stats=json.loads(row["stats"]),
        tmx=TmxSummary(**tmx) if tmx is not None else None,
        review=Carried(**json.loads(row["review"])),
    )


@contextlib.contextmanager
def _cluster(ray, options: RayOptions):
    """Ray started or joined for the run, and shut down after it (unless
    this process had joined one already)."""
    if ray.is_initialized():
        yield
        return
    if options.address not in (None, "auto", "local"):
        _check_answers(options.address)
    kwargs = {"include_dashboard": False, "logging_level": logging.ERROR, "log_to_driver": False}
    if options.address in (None, "local"):
        # A Ray of its own, never a cluster named by a stale
        # /tmp/ray/ray_current_cluster; one CPU more than the workers take.
        kwargs.update(
            address="local",
            num_cpus=options.workers * options.threads_per_worker + 1,
            object_store_memory=LOCAL_OBJECT_STORE,
        )
    else:
        kwargs["address"] = options.address
    _quiet()
    try:
        ray.init(**kwargs)
    except Exception as err:  # noqa: BLE001 - ray.init raises many types (ConnectionError, RuntimeError, …)
        first = (str(err).strip().splitlines() or [""])[0][:200]
        where = "start a local Ray" if kwargs["address"] == "local" else f"join the Ray cluster at {options.address}"
        raise ClusterError(f"cannot {where} ({type(err).__name__}: {first})") from None
    _quiet()
    try:
        yield
    finally:
        ray.shutdown()


def _quiet() -> None:
    """Keep Ray's own notices (token authentication, progress bars off,
    execution finished) off the user's stderr: the run says what it does,
    and a failure is one line."""
    for name in ("ray", "ray.data"):  # a failure is ours to report, in one line
        logging.getLogger(name).setLevel(logging.CRITICAL)


def _check_answers(address: str) -> None:
    """A ``HOST:PORT`` that does not answer is one line, not a hang."""
    host, _, port = address.rpartition(":")
    if not host or not port.isdigit():
        raise ClusterError(f"--address {address}: expected auto or HOST:PORT (the head's GCS port, 6379 by default)")
    try:
        socket.create_connection((host.strip("[]"), int(port)), timeout=CONNECT_TIMEOUT).close()
    except OSError as err:
        raise ClusterError(
            f"--address {address}: no Ray cluster answers there ({err.strerror or err}); "
            f"start one with `ray start --head` or check the address"
        ) from None


class _MemoryKeeper:
    """The translation memory, in one actor on the driver's machine."""

    def __init__(self, path: str | None):
        self.memory = TranslationMemory(path)

    def lookup(self, keys: list[str]) -> dict[str, Stored]:
        return self.memory.lookup(keys)

    def store(self, items: dict[str, tuple[str, Stored]]) -> None:
        self.memory.store(items)

    def counts(self) -> tuple[int, int]:
        return self.memory.hits, self.memory.misses


class RemoteMemory:
    """What the engine needs of a ``TranslationMemory``, on the keeper actor."""

    def __init__(self, keeper):
        import ray

        self._ray, self.keeper = ray, keeper
        self.hits = self.misses = 0

    def lookup(self, keys) -> dict[str, Stored]:
        keys = list(dict.fromkeys(keys))
        found = self._ray.get(self.keeper.lookup.remote(keys))
        self.hits += len(found)
        self.misses += len(keys) - len(found)
        return found

    def store(self, items: Mapping[str, tuple[str, Stored]]) -> None:
        self._ray.get(self.keeper.store.remote(dict(items)))


class _Translator:
    """One worker of the pool: the backend and glossary loaded once, then a
    batch of articles at a time through ``corpus.translate_window``."""

    def __init__(self, out: str, settings: RunSettings, spec: BackendSpec, identity: str, threads: int, keeper):
        os.environ["OMP_NUM_THREADS"] = str(threads)  # CTranslate2's intra_threads, before it is loaded
        from .backends import load_backend

        backend = load_backend(spec.model, spec.backend, compute_type=spec.compute_type)
        if backend.identity != identity:
            raise ClusterError(
                f"{spec.model}: on {socket.gethostname()} is not the model the driver has "
                f"({backend.identity} vs {identity}); every machine needs the same model files, "
                f"compute type and CPU ISA (CT2_FORCE_CPU_ISA sets one)"
            )
        self.out = Path(out)
        self.settings = replace(settings, backend=backend)
        self.memory = RemoteMemory(keeper) if keeper is not None else None

    def __call__(self, batch):
        start = time.perf_counter()
        jobs = [
            prepare_article(Article(path=Path(path), doc=doc, text=text), self.settings, redone=redone or None)
            for doc, path, text, redone in zip(batch["doc"], batch["path"], batch["text"], batch["redone"])
        ]
        done: list[tuple[ArticleReport, float]] = []
        translate_window(
            jobs, self.out, self.settings, memory=self.memory,
            on_report=lambda report: done.append((report, time.perf_counter() - start)),
        )
        import pandas as pd

        return pd.DataFrame(
            {
                "doc": [r.doc for r, _ in done],
                "segments": [r.segments for r, _ in done],
                "redone": [r.redone or "" for r, _ in done],
                "terms": [json.dumps(r.stats["terms"]) for r, _ in done],
                "stats": [json.dumps(r.stats) for r, _ in done],
                "tmx": [json.dumps(None if r.tmx is None else asdict(r.tmx)) for r, _ in done],
                "review": [json.dumps(asdict(r.review)) for r, _ in done],
                "seconds": [seconds for _, seconds in done],
            }
        )
