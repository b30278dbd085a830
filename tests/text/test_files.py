from __future__ import annotations

import logging
import os

import pytest

from mt.errors import EmptyInputError, InputError, OutputError
from mt.text import atomic_writer, read_articles, read_text, write_text_atomic

ARABIC = "قال الرئيس بشار الأسد."


def test_utf8_with_bom_is_decoded_without_it(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes(b"\xef\xbb\xbf" + ARABIC.encode("utf-8"))
    assert read_text(path) == ARABIC


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-be", "utf-32"])
@pytest.mark.parametrize("encoding", ["utf-8", "auto", "cp1256"])
def test_a_byte_order_mark_decides_the_encoding(tmp_path, codec, encoding):
    """Notepad's "Unicode" is UTF-16 LE with a BOM: it was read as not UTF-8
    (with a cp1256 hint), and ``--encoding auto`` read it as cp1256, then
    called it binary (issue 33)."""
    path = tmp_path / "notepad.txt"
    data = ARABIC.encode(codec)
    path.write_bytes(data if codec != "utf-16-be" else b"\xfe\xff" + data)
    assert read_text(path, encoding) == ARABIC
    assert [a.text for a in read_articles([path], encoding)] == [ARABIC]


def test_a_utf16_mark_on_bytes_that_are_not_utf16_is_one_clear_error(tmp_path):
    path = tmp_path / "broken.txt"
    path.write_bytes(b"\xff\xfe" + "قال".encode("utf-16-le") + b"\x00\xd8")  # a lone high surrogate
    with pytest.raises(InputError, match=r"broken\.txt: starts with a UTF-16 byte order mark but is not valid UTF-16 at byte"):
        read_text(path)


def test_crlf_is_kept_so_offsets_index_the_decoded_text(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes("سطر\r\nآخر".encode("utf-8"))
    assert read_text(path) == "سطر\r\nآخر"


def test_invalid_utf8_names_file_and_offset_and_suggests_cp1256(tmp_path):
    path = tmp_path / "legacy.txt"
    path.write_bytes(ARABIC.encode("cp1256"))
    with pytest.raises(InputError, match=r"legacy\.txt: not valid utf-8 at byte 0 .*--encoding cp1256"):
        list(read_articles([path]))
    assert read_text(path, "cp1256") == ARABIC


def test_binary_data_is_refused(tmp_path):
    path = tmp_path / "b.txt"
    path.write_bytes(b"abc\x00\x01\x02")
    with pytest.raises(InputError, match="binary data"):
        read_text(path)


def test_unknown_encoding(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text(ARABIC, encoding="utf-8")
    with pytest.raises(InputError, match="unknown encoding"):
        read_text(path, "klingon")


def test_empty_single_file_is_an_error_and_skipped_in_directory(tmp_path, caplog):
    (tmp_path / "a.txt").write_text(ARABIC, encoding="utf-8")
    (tmp_path / "b.txt").write_text("  \n\t ", encoding="utf-8")
    (tmp_path / "c.md").write_text("not an article", encoding="utf-8")
    with pytest.raises(EmptyInputError, match="b.txt: empty"):
        list(read_articles([tmp_path / "b.txt"]))
    with caplog.at_level(logging.WARNING, logger="mt"):
        docs = list(read_articles([tmp_path]))
    assert [d.doc for d in docs] == ["a"]
    assert "b.txt" in caplog.text


def test_directory_means_sorted_txt_files(tmp_path):
    for name in ["b.txt", "a.txt", "c.txt"]:
        (tmp_path / name).write_text(ARABIC, encoding="utf-8")
    assert [d.doc for d in read_articles([tmp_path])] == ["a", "b", "c"]


def test_missing_path(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        list(read_articles([tmp_path / "nope.txt"]))


def test_atomic_write_keeps_old_file_on_failure(tmp_path):
    target = tmp_path / "out.json"
    write_text_atomic(target, "old")
    with pytest.raises(RuntimeError):
        with atomic_writer(target) as handle:
            handle.write("half")
            raise RuntimeError("boom")
    assert target.read_text() == "old"
    assert os.listdir(tmp_path) == ["out.json"]


def test_atomic_write_into_missing_directory(tmp_path):
    with pytest.raises(OutputError, match="does not exist"):
        write_text_atomic(tmp_path / "nope" / "x.json", "x")


def test_atomic_write_keeps_permissions_and_new_files_get_the_umask_default(tmp_path):
    target = tmp_path / "out.json"
    write_text_atomic(target, "one")
    umask = os.umask(0)
    os.umask(umask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~umask
    target.chmod(0o640)
    write_text_atomic(target, "two")
    assert target.stat().st_mode & 0o777 == 0o640


def test_atomic_write_goes_through_a_symlink(tmp_path):
    real = tmp_path / "real"
    real.mkdir()
    (real / "entities.tsv").write_text("old")
    link = tmp_path / "link.tsv"
    link.symlink_to(real / "entities.tsv")
    write_text_atomic(link, "new")
    assert link.is_symlink()
    assert (real / "entities.tsv").read_text() == "new"


def test_a_full_disk_is_an_output_error_and_the_old_file_stays(tmp_path, monkeypatch):
    target = tmp_path / "out.json"
    write_text_atomic(target, "old")

    def no_space(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", no_space)
    with pytest.raises(OutputError, match="out.json: cannot write .No space left on device"):
        write_text_atomic(target, "new")
    assert target.read_text() == "old"
    assert os.listdir(tmp_path) == ["out.json"]


def test_control_characters_in_an_article_are_refused_when_read(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("سطر أول\nقال الرئيس\x07 إن\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"a.txt: control character U\+0007 at line 2"):
        list(read_articles([path]))


def test_the_encoding_hint_names_the_option_only_where_it_exists(tmp_path):
    path = tmp_path / "legacy.txt"
    path.write_bytes("قال".encode("cp1256"))
    with pytest.raises(InputError, match="iconv -f cp1256 -t utf-8"):
        read_text(path)
    with pytest.raises(InputError, match="try --encoding cp1256"):
        read_text(path, hint=True)


def test_a_utf8_mark_on_bytes_that_are_not_utf8_suggests_no_other_encoding(tmp_path):
    path = tmp_path / "marked.txt"
    path.write_bytes(b"\xef\xbb\xbf" + ARABIC.encode("cp1256"))
    for encoding in ("utf-8", "cp1256", "auto"):
        with pytest.raises(InputError, match=r"marked\.txt: not valid UTF-8 \(it starts with a UTF-8 byte order mark\) at byte 3$"):
            read_text(path, encoding, hint=True)
