"""The review page's local web server (standard library only).

Routes: ``GET /`` the page, ``GET /review.js`` and ``/review.css`` its files
(from the package), ``GET /api/doc`` the state, ``POST /api/action`` one
action (see ``actions.parse_action``), answered with the new state, and
``POST /api/glossary`` an entry for the glossary (``additions``), answered
with the new state and a ``message``; a conflict with the glossary is 422.

The server reads and writes only the file it was started with (symbolic
links resolved, so the real file is the one replaced) and its lock file
``FILE.json.lock``, and the glossary it adds to (under its own lock); every action takes the lock, re-reads the file, checks the
version the page sent (409 when stale, also when another ``mt review`` of the
same file saved first), applies the action and writes the file atomically.
Refused with nothing changed: a Host that is not this server's own (403,
against DNS rebinding), an Origin other than the Host the request was sent
to (403), a body that is not JSON (415 for another content type,
411 without a length, 413 over ``MAX_BODY``, 400 when malformed), an unknown
pair (404) or an impossible action (422).  Every answer carries a strict
Content-Security-Policy and ``nosniff``.
"""

from __future__ import annotations

import dataclasses
import http.server
import ipaddress
import json
import logging
import os
import socket
import threading
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ..errors import GlossaryError, InputError, MTError, OutputError
from ..formats import read_json, write_json
from ..glossary import EntryExists, Glossary, add_entry, new_entry
from ..text import held_lock
from .actions import (
    ActionError,
    InvalidRequest,
    StaleVersion,
    UnknownPair,
    apply_action,
    parse_action,
    review_version,
)
from .additions import add_new_terms, parse_addition, review_glossary, with_terms
from .view import state_payload

log = logging.getLogger(__name__)

MAX_BODY = 1 << 20
LOCK_TIMEOUT = 30.0  # seconds an action waits for another process saving the same file
WILDCARD_HOSTS = ("", "0.0.0.0", "::")
STATIC = {
    "/": ("index.html", "text/html; charset=utf-8"),
    "/review.js": ("review.js", "text/javascript; charset=utf-8"),
    "/review.css": ("review.css", "text/css; charset=utf-8"),
}
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
        "object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Cache-Control": "no-store",
}
_ERROR_STATUS = ((StaleVersion, 409), (UnknownPair, 404), (InvalidRequest, 400), (ActionError, 422))


# ---- Host and Origin ----------------------------------------------------------


def _ip(name: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(name)
    except ValueError:
        return None


def _loopback(name: str) -> bool:
    address = _ip(name)
    return name == "localhost" or (address is not None and address.is_loopback)


def _authority(value: str) -> tuple[str, int] | None:
    """``(hostname, port)`` of a Host header value (port 80 when absent), or ``None`` if malformed."""
    try:
        parts = urlsplit("//" + value.strip())
        port = parts.port
    except ValueError:
        return None
    if not parts.hostname or parts.path or parts.query or parts.fragment or "@" in parts.netloc:
        return None
    return parts.hostname.lower(), 80 if port is None else port


def host_allowed(value: str | None, bound_host: str, port: int) -> bool:
    """Whether a Host header names this server: its own host (or localhost/an IP address for it) and port.

    A host name other than the one the server was started with is refused, so a
    page on another site cannot reach the server by rebinding its own name.
    """
    found = _authority(value or "")
    if found is None or found[1] != port:
        return False
    name, bound = found[0], bound_host.lower().strip("[]")
    if name == bound:
        return True
    if bound in WILDCARD_HOSTS:
        return name == "localhost" or _ip(name) is not None
    return _loopback(bound) and _loopback(name)


def origin_allowed(value: str | None, host: str | None, bound_host: str, port: int) -> bool:
    """Whether an Origin header (when sent) is this server's own page.

    The page's origin is the address it was loaded from, which is the address
    its requests go to: the Origin's host and port must be those of the
    request's Host header, itself one this server answers (``host_allowed``).
    """
    if value is None:
        return True
    try:
        parts = urlsplit(value.strip())
    except ValueError:
        return False
    if parts.scheme != "http" or parts.path not in ("", "/") or parts.query or parts.fragment:
        return False
    origin = _authority(parts.netloc)
    return origin is not None and origin == _authority(host or "") and host_allowed(host, bound_host, port)


# ---- the server ---------------------------------------------------------------


def _listener_class(host: str) -> type[http.server.ThreadingHTTPServer]:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET

    class Listener(http.server.ThreadingHTTPServer):
        address_family = family
        daemon_threads = True
        allow_reuse_port = False

    return Listener


def _check_writable(path: Path) -> None:
    if not os.access(path, os.W_OK):
        raise OutputError(f"{path}: not writable, so review actions could not be saved")
    if not os.access(path.parent, os.W_OK):
        raise OutputError(f"{path.parent}: directory not writable, so {path.name} could not be replaced atomically")


class ReviewServer:
    """Serve the review page for one pairs JSON file.

    ``ReviewServer(path, host=…, port=0)`` reads the file (``InputError``/
    ``FormatError`` when it is missing or malformed) and listens
    (``OutputError`` when the port is busy); ``serve_forever()`` runs it,
    ``start()`` runs it in a background thread, ``close()`` stops it.
    """

    def __init__(self, path: Path | str, *, host: str = "127.0.0.1", port: int = 0, glossary: Path | str | None = None):
        given = Path(path)
        if given.suffix.lower() != ".json":
            raise InputError(f"{given}: expected a pairs JSON file (.json), as written by mt translate or mt align")
        # The real file: a symbolic link stays a link, its target is what is saved (and locked).
        self.path = Path(os.path.realpath(given))
        self.name = given.name
        document = read_json(self.path)
        self.pair_count = len(document.pairs)
        _check_writable(self.path)
        self.glossary = review_glossary(document.meta, glossary)  # where "add to glossary" writes, or None
        if glossary is not None:
            Glossary.load(self.glossary)  # a bad glossary fails at start-up, not at the first addition
        self.host = host
        self._lock = threading.Lock()
        static = resources.files(__package__).joinpath("static")
        self._static = {route: (static.joinpath(name).read_bytes(), kind) for route, (name, kind) in STATIC.items()}
        try:
            self._httpd = _listener_class(host)((host, port), _Handler)
        except (OSError, OverflowError) as err:
            reason = getattr(err, "strerror", None) or str(err)
            raise OutputError(f"cannot listen on {host}:{port} ({reason}); pick another --port or --host") from None
        self._httpd.review = self  # type: ignore[attr-defined]
        self.port = int(self._httpd.server_address[1])
        if not _loopback(host.lower().strip("[]")):
            log.warning("listening on %s: anyone who can reach this machine on port %d can edit %s", host, self.port, self.path)
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host = {"": "127.0.0.1", "0.0.0.0": "127.0.0.1", "::": "::1"}.get(self.host, self.host)
        return f"http://[{host}]:{self.port}/" if ":" in host else f"http://{host}:{self.port}/"

    def state(self) -> dict:
        """The page's view of the file as it is now."""
        return self._payload(read_json(self.path))

    def _payload(self, document) -> dict:
        """The page's state.  A file of ``mt align`` records no glossary
        terms (a translation records those it enforced): the page marks the
        terms of its glossary in it, which the file itself does not get."""
        if document.meta.get("kind") != "translation" and self.glossary is not None and self.glossary.is_file():
            try:
                pairs, _ = with_terms(document, Glossary.load(self.glossary))
            except MTError as err:  # the page still shows the file, with the terms it records
                log.warning("%s: its terms are not marked (%s)", self.name, err)
            else:
                document = dataclasses.replace(document, pairs=pairs)
        return {**state_payload(document, self.name), "glossary": str(self.glossary) if self.glossary else None}

    def act(self, body: Any) -> dict:
        """Apply one decoded request to the file and return the new state.

        Read, apply and write happen under the file's lock (``FILE.json.lock``),
        so an action of another server on the same file is either wholly
        before this one (and its version seen here) or wholly after.
        """
        action = parse_action(body)
        busy = f"{self.path}: locked by another process for {LOCK_TIMEOUT:.0f} s ({self.path}.lock); try again"
        with self._lock, held_lock(f"{self.path}.lock", timeout=LOCK_TIMEOUT, busy=busy):
            document = read_json(self.path)
            changed = apply_action(document, action)
            if changed is not document:
                write_json(changed, self.path)
            return self._payload(changed)

    def add_to_glossary(self, body: Any) -> dict:
        """Add one entry to the glossary (``mt glossary add``'s locked write),
        give the document's pairs its terms, and return the new state with a
        ``message``; a conflict with the glossary raises ``GlossaryError``."""
        addition = parse_addition(body)
        if self.glossary is None:
            raise ActionError("no glossary to add to: start mt review with --glossary FILE")
        busy = f"{self.path}: locked by another process for {LOCK_TIMEOUT:.0f} s ({self.path}.lock); try again"
        with self._lock, held_lock(f"{self.path}.lock", timeout=LOCK_TIMEOUT, busy=busy):
            document = read_json(self.path)
            current = review_version(document)
            if addition.version != current:
                raise StaleVersion(f"the file has changed since the page loaded it (version {current}, not {addition.version}); reload")
            entry = new_entry(addition.ar, addition.en, addition.type, glossary=self.glossary)
            try:
                add_entry(self.glossary, entry)
            except EntryExists as err:  # worded for the page, which has no --replace
                old = err.old
                raise GlossaryError(
                    f"{old.ar!r} is already in the glossary ({old.en!r}, {err.path} line {old.line}); "
                    "the page adds names and changes none: edit that line, or use mt glossary add --replace"
                ) from None
            changed, count = add_new_terms(document, Glossary.load(self.glossary), entry)
            write_json(changed, self.path)
            places = f"{count} place{'' if count == 1 else 's'}"
            message = f"added {entry.ar} → {entry.en} ({entry.type}) to {self.glossary}; marked in {places} of this file"
            return {**self._payload(changed), "message": message}

    def static(self, route: str) -> tuple[bytes, str] | None:
        return self._static.get(route)

    def allows(self, host: str | None, origin: str | None) -> bool:
        return host_allowed(host, self.host, self.port) and origin_allowed(origin, host, self.host, self.port)

    def serve_forever(self) -> None:
        self._httpd.serve_forever(poll_interval=0.05)

    def start(self) -> ReviewServer:
        """Serve in a daemon thread (for tests and embedding)."""
        self._thread = threading.Thread(target=self.serve_forever, name="mt-review", daemon=True)
        self._thread.start()
        return self

    def close(self) -> None:
        if self._thread is not None:
            self._httpd.shutdown()
            self._thread.join()
            self._thread = None
        self._httpd.server_close()

    def __enter__(self) -> ReviewServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()


class _DuplicateKey(ValueError):
    pass


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict:
    keys = [k for k, _ in pairs]
    if len(set(keys)) != len(keys):
        raise _DuplicateKey(f"duplicate key {next(k for k in keys if keys.count(k) > 1)!r}")
    return dict(pairs)


class _Handler(http.server.BaseHTTPRequestHandler):
    server_version = "mt-review"
    sys_version = ""

    def version_string(self) -> str:
        return self.server_version
    timeout = 30

    @property
    def review(self) -> ReviewServer:
        return self.server.review  # type: ignore[attr-defined]

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (the base class's name)
        log.debug("%s %s", self.address_string(), format % args)

    def end_headers(self) -> None:
        for name, value in SECURITY_HEADERS.items():
            self.send_header(name, value)
        super().end_headers()

    def _send(self, status: int, body: bytes, kind: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _json(self, status: int, obj: Any) -> None:
        self._send(status, json.dumps(obj, ensure_ascii=False).encode("utf-8"), "application/json; charset=utf-8")

    def _error(self, status: int, message: str) -> None:
        self.close_connection = True
        self._json(status, {"error": message})

    def _guard(self) -> bool:
        if self.review.allows(self.headers.get("Host"), self.headers.get("Origin")):
            return True
        self._error(403, "refused: this server answers only its own page at " + self.review.url)
        return False

    def do_GET(self) -> None:  # noqa: N802 (the base class's name)
        if not self._guard():
            return
        route = urlsplit(self.path).path
        if route == "/api/doc":
            try:
                self._json(200, self.review.state())
            except MTError as err:
                self._error(500, str(err))
        elif (found := self.review.static(route)) is not None:
            self._send(200, *found)
        elif route == "/favicon.ico":
            self._send(204, b"", "image/x-icon")
        else:
            self._error(404, f"no such page: {route}")

    def do_POST(self) -> None:  # noqa: N802
        if not self._guard():
            return
        route = urlsplit(self.path).path
        if route not in ("/api/action", "/api/glossary"):
            self._error(404 if route not in STATIC else 405, "POST only to /api/action or /api/glossary")
            return
        body = self._read_body()
        if body is None:
            return
        try:
            state = self.review.act(body) if route == "/api/action" else self.review.add_to_glossary(body)
        except ActionError as err:
            status = next(code for kind, code in _ERROR_STATUS if isinstance(err, kind))
            self._error(status, str(err))
        except GlossaryError as err:
            self._error(422, str(err))  # a conflict or a bad field: refused, nothing written
        except MTError as err:
            log.error("%s", err)
            self._error(500, str(err))
        else:
            self._json(200, state)

    def _read_body(self) -> Any:
        """The decoded JSON body, or ``None`` after answering with an error."""
        kind = self.headers.get("Content-Type", "").split(";")[0].strip().lower()
        if kind != "application/json":
            self._error(415, "send the action as application/json")
            return None
        if self.headers.get("Transfer-Encoding") or self.headers.get("Content-Length") is None:
            self._error(411, "send a Content-Length")
            return None
        try:
            size = int(self.headers["Content-Length"])
        except ValueError:
            size = -1
        if size < 0:
            self._error(400, "bad Content-Length")
            return None
        if size > MAX_BODY:
            self._discard(size)
            self._error(413, f"request body over {MAX_BODY} bytes")
            return None
        raw = self.rfile.read(size)
        if len(raw) != size:
            self._error(400, "request body shorter than its Content-Length")
            return None
        try:
            return json.loads(raw.decode("utf-8"), object_pairs_hook=_no_duplicates)
        except (UnicodeDecodeError, ValueError, RecursionError) as err:
            self._error(400, f"request body is not valid UTF-8 JSON ({str(err)[:120]})")
            return None

    def _discard(self, size: int) -> None:
        """Read and drop a refused body (up to a bound), so the client sees the answer, not a reset."""
        left = min(size, 16 * MAX_BODY)
        while left > 0:
            chunk = self.rfile.read(min(left, 1 << 16))
            if not chunk:
                break
            left -= len(chunk)

    def _not_allowed(self) -> None:
        if self._guard():
            self._error(405, "only GET and POST")

    do_PUT = do_DELETE = do_PATCH = do_OPTIONS = _not_allowed  # noqa: N815
