import os

import pytest

from SMTPLibrary.core import InvalidArgument
from SMTPLibrary.core.mail.files import eml_name, safe_filename, save_into, save_message


@pytest.mark.parametrize(
    "name",
    [
        "invoice.pdf",
        "Rechnung März 2025.pdf",
        "Pièce d'identité (copie) [2].pdf",
        "会議の議事録.txt",
        "Счёт №17.pdf",
        ".hidden",
        "a  b.txt",
        "emoji 🌷.png",
        "contents.txt",
        "icon.txt",
        "console.log",
        "com10.txt",
    ],
)
def test_safe_names_are_kept_exactly(name):
    assert safe_filename(name) == name


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("../../etc/passwd", "passwd"),
        ("..\\..\\boot.ini", "boot.ini"),
        ("/etc/shadow", "shadow"),
        ("C:\\Windows\\win.ini", "win.ini"),
        ("C:evil.txt", "evil.txt"),
        ("\\\\server\\share\\x.txt", "x.txt"),
        ("dir/", "attachment"),
        ("..", "attachment"),
        (".", "attachment"),
        ("", "attachment"),
        (None, "attachment"),
        ("   ", "attachment"),
        ("a\x00b.txt", "a_b.txt"),
        ("line\r\nbreak.txt", "line__break.txt"),
        ('what?<>:"|*.txt', "what_______.txt"),
        ("CON", "_CON"),
        ("con.txt", "_con.txt"),
        ("NUL.tar.gz", "_NUL.tar.gz"),
        ("con.tents.txt", "_con.tents.txt"),
        ("Com1.log", "_Com1.log"),
        ("LPT9", "_LPT9"),
        ("aux.", "_aux"),
        ("report.pdf. . .", "report.pdf"),
        ("invoice\u202efdp.exe", "invoicefdp.exe"),
        ("bad\udcff.txt", "bad_.txt"),
    ],
)
def test_dangerous_names_are_neutralised(name, safe):
    assert safe_filename(name) == safe


def test_long_names_are_cut_to_255_bytes_keeping_the_extension():
    name = "ä" * 300 + ".pdf"
    safe = safe_filename(name)
    assert safe.endswith(".pdf")
    assert len(safe.encode("utf-8")) <= 255
    assert safe.startswith("ää")


def test_save_into_never_leaves_the_directory(tmp_path):
    target = tmp_path / "inside"
    for name in ("../outside.txt", "/tmp/abs.txt", "..", "C:\\x\\..\\y.txt", "sub/dir/f.txt"):
        path = save_into(target, name, b"data")
        assert path.parent == target
    assert sorted(p.name for p in tmp_path.iterdir()) == ["inside"]
    assert sorted(p.name for p in target.iterdir()) == ["abs.txt", "attachment", "f.txt", "outside.txt", "y.txt"]


@pytest.mark.skipif(not hasattr(os, "O_NOFOLLOW"), reason="platform without O_NOFOLLOW")
def test_save_into_does_not_follow_a_symbolic_link(tmp_path):
    outside = tmp_path / "outside.txt"
    outside.write_bytes(b"precious")
    target = tmp_path / "inside"
    target.mkdir()
    (target / "link.txt").symlink_to(outside)
    with pytest.raises(InvalidArgument, match="Cannot write to"):
        save_into(target, "link.txt", b"overwritten")
    assert outside.read_bytes() == b"precious"


def test_save_message_writes_bytes_exactly_and_creates_directories(tmp_path):
    raw = b"Subject: x\r\n\r\n\xff\xfe\r\n.\r\n"
    path = save_message(tmp_path / "a" / "b" / "m.eml", raw)
    assert path.read_bytes() == raw


def test_save_message_refuses_a_directory(tmp_path):
    with pytest.raises(InvalidArgument, match="it is a directory"):
        save_message(tmp_path, b"x")


def test_eml_names_differ_for_different_messages():
    assert eml_name(3, b"a") != eml_name(3, b"b")
    assert eml_name(3, b"a") == eml_name(3, b"a")
    assert eml_name(3, b"a").startswith("message-3-")
