"""Reading articles and writing outputs safely.

Articles are decoded exactly once, here: UTF-8 with or without a BOM (or a
legacy encoding such as cp1256 when asked), CR LF or LF left as they are, so
offsets reported by later stages index the decoded text.  Outputs are written
to a temporary file in the target directory and renamed over the target, so a
reader never sees half a file and a crash never destroys an earlier output.
"""

from __future__ import annotations

import codecs
import contextlib
import logging
import os
import stat
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from .errors import EmptyInputError, InputError, MTError, OutputError

log = logging.getLogger(__name__)

ARTICLE_SUFFIX = ".txt"


@dataclass(frozen=True)
class Article:
    """A decoded input file: ``doc`` is its name without suffix."""

    path: Path
    doc: str
    text: str


def check_encoding(encoding: str) -> str:
    """Return the canonical codec name or raise ``InputError``."""
    try:
        return codecs.lookup(encoding).name
    except LookupError:
        raise InputError(f"unknown encoding {encoding!r}; try utf-8 or cp1256") from None


def decode_text(data: bytes, name: str, encoding: str = "utf-8") -> str:
    """Decode ``data`` (the contents of file ``name``) to text.

    UTF-8 input may start with a BOM, which is dropped.  Undecodable bytes and
    binary data raise ``InputError`` naming the file and the byte offset.
    """
    codec = check_encoding(encoding)
    if codec == "utf-8":
        codec = "utf-8-sig"
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as err:
        hint = " (is it legacy Arabic Windows text? try --encoding cp1256)" if codec == "utf-8-sig" else ""
        raise InputError(
            f"{name}: not valid {encoding} at byte {err.start}{hint}"
        ) from None
    nul = text.find("\x00")
    if nul >= 0:
        raise InputError(f"{name}: binary data (NUL character at offset {nul}), expected a text article")
    return text


def read_bytes(path: Path | str, error: type[MTError] = InputError, what: str = "file") -> bytes:
    """The bytes of file ``path``; a missing or unreadable file raises
    ``error`` (``InputError`` unless the caller has a more specific type),
    calling the file ``what`` in the message."""
    path = Path(path)
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise error(f"{path}: no such {what}") from None
    except IsADirectoryError:
        raise error(f"{path}: is a directory, expected a {what}") from None
    except OSError as err:
        raise error(f"{path}: cannot read ({err.strerror})") from None


def read_text(path: Path | str, encoding: str = "utf-8", *, allow_empty: bool = False) -> str:
    """Read and decode one text file; empty or whitespace-only input raises ``EmptyInputError``."""
    text = decode_text(read_bytes(path), str(path), encoding)
    if not allow_empty and not text.strip():
        raise EmptyInputError(f"{path}: empty or whitespace-only input")
    return text


def find_articles(paths: Iterable[Path | str]) -> list[Path]:
    """Expand the input paths: a directory means its ``*.txt`` files, sorted.

    A missing path raises ``InputError``; a directory without any ``.txt``
    file raises too, since it is almost certainly the wrong directory.
    """
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files = sorted(p for p in path.iterdir() if p.suffix == ARTICLE_SUFFIX and p.is_file())
            if not files:
                raise InputError(f"{path}: directory holds no {ARTICLE_SUFFIX} files")
            found.extend(files)
        elif path.exists():
            found.append(path)
        else:
            raise InputError(f"{path}: no such file or directory")
    if not found:
        raise InputError("no input files given")
    return found


def read_articles(paths: Iterable[Path | str], encoding: str = "utf-8") -> Iterator[Article]:
    """Yield each input article decoded.

    An empty file named directly is an error; an empty file found inside a
    directory is skipped with a warning, so one blank file does not stop a
    batch.
    """
    paths = list(paths)
    direct = {Path(p) for p in paths if not Path(p).is_dir()}
    for path in find_articles(paths):
        try:
            text = read_text(path, encoding)
        except EmptyInputError as err:
            if path in direct:
                raise
            log.warning("skipping %s", err)
            continue
        yield Article(path=path, doc=path.stem, text=text)


def _file_mode(path: Path) -> int:
    """The permissions a rewritten ``path`` keeps: its own, or for a new file
    what ``open`` would give (0o666 less the umask)."""
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


@contextlib.contextmanager
def atomic_writer(path: Path | str, mode: str = "w", encoding: str | None = "utf-8"):
    """Open a temporary file beside ``path``; on success rename it over ``path``.

    On any exception the temporary file is removed and ``path`` is untouched.
    The file keeps its permissions (a new one gets the usual ones, not the
    0600 of a temporary file).
    """
    path = Path(path)
    parent = path.parent
    if not parent.is_dir():
        raise OutputError(f"{parent}: output directory does not exist")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=parent)
    except OSError as err:
        raise OutputError(f"{path}: cannot write ({err.strerror})") from None
    try:
        os.fchmod(fd, _file_mode(path))
        if "b" in mode:
            handle = os.fdopen(fd, mode)
        else:
            handle = os.fdopen(fd, mode, encoding=encoding, newline="")
        with handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def write_text_atomic(path: Path | str, text: str) -> None:
    """Write ``text`` to ``path`` atomically (UTF-8, newlines as given)."""
    with atomic_writer(path) as handle:
        handle.write(text)


def write_bytes_atomic(path: Path | str, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically."""
    with atomic_writer(path, "wb", encoding=None) as handle:
        handle.write(data)


def ensure_dir(path: Path | str) -> Path:
    """Create the output directory ``path`` (and parents) or raise ``OutputError``."""
    path = Path(path)
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise OutputError(f"{path}: cannot create output directory ({err.strerror})") from None
    if not os.access(path, os.W_OK):
        raise OutputError(f"{path}: output directory is not writable")
    return path
