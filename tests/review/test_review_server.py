"""The review server over real HTTP: the API, and every refusal leaving the file as it was."""

from __future__ import annotations

import http.client
import json
import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import filelock
import pytest

from mt.errors import FormatError, InputError, OutputError
from mt.formats import read_json, write_json
from mt.review import approve, review_version
from mt.review.server import MAX_BODY, ReviewServer, host_allowed, origin_allowed
from mt.types import Pair, PairDocument, TermHit

ASSAD_TERMS = (TermHit("الأسد", 4, 9, "Bashar al-Assad", "بشار الأسد", "missing"),)


@pytest.fixture()
def pairs_file(tmp_path) -> Path:
    path = tmp_path / "doc.json"
    doc = PairDocument(
        {"doc": "doc", "source_file": "doc.txt", "kind": "translation"},
        (
            Pair("0", "قال الأسد", "Assad said", 0, 9, ASSAD_TERMS),
            Pair("1", "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", 10, 35),
            Pair("2", "سطر ثالث", "third line", 36, 44),
        ),
    )
    write_json(doc, path)
    return path


@pytest.fixture()
def server(pairs_file):
    with ReviewServer(pairs_file) as running:
        yield running


def request(server, method, path, body=None, headers=None, raw: bytes | None = None):
    """Send one request; returns (status, headers, decoded JSON or text)."""
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    hdrs = {"Host": f"127.0.0.1:{server.port}"}
    data = raw
    if body is not None:
        data = json.dumps(body).encode("utf-8")
        hdrs["Content-Type"] = "application/json"
    hdrs.update(headers or {})
    conn.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
    for name, value in hdrs.items():
        if value is not None:
            conn.putheader(name, value)
    if data is not None and "Content-Length" not in hdrs:
        conn.putheader("Content-Length", str(len(data)))
    conn.endheaders(data)
    res = conn.getresponse()
    payload = res.read()
    conn.close()
    kind = res.getheader("Content-Type", "")
    return res.status, res, json.loads(payload) if kind.startswith("application/json") else payload


def act(server, **body):
    return request(server, "POST", "/api/action", body)


# ---- the API -------------------------------------------------------------


def test_page_and_static_files(server):
    status, res, page = request(server, "GET", "/")
    assert status == 200 and res.getheader("Content-Type") == "text/html; charset=utf-8"
    assert b'<script src="/review.js"' in page and b"<script>" not in page  # no inline script
    csp = res.getheader("Content-Security-Policy")
    assert "default-src 'self'" in csp and "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert res.getheader("X-Content-Type-Options") == "nosniff"
    for path, kind in (("/review.js", "text/javascript"), ("/review.css", "text/css")):
        status, res, body = request(server, "GET", path)
        assert status == 200 and res.getheader("Content-Type").startswith(kind) and body
    js = request(server, "GET", "/review.js")[2].decode()
    assert "innerHTML" not in js and "insertAdjacentHTML" not in js and "eval(" not in js


@pytest.mark.parametrize("path", ["/../../etc/passwd", "/static/../server.py", "/index.html/..", "/api", "/%2e%2e/x"])
def test_other_paths_are_not_found(server, path):
    assert request(server, "GET", path)[0] == 404


def test_get_doc(server):
    status, res, state = request(server, "GET", "/api/doc")
    assert status == 200 and res.getheader("Cache-Control") == "no-store"
    assert state["version"] == 0 and state["undo"] is None and state["file"] == "doc.json"
    assert [p["id"] for p in state["pairs"]] == ["0", "1", "2"]
    assert state["pairs"][0]["flags"][0]["code"] == "missing-term"
    assert state["pairs"][0]["highlights"]["source"] == [[4, 9, "missing", "Bashar al-Assad", "بشار الأسد"]]
    assert state["pairs"][1]["source"] == "<script>alert(1)</script>"  # data, as it is; the page shows it as text
    assert state["counts"] == {"total": 3, "approved": 0, "rejected": 0, "edited": 0, "left": 3}


def test_actions_are_saved_in_the_file(server, pairs_file):
    status, _, state = act(server, action="approve", id="0", version=0)
    assert status == 200 and state["version"] == 1 and state["undo"] == "approve"
    assert read_json(pairs_file).pairs[0].status == "approved"
    status, _, state = act(server, action="edit", id="2", target="the third line", version=1)
    assert status == 200
    saved = read_json(pairs_file).pairs[2]
    assert (saved.target, saved.original_target) == ("the third line", "third line")
    status, _, state = act(server, action="split", id="2", source_offset=3, target_offset=4, version=2)
    assert [p["id"] for p in state["pairs"]] == ["0", "1", "2.1", "2.2"]
    status, _, state = act(server, action="merge", id="0", version=3)
    assert [p["id"] for p in state["pairs"]] == ["0+1", "2.1", "2.2"]
    assert [p.id for p in read_json(pairs_file).pairs] == ["0+1", "2.1", "2.2"]
    for version in (4, 5, 6):
        assert act(server, action="undo", version=version)[0] == 200
    assert [p.id for p in read_json(pairs_file).pairs] == ["0", "1", "2"]
    assert request(server, "GET", "/api/doc")[2]["version"] == 7


def test_an_action_that_changes_nothing_does_not_write(server, pairs_file):
    act(server, action="approve", id="0", version=0)
    before = pairs_file.stat().st_mtime_ns, pairs_file.read_bytes()
    status, _, state = act(server, action="approve", id="0", version=1)
    assert status == 200 and state["version"] == 1
    assert (pairs_file.stat().st_mtime_ns, pairs_file.read_bytes()) == before


def test_the_server_writes_only_its_file(server, pairs_file):
    act(server, action="approve", id="0", version=0)
    act(server, action="edit", id="1", target="fixed", version=1)
    assert sorted(p.name for p in pairs_file.parent.iterdir()) == ["doc.json", "doc.json.lock"]


def test_a_symlinked_file_is_saved_through_the_link(tmp_path, pairs_file):
    real = tmp_path / "real"
    real.mkdir()
    target = real / "doc.json"
    pairs_file.rename(target)
    link = tmp_path / "link.json"
    link.symlink_to(target)
    with ReviewServer(link) as running:
        assert running.path == target.resolve()
        status, _, state = act(running, action="approve", id="0", version=0)
        assert status == 200 and state["file"] == "link.json"
    assert link.is_symlink() and link.resolve() == target.resolve()
    assert read_json(target).pairs[0].status == "approved"
    assert (real / "doc.json.lock").exists() and not (tmp_path / "link.json.lock").exists()


# ---- two servers on one file ---------------------------------------------


def test_an_action_waits_for_the_lock_and_sees_the_other_write(server, pairs_file):
    """Another process saves while holding the lock: the waiting action then re-reads, finds it stale (409)."""
    answers = []
    with filelock.FileLock(f"{pairs_file}.lock"):
        worker = threading.Thread(target=lambda: answers.append(act(server, action="reject", id="1", version=0)))
        worker.start()
        time.sleep(0.5)
        assert worker.is_alive() and not answers  # waiting for the lock, nothing read yet
        write_json(approve(read_json(pairs_file), "0"), pairs_file)
    worker.join(10)
    ((status, _, body),) = answers
    assert status == 409 and "version 1, not 0" in body["error"]
    saved = read_json(pairs_file)
    assert saved.pairs[0].status == "approved" and saved.pairs[1].status == "unreviewed"


def test_two_servers_on_one_file_lose_no_update(pairs_file):
    """Every action answered 200 is in the file: the version counts them all (each edit changes the text)."""
    with ReviewServer(pairs_file) as first, ReviewServer(pairs_file) as second:

        def work(running, pair_id, name, rounds=12):
            done = 0
            for k in range(rounds):
                for _attempt in range(200):
                    version = request(running, "GET", "/api/doc")[2]["version"]
                    status = act(running, action="edit", id=pair_id, target=f"{name} {k}", version=version)[0]
                    if status == 200:
                        done += 1
                        break
                    assert status == 409
            return done

        with ThreadPoolExecutor(4) as pool:
            jobs = [
                pool.submit(work, running, pair_id, f"{n}/{pair_id}")
                for n, running in enumerate((first, second))
                for pair_id in ("0", "2")
            ]
            done = sum(job.result() for job in jobs)
    saved = read_json(pairs_file)
    assert done == 48 and review_version(saved) == done
    assert saved.pairs[0].target in ("0/0 11", "1/0 11") and saved.pairs[2].target in ("0/2 11", "1/2 11")


# ---- refusals: each leaves the file byte for byte as it was ---------------


def _refused(server, pairs_file, expected_status, *args, **kwargs):
    before = pairs_file.read_bytes()
    status, res, body = request(server, *args, **kwargs)
    assert status == expected_status, body
    assert pairs_file.read_bytes() == before
    assert res.getheader("X-Content-Type-Options") == "nosniff"
    return body


APPROVE = {"action": "approve", "id": "0", "version": 0}


@pytest.mark.parametrize(
    "host",
    ["evil.example:{port}", "127.0.0.1:1", "127.0.0.1", "localhost.evil.example:{port}", "user@127.0.0.1:{port}", "", None],
    ids=["other name", "other port", "no port", "suffix", "userinfo", "empty", "absent"],
)
def test_foreign_host_is_refused(server, pairs_file, host):
    headers = {"Host": host.format(port=server.port) if host is not None else None}
    _refused(server, pairs_file, 403, "POST", "/api/action", APPROVE, headers)
    _refused(server, pairs_file, 403, "GET", "/api/doc", headers=headers)


@pytest.mark.parametrize("host", ["localhost:{port}", "127.0.0.1:{port}", "LOCALHOST:{port}"])
def test_own_host_names_are_accepted(server, host):
    assert request(server, "GET", "/api/doc", headers={"Host": host.format(port=server.port)})[0] == 200


@pytest.mark.parametrize(
    "origin",
    ["http://evil.example", "http://127.0.0.1:{other}", "https://127.0.0.1:{port}", "null", "http://localhost.evil.example:{port}"],
)
def test_foreign_origin_is_refused(server, pairs_file, origin):
    headers = {"Origin": origin.format(port=server.port, other=server.port + 1)}
    body = _refused(server, pairs_file, 403, "POST", "/api/action", APPROVE, headers)
    assert "refused" in body["error"]


def test_own_origin_is_accepted(server, pairs_file):
    status, _, _ = request(server, "POST", "/api/action", APPROVE, {"Origin": f"http://127.0.0.1:{server.port}"})
    assert status == 200


def test_origin_must_be_the_host_the_request_went_to(server, pairs_file):
    headers = {"Host": f"localhost:{server.port}", "Origin": f"http://127.0.0.1:{server.port}"}
    _refused(server, pairs_file, 403, "POST", "/api/action", APPROVE, headers)
    headers = {"Host": f"localhost:{server.port}", "Origin": f"http://localhost:{server.port}"}
    assert request(server, "POST", "/api/action", APPROVE, headers)[0] == 200


@pytest.mark.parametrize(
    ("status", "raw", "headers"),
    [
        (415, b'{"action": "approve", "id": "0", "version": 0}', {"Content-Type": "text/plain"}),
        (415, b"action=approve&id=0&version=0", {"Content-Type": "application/x-www-form-urlencoded"}),
        (415, b'{"action": "approve", "id": "0", "version": 0}', {}),
        (400, b"{not json", {"Content-Type": "application/json"}),
        (400, b"\xff\xfe{}", {"Content-Type": "application/json"}),
        (400, b"[" * 100_000 + b"]" * 100_000, {"Content-Type": "application/json"}),
        (400, b'{"action": "approve", "action": "reject", "id": "0", "version": 0}', {"Content-Type": "application/json"}),
        (400, b'"approve"', {"Content-Type": "application/json"}),
        (400, b'{"action": "approve", "id": "0", "version": 0}', {"Content-Type": "application/json", "Content-Length": "x"}),
        (411, None, {"Content-Type": "application/json", "Content-Length": None}),
    ],
    ids=[
        "text/plain", "form", "no type", "bad JSON", "bad UTF-8",
        "deep nesting", "duplicate key", "not an object", "bad length", "no length",
    ],
)
def test_malformed_bodies_are_refused(server, pairs_file, status, raw, headers):
    _refused(server, pairs_file, status, "POST", "/api/action", headers=headers, raw=raw)


def test_oversized_body_is_refused(server, pairs_file):
    raw = json.dumps({"action": "edit", "id": "0", "target": "x" * (MAX_BODY + 10), "version": 0}).encode()
    body = _refused(server, pairs_file, 413, "POST", "/api/action", headers={"Content-Type": "application/json"}, raw=raw)
    assert "over" in body["error"]


@pytest.mark.parametrize(
    ("status", "body", "message"),
    [
        (400, {"action": "explode", "id": "0", "version": 0}, "unknown action"),
        (400, {"action": "approve", "id": 0, "version": 0}, "'id' must be"),
        (400, {"action": "approve", "id": "0", "version": "0"}, "'version'"),
        (400, {"action": "approve", "id": "0", "version": 0, "file": "/etc/passwd"}, "unexpected key 'file'"),
        (400, {"action": "edit", "id": "0", "target": ["x"], "version": 0}, "'target' must be"),
        (400, {"action": "edit", "id": "0", "target": "a\x07b", "version": 0}, "control character"),
        (400, {"action": "split", "id": "0", "source_offset": "3", "target_offset": 1, "version": 0}, "'source_offset'"),
        (404, {"action": "approve", "id": "99", "version": 0}, "no pair with id '99'"),
        (409, {"action": "approve", "id": "0", "version": 5}, "has changed"),
        (422, {"action": "merge", "id": "2", "version": 0}, "last pair"),
        (422, {"action": "undo", "version": 0}, "nothing to undo"),
        (422, {"action": "split", "id": "0", "source_offset": 0, "target_offset": 0, "version": 0}, "empty pair"),
        (422, {"action": "split", "id": "0", "source_offset": 50, "target_offset": 0, "version": 0}, "outside"),
    ],
    ids=lambda v: v if isinstance(v, str) else None,
)
def test_bad_actions_are_refused(server, pairs_file, status, body, message):
    answer = _refused(server, pairs_file, status, "POST", "/api/action", body)
    assert message in answer["error"]


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH", "OPTIONS"])
def test_other_methods_are_refused(server, pairs_file, method):
    _refused(server, pairs_file, 405, method, "/api/action", APPROVE)


def test_post_elsewhere_is_refused(server, pairs_file):
    _refused(server, pairs_file, 404, "POST", "/api/doc/../action", APPROVE)
    _refused(server, pairs_file, 405, "POST", "/", APPROVE)


def test_stale_tab_gets_409_and_the_newer_work_stays(server, pairs_file):
    assert act(server, action="edit", id="0", target="first tab", version=0)[0] == 200
    status, _, body = act(server, action="edit", id="0", target="second tab", version=0)
    assert status == 409 and "reload" in body["error"]
    assert read_json(pairs_file).pairs[0].target == "first tab"


def test_file_broken_behind_the_servers_back(server, pairs_file):
    pairs_file.write_text("{", encoding="utf-8")
    status, _, body = request(server, "GET", "/api/doc")
    assert status == 500 and "not valid JSON" in body["error"]
    _refused(server, pairs_file, 500, "POST", "/api/action", APPROVE)


# ---- starting ------------------------------------------------------------


def test_start_refusals(tmp_path, pairs_file):
    with pytest.raises(InputError, match="no such file"):
        ReviewServer(tmp_path / "missing.json")
    bad = tmp_path / "bad.json"
    bad.write_text('{"pairs": 3}', encoding="utf-8")
    with pytest.raises(FormatError, match="expected list"):
        ReviewServer(bad)
    with pytest.raises(InputError, match="expected a pairs JSON file"):
        ReviewServer(tmp_path / "doc.tmx")
    with ReviewServer(pairs_file) as first:
        with pytest.raises(OutputError, match=f"cannot listen on 127.0.0.1:{first.port}.*pick another --port"):
            ReviewServer(pairs_file, port=first.port)


@pytest.mark.parametrize(("unwritable", "message"), [("doc.json", "doc.json: not writable"), ("", "directory not writable")])
def test_unwritable_file_or_directory_is_refused_at_start(pairs_file, monkeypatch, unwritable, message):
    # checked with os.access, so faked here: the tests may run as root, who can write anything
    real_access = os.access
    refused = pairs_file.parent / unwritable if unwritable else pairs_file.parent
    monkeypatch.setattr(os, "access", lambda path, mode: Path(path) != refused and real_access(path, mode))
    with pytest.raises(OutputError, match=message):
        ReviewServer(pairs_file)


def test_url_names_the_address(pairs_file):
    with ReviewServer(pairs_file, host="127.0.0.1", port=0) as running:
        assert running.url == f"http://127.0.0.1:{running.port}/"


@pytest.mark.parametrize(
    ("host", "bound", "allowed"),
    [
        ("127.0.0.1:8765", "127.0.0.1", True),
        ("localhost:8765", "127.0.0.1", True),
        ("[::1]:8765", "::1", True),
        ("localhost:8765", "::1", True),
        ("127.0.0.1:8765", "localhost", True),
        ("evil.example:8765", "127.0.0.1", False),
        ("192.168.1.5:8765", "127.0.0.1", False),
        ("192.168.1.5:8765", "0.0.0.0", True),
        ("rebound.evil.example:8765", "0.0.0.0", False),
        ("review.lan:8765", "review.lan", True),
        ("127.0.0.1:8766", "127.0.0.1", False),
        ("127.0.0.1:notaport", "127.0.0.1", False),
    ],
)
def test_host_allowed(host, bound, allowed):
    assert host_allowed(host, bound, 8765) is allowed


@pytest.mark.parametrize(
    ("origin", "host", "bound", "allowed"),
    [
        (None, "127.0.0.1:8765", "127.0.0.1", True),
        ("http://127.0.0.1:8765", "127.0.0.1:8765", "127.0.0.1", True),
        ("http://localhost:8765", "localhost:8765", "127.0.0.1", True),
        ("http://LOCALHOST:8765/", "localhost:8765", "127.0.0.1", True),
        ("http://[::1]:8765", "[::1]:8765", "::1", True),
        ("http://localhost:8765", "127.0.0.1:8765", "127.0.0.1", False),  # not the host the request went to
        ("http://localhost:8765/path", "localhost:8765", "127.0.0.1", False),
        ("null", "127.0.0.1:8765", "127.0.0.1", False),
        ("file://", "127.0.0.1:8765", "127.0.0.1", False),
        ("https://127.0.0.1:8765", "127.0.0.1:8765", "127.0.0.1", False),
        ("http://127.0.0.1:8766", "127.0.0.1:8765", "127.0.0.1", False),
        ("http://evil.example:8765", "evil.example:8765", "127.0.0.1", False),  # the Host itself is foreign
        # listening on all interfaces: the page's own address only, not any IP address with the port
        ("http://192.168.1.5:8765", "192.168.1.5:8765", "0.0.0.0", True),
        ("http://10.0.0.66:8765", "192.168.1.5:8765", "0.0.0.0", False),
        ("http://127.0.0.1:8765", "192.168.1.5:8765", "0.0.0.0", False),
        ("http://192.168.1.5:8765", None, "0.0.0.0", False),
    ],
)
def test_origin_allowed(origin, host, bound, allowed):
    assert origin_allowed(origin, host, bound, 8765) is allowed


def test_listening_on_all_interfaces_warns_and_still_checks_host(pairs_file, caplog):
    with caplog.at_level("WARNING", logger="mt.review.server"), ReviewServer(pairs_file, host="0.0.0.0") as running:
        assert "anyone who can reach this machine" in caplog.text
        assert request(running, "GET", "/api/doc")[0] == 200
        assert request(running, "GET", "/api/doc", headers={"Host": f"evil.example:{running.port}"})[0] == 403
        lan = {"Host": f"192.168.1.5:{running.port}"}
        assert request(running, "GET", "/api/doc", headers=lan)[0] == 200
        other_ip = {**lan, "Origin": f"http://10.0.0.66:{running.port}"}
        assert request(running, "POST", "/api/action", APPROVE, headers=other_ip)[0] == 403
        same = {**lan, "Origin": f"http://192.168.1.5:{running.port}"}
        assert request(running, "POST", "/api/action", APPROVE, headers=same)[0] == 200
