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
import re
import stat
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import filelock

from ..errors import EmptyInputError, InputError, MTError, OutputError
from .normalize import has_arabic

log = logging.getLogger(__name__)

ARTICLE_SUFFIX = ".txt"


@dataclass(frozen=True)
class Article:
    """A decoded input file: ``doc`` is its name without suffix."""

    path: Path
    doc: str
    text: str


AUTO = "auto"  # UTF-8 when the bytes are UTF-8, else cp1256 (decode_text)
LEGACY_ARABIC = "cp1256"
# A byte order mark decides the encoding (Notepad's "Unicode" is UTF-16 LE
# with one); UTF-32's marks first, since UTF-32 LE's begins with UTF-16 LE's.
BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def check_encoding(encoding: str) -> str:
    """Return the canonical codec name (or ``auto``) or raise ``InputError``."""
    if encoding.strip().lower() == AUTO:
        return AUTO
    try:
        return codecs.lookup(encoding).name
    except LookupError:
        raise InputError(f"unknown encoding {encoding!r}; try utf-8 or cp1256") from None


def decode_text(data: bytes, name: str, encoding: str = "utf-8", *, hint: bool = False) -> str:
    """Decode ``data`` (the contents of file ``name``) to text.

    A byte order mark decides the encoding, whatever ``encoding`` says (UTF-8,
    UTF-16 or UTF-32, the mark dropped).  Without one, ``auto`` reads UTF-8
    when the bytes are valid UTF-8, else cp1256, and says which it chose (an
    ``info`` log line).  Undecodable bytes and
    binary data raise ``InputError`` naming the file and the byte offset; for
    UTF-8 the message suggests legacy Arabic Windows text, with the
    ``--encoding cp1256`` option when ``hint`` (the command has it), else with
    a conversion command.
    """
    codec = check_encoding(encoding)
    marked = next((c for bom, c in BOMS if data.startswith(bom)), None)
    if marked is not None and marked != "utf-8-sig":
        return _check_nul(_decode_marked(data, name, marked), name)
    if marked == "utf-8-sig":  # whatever was asked, and no other encoding to suggest
        codec, encoding = "utf-8", "UTF-8 (it starts with a UTF-8 byte order mark)"
    if codec == AUTO:
        try:
            data.decode("utf-8-sig")
            codec = "utf-8"
        except UnicodeDecodeError:
            codec = LEGACY_ARABIC
        log.info("%s: read as %s", name, codec)
        encoding = codec
    if codec == "utf-8":
        codec = "utf-8-sig"
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as err:
        advice = ""
        if codec == "utf-8-sig" and marked is None:
            fix = "try --encoding cp1256" if hint else "convert it with: iconv -f cp1256 -t utf-8"
            advice = f" (is it legacy Arabic Windows text? {fix})"
        at = err.start + (len(codecs.BOM_UTF8) if marked else 0)  # utf-8-sig counts after its mark
        raise InputError(f"{name}: not valid {encoding} at byte {at}{advice}") from None
    if codec != "utf-8-sig" and not data.isascii() and _is_utf8_arabic(data):
        raise InputError(f"{name}: this is UTF-8 Arabic text, not {encoding}; leave out --encoding")
    return _check_nul(text, name)


def _decode_marked(data: bytes, name: str, codec: str) -> str:
    """``data`` decoded by the UTF-16 or UTF-32 its byte order mark names."""
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as err:
        raise InputError(f"{name}: starts with a {codec.upper()} byte order mark but is not valid {codec.upper()} at byte {err.start}") from None
    log.info("%s: read as %s (byte order mark)", name, codec.upper())
    return text


def _check_nul(text: str, name: str) -> str:
    nul = text.find("\x00")
    if nul >= 0:
        raise InputError(f"{name}: binary data (NUL character at offset {nul}), expected a text file")
    return text


def _is_utf8_arabic(data: bytes) -> bool:
    """Whether ``data`` is valid UTF-8 holding Arabic letters: legacy Arabic
    bytes never are, so such a file decoded as cp1256 would be mojibake."""
    try:
        return has_arabic(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        return False


# A Latin letter touching an Arabic one inside a word: what UTF-8 accented
# Latin letters become when decoded as cp1256 ("í" → "أ\xad").
_MOJIBAKE = re.compile(r"\S*(?:[A-Za-z][\u0600-\u06ff]|[\u0600-\u06ff][\u00ad]?[A-Za-z])\S*")


def find_mojibake(text: str) -> tuple[int, str] | None:
    """The line number and word of the first Latin word with an Arabic
    letter inside it, the mark of UTF-8 Latin text decoded as a legacy Arabic
    encoding; ``None`` when there is none."""
    bad = _MOJIBAKE.search(text)
    if bad is None:
        return None
    return text.count("\n", 0, bad.start()) + 1, bad.group(0)


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


def read_text(path: Path | str, encoding: str = "utf-8", *, allow_empty: bool = False, hint: bool = False) -> str:
    """Read and decode one text file; empty or whitespace-only input raises
    ``EmptyInputError``; ``hint`` as for ``decode_text``."""
    text = decode_text(read_bytes(path), str(path), encoding, hint=hint)
    if not allow_empty and not text.strip():
        raise EmptyInputError(f"{path}: empty or whitespace-only input")
    return text


# Characters an article may not hold: C0 controls that are not whitespace or
# line breaks, and the non-characters U+FFFE/U+FFFF.  XML 1.0 (TMX) cannot
# hold them, so they are refused when the article is read, not half way
# through writing its outputs.
_CONTROL = re.compile("[\x01-\x08\x0e-\x1b\x1f\ufffe\uffff]")


def check_article_text(text: str, name: str) -> str:
    """Return ``text`` or raise ``InputError`` at its first control character."""
    bad = _CONTROL.search(text)
    if bad:
        line = text.count("\n", 0, bad.start()) + 1
        raise InputError(
            f"{name}: control character U+{ord(bad.group(0)):04X} at line {line} (offset {bad.start()}); "
            "remove it, an article is plain text"
        )
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


def warn_skipped(message: str) -> None:
    """The default report of an input left out: a ``skipping …`` warning."""
    log.warning("skipping %s", message)


def read_articles(
    paths: Iterable[Path | str],
    encoding: str = "utf-8",
    on_error: Callable[[InputError], None] | None = None,
    on_skip: Callable[[str], None] = warn_skipped,
) -> Iterator[Article]:
    """Yield each input article decoded.

    An empty file named directly is an error; an empty file found inside a
    directory is handed to ``on_skip`` (a warning) and left out, so one
    blank file does not stop a batch.  With ``on_error``, a file that cannot
    be read (undecodable, binary, control characters, empty) is handed to it
    and skipped instead of raising.
    """
    paths = list(paths)
    direct = {Path(p) for p in paths if not Path(p).is_dir()}
    for path in find_articles(paths):
        try:
            text = check_article_text(read_text(path, encoding, hint=True), str(path))
        except EmptyInputError as err:
            if path in direct and on_error is None:
                raise
            if path in direct:
                on_error(err)
            else:
                on_skip(str(err))
            continue
        except InputError as err:
            if on_error is None:
                raise
            on_error(err)
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

    On any exception the temporary file is removed and ``path`` is untouched;
    a failure of the file system (a full disk, an I/O error) raises
    ``OutputError``.  A symbolic link is written through, not replaced, and
    the file keeps its permissions (a new one gets the usual ones, not the
    0600 of a temporary file).
    """
    path = Path(path)
    target = Path(os.path.realpath(path))
    parent = target.parent
    if not parent.is_dir():
        raise OutputError(f"{path.parent}: output directory does not exist")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=parent)
    except OSError as err:
        raise OutputError(f"{path}: cannot write ({err.strerror})") from None
    try:
        os.fchmod(fd, _file_mode(target))
        handle = os.fdopen(fd, mode) if "b" in mode else os.fdopen(fd, mode, encoding=encoding, newline="")
        with handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException as err:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(err, OSError):
            raise OutputError(f"{path}: cannot write ({err.strerror or err})") from None
        raise


def remove_stale_temporaries(path: Path | str) -> None:
    """Remove temporary files an interrupted ``atomic_writer`` left beside ``path``."""
    path = Path(os.path.realpath(path))
    for stale in path.parent.glob(f".{path.name}.*.tmp"):
        with contextlib.suppress(OSError):
            stale.unlink()


def write_text_atomic(path: Path | str, text: str) -> None:
    """Write ``text`` to ``path`` atomically (UTF-8, newlines as given)."""
    with atomic_writer(path) as handle:
        handle.write(text)


def write_bytes_atomic(path: Path | str, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically."""
    with atomic_writer(path, "wb", encoding=None) as handle:
        handle.write(data)


def check_output_dir(path: Path | str) -> Path:
    """Refuse, before any work, an output directory ``path`` that is a file."""
    path = Path(path)
    if path.exists() and not path.is_dir():
        raise OutputError(f"{path}: is a file, not a directory; give an output directory")
    return path


def ensure_dir(path: Path | str) -> Path:
    """Create the output directory ``path`` (and parents) or raise ``OutputError``."""
    path = check_output_dir(path)
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise OutputError(f"{path}: cannot create output directory ({err.strerror})") from None
    if not os.access(path, os.W_OK):
        raise OutputError(f"{path}: output directory is not writable")
    return path


@contextlib.contextmanager
def held_lock(lock_path: Path | str, *, timeout: float, busy: str, error: type[MTError] = OutputError) -> Iterator[None]:
    """Hold the lock file ``lock_path`` (another process waits, or is refused
    when ``timeout`` is 0).  ``busy`` is the one-line message when another
    process holds it past ``timeout``; a lock that cannot be taken at all (a
    directory in its place, no permission) says so."""
    lock = filelock.FileLock(str(lock_path), timeout=timeout)
    try:
        lock.acquire()
    except filelock.Timeout:  # a TimeoutError, hence an OSError: first
        raise error(busy) from None
    except OSError as err:
        raise error(f"{lock_path}: cannot take the lock ({err.strerror or err})") from None
    try:
        yield
    finally:
        lock.release()
