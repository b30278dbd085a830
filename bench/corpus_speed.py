"""Corpus throughput: the per-article loop, scheduling across articles, Ray.

    python bench/corpus_speed.py [--articles 100] [--glossary] [--workers 2]

Corpus (written to a temporary directory, never into the project): the five
seed articles, the Arabic of the 62 NTREX-128 dev documents (one article per
document, its lines as paragraphs) and, to reach ``--articles``, the news
documents of UD-PUD (sentences grouped by document id), all from
``../shared``.  Model: MarianMT with random weights at the real
opus-mt-ar-en shape (``bench/translate_speed.py``), CTranslate2 int8, beam
4; random weights seldom write ``</s>``, so each sentence runs to its output
limit (a function of its own length bucket, as in ``mt translate``).

Three configurations, each in a fresh process, all in one invocation:

(a) ``per-article``: ``translate_files(window_segments=1)``, today's loop;
(b) ``cross-article``: ``translate_files`` (windows of 2,000 segments);
(c) ``ray 2x1``: ``translate_files_ray``, a local Ray, two workers of one
    thread each; its time includes starting Ray and loading the model in
    each worker.

Each prints segments/s (wall clock), segments per CPU second (all the
run's processes, sampled; what a machine shared with other jobs still
measures fairly), the driver's peak RSS (VmHWM) and the peak of the
summed RSS of all the run's processes (sampled every 0.2 s; Ray's workers
and its own services included).  The outputs of the three are compared
(JSON and TMX, creation time aside).  No translation memory, so every
configuration decodes every segment.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
SHARED = ROOT.parent / "shared" / "data"

CONFIGS = [
    {"name": "(a) per-article loop", "engine": "local", "window": 1},
    {"name": "(b) cross-article", "engine": "local", "window": None},
    {"name": "(c) ray 2 workers x 1 thread", "engine": "ray", "workers": 2, "threads": 1},
]


def write_corpus(directory: Path, articles: int) -> list[Path]:
    """Seeds, NTREX dev documents, then UD-PUD news documents up to ``articles``."""
    paths = []
    for seed in sorted((ROOT / "seeds").glob("*.txt")):
        paths.append(directory / seed.name)
        paths[-1].write_text(seed.read_text(encoding="utf-8"), encoding="utf-8")
    ntrex = SHARED / "ntrex-dev" / "ntrex_dev_docs.jsonl"
    for line in ntrex.read_text(encoding="utf-8").splitlines():
        doc = json.loads(line)
        path = directory / f"ntrex_{re.sub(r'[^A-Za-z0-9_.-]', '_', str(doc['doc_id']))}.txt"
        path.write_text("\n".join(doc["ar_sentences"]) + "\n", encoding="utf-8")
        paths.append(path)
    ids = (SHARED / "ud-pud" / "pud.ids").read_text(encoding="utf-8").splitlines()
    arabic = (SHARED / "ud-pud" / "pud.ar").read_text(encoding="utf-8").splitlines()
    docs: dict[str, list[str]] = {}
    for sid, sentence in zip(ids, arabic):
        if sid.startswith("n"):
            docs.setdefault(sid[:6], []).append(sentence)
    for doc_id, sentences in docs.items():
        if len(paths) >= articles:
            break
        path = directory / f"pud_{doc_id}.txt"
        path.write_text("\n".join(sentences) + "\n", encoding="utf-8")
        paths.append(path)
    return paths[:articles]


def peak_rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def worker(spec: dict) -> dict:
    """Run one configuration in this process and return its figures."""
    from mt.glossary import Glossary
    from mt.translate import (
        BackendSpec,
        DecodeOptions,
        RayOptions,
        RunSettings,
        load_articles,
        load_backend,
        translate_files,
        translate_files_ray,
    )

    articles = load_articles([Path(p) for p in spec["inputs"]])
    backend = load_backend(spec["model"], "ctranslate2")
    glossary = Glossary.load(ROOT / "glossary" / "entities.tsv") if spec["glossary"] else None
    settings = RunSettings(model=spec["model"], backend=backend, options=DecodeOptions(beam=4), glossary=glossary)
    backend.translate([["▁a"]], beam=4, max_length=8)  # warm-up
    out = Path(spec["out"])
    start = time.perf_counter()
    if spec["engine"] == "local":
        window = spec["window"]
        reports = translate_files(articles, out, settings, **({"window_segments": window} if window else {}))
    else:
        options = RayOptions(workers=spec["workers"], threads_per_worker=spec["threads"])
        reports = translate_files_ray(articles, out, settings, BackendSpec(spec["model"], "ctranslate2"), ray_options=options)
    seconds = time.perf_counter() - start
    segments = sum(r.segments for r in reports)
    return {
        "name": spec["name"],
        "articles": len(reports),
        "segments": segments,
        "seconds": seconds,
        "segments_per_s": segments / seconds,
        "driver_peak_rss_mb": peak_rss_mb(),
    }


def _sample_session(pid: int, cpu: dict[int, float]) -> float:
    """Summed RSS (MB) of the processes in the session led by ``pid``; each
    one's CPU seconds so far go into ``cpu``."""
    import psutil

    total = 0
    for proc in psutil.process_iter(["pid"]):
        try:
            if proc.pid == pid or os.getsid(proc.pid) == pid:
                total += proc.memory_info().rss
                times = proc.cpu_times()
                cpu[proc.pid] = times.user + times.system
        except (psutil.Error, ProcessLookupError, PermissionError):
            continue
    return total / 1024 / 1024


def run(spec: dict) -> dict:
    proc = subprocess.Popen(
        [sys.executable, __file__, "--worker", json.dumps(spec)],
        stdout=subprocess.PIPE, text=True, start_new_session=True,
    )
    peak = [0.0]
    cpu: dict[int, float] = {}

    def sample():
        while proc.poll() is None:
            peak[0] = max(peak[0], _sample_session(proc.pid, cpu))
            time.sleep(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    stdout, _ = proc.communicate()
    sampler.join()
    if proc.returncode != 0:
        sys.exit(f"{spec['name']} failed (exit {proc.returncode})")
    result = json.loads(stdout.strip().splitlines()[-1])
    result["all_processes_peak_rss_mb"] = peak[0]
    # CPU seconds of the whole run (model loading and Ray's start included);
    # segments per CPU second do not depend on what else the machine runs.
    result["cpu_seconds"] = sum(cpu.values())
    result["segments_per_cpu_s"] = result["segments"] / result["cpu_seconds"]
    return result


def _comparable(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    return re.sub(r'"created": "[^"]*"|creationdate="[^"]*"|&quot;created&quot;: &quot;[^&]*&quot;', "", text)


def _differences(outs: list[Path], names: list[str]) -> list[str]:
    """Which files, and which of their pairs, differ from the first configuration's."""
    from mt.formats import read_json

    lines = []
    for out, name in zip(outs[1:], names[1:]):
        for path in sorted(outs[0].iterdir()):
            if path.suffix in (".json", ".tmx") and _comparable(out / path.name) != _comparable(path):
                if path.suffix == ".json":
                    a, b = read_json(path), read_json(out / path.name)
                    pairs = [x.id for x, y in zip(a.pairs, b.pairs) if x != y]
                    meta = sorted(k for k in a.meta if k != "created" and a.meta.get(k) != b.meta.get(k))
                    lines.append(f"{name} vs {names[0]}: {path.name}: pairs {pairs}, meta {meta}")
                else:
                    lines.append(f"{name} vs {names[0]}: {path.name}")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100)
    parser.add_argument("--glossary", action="store_true", help="enforce the house glossary (every term forced)")
    parser.add_argument("--only", help="comma-separated letters of the configurations to run (default a,b,c)")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(json.loads(args.worker))))
        return
    from translate_speed import build_models

    _, ct2 = build_models()
    chosen = [c for c in CONFIGS if not args.only or c["name"][1] in args.only.split(",")]
    with tempfile.TemporaryDirectory(prefix="corpus-speed-") as tmp:
        corpus = Path(tmp) / "corpus"
        corpus.mkdir()
        inputs = write_corpus(corpus, args.articles)
        results = []
        for n, config in enumerate(chosen):
            spec = {**config, "inputs": [str(p) for p in inputs], "model": str(ct2), "glossary": args.glossary,
                    "out": str(Path(tmp) / f"out{n}")}
            result = run(spec)
            results.append(result)
            print(json.dumps(result), flush=True)
        outs = [Path(tmp) / f"out{n}" for n in range(len(chosen))]
        differ = _differences(outs, [c["name"][:3] for c in chosen])
        same = not differ
    print()
    print(f"{results[0]['articles']} articles, {results[0]['segments']} segments; ctranslate2 int8 beam 4, random weights "
          f"at the opus-mt-ar-en shape{', house glossary' if args.glossary else ''}")
    print("| configuration | segments/s | time | segments per CPU s | driver peak RSS | all processes peak RSS | vs (a) |")
    print("|---|---|---|---|---|---|---|")
    base = results[0]["segments_per_s"]
    for r in results:
        print(f"| {r['name']} | {r['segments_per_s']:.2f} | {r['seconds']:.1f} s | {r['segments_per_cpu_s']:.2f} | "
              f"{r['driver_peak_rss_mb']:.0f} MB | "
              f"{r['all_processes_peak_rss_mb']:.0f} MB | {r['segments_per_s'] / base:.2f}x |")
    print(f"outputs identical across configurations (creation time aside): {'yes' if same else 'NO'}")
    for line in differ:
        print(f"  {line}")


if __name__ == "__main__":
    main()
