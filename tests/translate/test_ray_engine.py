"""``mt translate --engine ray``: the same outputs as local mode, resume
after SIGKILL, a killed worker, the output lock, and one line for a Ray that
is missing, fails to start or does not answer.

Runs that start Ray are subprocesses with a timeout (no hang can stall the
suite); each starts a Ray of its own (``address="local"``, 3 CPUs: two
workers of one thread and one free) and shuts it down.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli import app
from mt.formats import read_json

from ..conftest import HOUSE, ROOT, assert_one_line_error

runner = CliRunner()
RUN_TIMEOUT = 300  # seconds for one run, Ray's start included
needs_ray = pytest.mark.skipif(
    subprocess.run([sys.executable, "-c", "import ray.data"], check=False, capture_output=True).returncode != 0,
    reason="Ray Data is not installed (pip install 'mt-glossary[ray]')",
)


def _command(out: Path, model: Path, *extra: str) -> list[str]:
    return [
        sys.executable, str(ROOT / "cli.py"), "translate", str(ROOT / "seeds"), "--out", str(out), "--model", str(model),
        "--glossary", str(HOUSE), "--beam", "4", *extra,
    ]


def _env() -> dict:
    return {**os.environ, "PYTHONPATH": str(ROOT)}


def _comparable(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    return re.sub(r'"created": "[^"]*"|creationdate="[^"]*"|&quot;created&quot;: &quot;[^&]*&quot;', "", text)


def _same_translations(path: Path, reference: Path) -> bool:
    """Pairs and settings equal: what a rerun must restore (its stats say
    which sentences came from memory, so they may differ)."""
    a, b = read_json(path), read_json(reference)
    drop = ("created", "stats")
    return a.pairs == b.pairs and {k: v for k, v in a.meta.items() if k not in drop} == {
        k: v for k, v in b.meta.items() if k not in drop
    }


def _session(pid: int) -> list[int]:
    """The processes of the session ``pid`` leads (the run and Ray's)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if os.getsid(int(entry.name)) == pid:
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


def _workers(pid: int) -> list[int]:
    """The pool's busy actors in the session (Ray names them in the process title)."""
    busy = []
    for proc in _session(pid):
        try:
            title = Path(f"/proc/{proc}/cmdline").read_bytes().decode(errors="replace")
        except OSError:
            continue
        if "_Translator" in title and ".submit" in title:
            busy.append(proc)
    return busy


def _kill_session(pid: int) -> None:
    for _ in range(50):
        left = _session(pid)
        if not left:
            return
        for proc in left:
            try:
                os.kill(proc, signal.SIGKILL)
            except OSError:
                pass
        time.sleep(0.2)


@pytest.fixture(scope="module")
def reference(tiny_ct2_int8, tmp_path_factory) -> Path:
    """The seeds translated in local mode (the default engine)."""
    out = tmp_path_factory.mktemp("local") / "out"
    subprocess.run(_command(out, tiny_ct2_int8), check=True, capture_output=True, env=_env(), timeout=RUN_TIMEOUT)
    return out


@pytest.mark.slow
@needs_ray
def test_local_and_ray_give_byte_identical_json_and_tmx(reference, tiny_ct2_int8, tmp_path):
    out = tmp_path / "ray"
    done = subprocess.run(
        _command(out, tiny_ct2_int8, "--engine", "ray", "--workers", "2", "--threads-per-worker", "1"),
        check=False, capture_output=True, text=True, env=_env(), timeout=RUN_TIMEOUT,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""  # nothing of Ray's own chatter
    lines = done.stdout.strip().splitlines()
    assert lines[-1].startswith("5 translated (5 new, 0 redone), 0 up to date") and "0 missing" in lines[-1]
    assert len(lines) == 6  # one line per article, as in local mode
    names = sorted(p.name for p in reference.iterdir() if p.suffix in (".json", ".tmx"))
    assert sorted(p.name for p in out.iterdir() if p.suffix in (".json", ".tmx")) == names
    for name in names:
        assert _comparable(out / name) == _comparable(reference / name), name
    # a rerun finds everything up to date
    again = subprocess.run(_command(out, tiny_ct2_int8, "--engine", "ray"), check=False, capture_output=True, text=True, env=_env(), timeout=RUN_TIMEOUT)
    assert again.returncode == 0 and again.stdout.count(": up to date, skipped") == 5


@pytest.mark.slow
@needs_ray
def test_ray_run_killed_then_rerun_gives_the_same_outputs(reference, tiny_ct2_int8, tmp_path):
    """SIGKILL the driver and every Ray process of the run once an article
    is written; the rerun reuses the memory and writes what was missing."""
    out = tmp_path / "killed"
    proc = subprocess.Popen(
        _command(out, tiny_ct2_int8, "--engine", "ray"), env=_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + RUN_TIMEOUT
    try:
        while proc.poll() is None and not list(out.glob("*.tmx")) and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        _kill_session(proc.pid)
        proc.wait()
    assert proc.returncode == -9, "the run finished before it could be killed"
    written = sorted(p.name for p in out.glob("*.json"))
    assert 1 <= len(written) < 5
    # What the memory held when the run died, of the articles not written:
    # how much of it there is depends on timing, but all of it is reused.
    with sqlite3.connect(out / ".mt-memory.sqlite") as db:
        remembered = {row[0] for row in db.execute("SELECT source FROM segments")}
    unwritten = {pair.source for path in reference.glob("*.json") if path.name not in written for pair in read_json(path).pairs}
    rerun = subprocess.run(_command(out, tiny_ct2_int8, "--engine", "ray"), check=False, capture_output=True, text=True, env=_env(), timeout=RUN_TIMEOUT)
    assert rerun.returncode == 0, rerun.stderr
    summary = rerun.stdout.strip().splitlines()[-1]
    assert f"{len(written)} up to date" in summary
    hits = int(summary.split("memory: ")[1].split(" hits")[0])
    assert (hits > 0) == bool(remembered & unwritten), (hits, len(remembered & unwritten))
    for path in reference.glob("*.json"):
        assert _same_translations(out / path.name, path), path.name
        assert (out / f"{path.stem}.tmx").is_file()
    assert not list(out.glob(".*.tmp"))


@pytest.mark.slow
@needs_ray
def test_a_worker_killed_mid_batch_is_run_again(reference, tiny_ct2_int8, tmp_path):
    """SIGKILL one busy worker: the run starts the pool again over the
    articles not done and finishes with the same outputs, none lost."""
    out = tmp_path / "worker"
    proc = subprocess.Popen(
        _command(out, tiny_ct2_int8, "--engine", "ray"), env=_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True, start_new_session=True,
    )
    try:
        deadline = time.monotonic() + RUN_TIMEOUT
        while proc.poll() is None and not _workers(proc.pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        busy = _workers(proc.pid)
        assert busy, "no busy worker to kill"
        os.kill(busy[0], signal.SIGKILL)
        stdout, stderr = proc.communicate(timeout=RUN_TIMEOUT)
    finally:
        _kill_session(proc.pid)
    assert proc.returncode == 0, stderr
    assert stderr.strip().splitlines() == ["warning: a Ray worker failed (ActorDiedError); running the articles not done again"]
    assert stdout.strip().splitlines()[-1].startswith("5 translated")
    for path in reference.glob("*.json"):
        assert _same_translations(out / path.name, path), path.name
    assert not list(out.glob(".*.tmp"))


@pytest.mark.slow
@needs_ray
def test_a_second_run_into_the_same_out_is_refused_in_ray_mode(tiny_ct2_int8, seed_paths, tmp_path):
    """Refused at once, before Ray starts, and nothing written."""
    import filelock

    out = tmp_path / "out"
    out.mkdir()
    args = ["translate", str(seed_paths[4]), "--out", str(out), "--model", str(tiny_ct2_int8), "--engine", "ray"]
    with filelock.FileLock(str(out / ".mt-translate.lock")):
        result = runner.invoke(app, args)
    assert_one_line_error(result, f"{out}: another mt translate is writing into it")
    assert not (out / f"{seed_paths[4].stem}.json").exists()


@needs_ray
def test_an_address_that_does_not_answer_is_one_line(tiny_ct2_int8, seed_paths, tmp_path):
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    args = ["translate", str(seed_paths[4]), "--out", str(tmp_path / "o"), "--model", str(tiny_ct2_int8), "--engine", "ray",
            "--address", f"127.0.0.1:{port}"]
    start = time.monotonic()
    result = runner.invoke(app, args)
    assert_one_line_error(result, f"--address 127.0.0.1:{port}: no Ray cluster answers there")
    assert time.monotonic() - start < 30
    assert not list((tmp_path / "o").glob("*.json"))


@needs_ray
def test_a_ray_that_fails_to_start_is_one_line(tiny_ct2_int8, seed_paths, tmp_path, monkeypatch):
    import ray

    def broken_init(**kwargs):
        raise RuntimeError("Failed to start the GCS server.\nmore detail")

    monkeypatch.setattr(ray, "init", broken_init)
    args = ["translate", str(seed_paths[4]), "--out", str(tmp_path / "o"), "--model", str(tiny_ct2_int8), "--engine", "ray"]
    line = assert_one_line_error(runner.invoke(app, args), "cannot start a local Ray (RuntimeError: Failed to start the GCS server.)")
    assert "more detail" not in line


def test_without_ray_installed_one_line_names_the_extra(seed_paths, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "ray", None)  # import ray raises ImportError
    result = runner.invoke(app, ["translate", str(seed_paths[4]), "--out", str(tmp_path / "o"), "--engine", "ray"])
    assert_one_line_error(result, "--engine ray needs Ray Data, which is not installed: pip install 'mt-glossary[ray]'")
    assert not (tmp_path / "o").exists()


@pytest.mark.parametrize("option", [["--address", "auto"], ["--workers", "4"], ["--threads-per-worker", "2"]])
def test_ray_options_need_engine_ray(option, seed_paths, tmp_path):
    result = runner.invoke(app, ["translate", str(seed_paths[4]), "--out", str(tmp_path / "o"), *option])
    assert_one_line_error(result, f"{option[0]} needs --engine ray", code=2)
