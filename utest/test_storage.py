"""Persistent mailboxes: Maildir, mbox and latest file, their atomic writes, and the writer thread."""

from __future__ import annotations

import mailbox
import signal
import smtplib
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from SMTPLibrary.core import Criteria, InvalidArgument, Mailbox, ReceivedMessage, SMTPServer, StorageError
from SMTPLibrary.core.mailbox import LatestFileStore, MaildirStore, MboxStore, Store, StoreWriter, open_stores


def message(subject: str, body: str = "Hello", sender: str = "app@example.com") -> ReceivedMessage:
    raw = f"From: {sender}\r\nSubject: {subject}\r\n\r\n{body}\r\n".encode()
    return ReceivedMessage(raw, sender, ["alice@example.com", "bcc@example.com"], peer=("127.0.0.1", 4321))


def subjects(folder: mailbox.Mailbox) -> list[str]:
    return [item["subject"] for item in folder]


# -- Maildir -------------------------------------------------------------------------


def test_maildir_messages_are_files_in_new_with_the_envelope_and_lf_line_ends(tmp_path):
    store = MaildirStore(tmp_path / "mail")
    store.add([message("one"), message("two")])
    files = sorted((tmp_path / "mail" / "new").iterdir())
    assert len(files) == 2
    assert not list((tmp_path / "mail" / "tmp").iterdir())
    data = files[0].read_bytes()
    assert data.startswith(b"X-Peer: ('127.0.0.1', 4321)\nX-MailFrom: app@example.com\n")
    assert b"X-RcptTo: alice@example.com, bcc@example.com\n" in data
    assert b"\r" not in data
    assert [ReceivedMessage(data, "", []).subject for data in store] == ["one", "two"]


def test_maildir_opens_with_the_standard_library(tmp_path):
    store = MaildirStore(tmp_path / "mail")
    store.add([message("one"), message("two", body="From the start of a line")])
    folder = mailbox.Maildir(tmp_path / "mail", factory=None, create=False)
    assert sorted(subjects(folder)) == ["one", "two"]
    assert any(item.get_payload() == "From the start of a line\n" for item in folder)


def test_maildir_clear_removes_new_and_read_messages(tmp_path):
    store = MaildirStore(tmp_path / "mail")
    store.add([message("one"), message("two")])
    # A reader (mutt) moves read messages to cur/ with flags.
    first = next((tmp_path / "mail" / "new").iterdir())
    first.rename(tmp_path / "mail" / "cur" / (first.name + ":2,S"))
    assert len(list(store)) == 2
    store.clear()
    assert list(store) == []
    assert list(mailbox.Maildir(tmp_path / "mail", factory=None)) == []


def test_an_existing_maildir_is_added_to(tmp_path):
    MaildirStore(tmp_path / "mail").add([message("old")])
    store = MaildirStore(tmp_path / "mail")
    store.add([message("new")])
    assert [ReceivedMessage(data, "", []).subject for data in store] == ["old", "new"]


def test_maildir_refuses_a_directory_of_other_files(tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(InvalidArgument) as failure:
        MaildirStore(tmp_path)
    assert str(failure.value) == (
        f"Cannot use {tmp_path} for the Maildir: it is not empty and has no cur/, new/ and tmp/ folders."
    )
    assert sorted(path.name for path in tmp_path.iterdir()) == ["notes.txt"]


def test_maildir_refuses_a_file(tmp_path):
    (tmp_path / "file").write_text("x")
    with pytest.raises(InvalidArgument, match="for the Maildir: it is not a directory"):
        MaildirStore(tmp_path / "file")


# -- mbox ----------------------------------------------------------------------------------


def test_mbox_opens_with_the_standard_library_and_quotes_from_lines(tmp_path):
    store = MboxStore(tmp_path / "mail.mbox")
    store.add([message("one", body="From here on\r\n>From quoted")])
    store.add([message("two"), message("three")])
    folder = mailbox.mbox(tmp_path / "mail.mbox")
    assert subjects(folder) == ["one", "two", "three"]
    assert folder[0].get_from().startswith("app@example.com ")
    assert folder[0].get_payload() == ">From here on\n>>From quoted\n"
    # Read back by the store, quoting undone.
    first = next(iter(store))
    assert first.endswith(b"\n\nFrom here on\n>From quoted\n")
    assert len(list(store)) == 3


def test_mbox_refuses_a_file_that_is_not_an_mbox(tmp_path):
    notes = tmp_path / "notes.txt"
    notes.write_text("important\n")
    with pytest.raises(InvalidArgument, match=r"for the mbox file: it is not empty and not an mbox\.$"):
        MboxStore(notes)
    assert notes.read_text() == "important\n"


def test_mbox_clear_empties_it(tmp_path):
    store = MboxStore(tmp_path / "mail.mbox")
    store.add([message("one")])
    store.clear()
    assert list(store) == []
    store.add([message("two")])
    assert subjects(mailbox.mbox(tmp_path / "mail.mbox")) == ["two"]


# -- latest file ---------------------------------------------------------------------------


def test_latest_file_holds_the_newest_message_only(tmp_path):
    store = LatestFileStore(tmp_path / "latest.eml")
    store.add([message("one")])
    store.add([message("two"), message("three")])
    assert ReceivedMessage((tmp_path / "latest.eml").read_bytes(), "", []).subject == "three"
    assert [path.name for path in tmp_path.iterdir()] == ["latest.eml"]
    store.clear()
    assert not (tmp_path / "latest.eml").exists()


def test_open_stores_makes_only_what_was_asked(tmp_path):
    assert open_stores() == []
    stores = open_stores(maildir=tmp_path / "m", mbox=tmp_path / "b", latest=tmp_path / "l")
    assert [type(store) for store in stores] == [MaildirStore, MboxStore, LatestFileStore]
    assert str(stores[0]) == f"Maildir {tmp_path / 'm'}"


# -- atomicity: a kill in the middle of a write ------------------------------------------------

KILLED_WRITER = """
import os, sys, threading
from pathlib import Path
from SMTPLibrary.core import ReceivedMessage
from SMTPLibrary.core.mailbox import stores as storage

kind, path = sys.argv[1], sys.argv[2]
store = {"maildir": storage.MaildirStore, "mbox": storage.MboxStore, "latest": storage.LatestFileStore}[kind](path)
envelope = ("app@example.com", ["alice@example.com"])
store.add([ReceivedMessage(b"Subject: whole\\r\\n\\r\\n" + b"w" * 100_000 + b"\\r\\nEND\\r\\n", *envelope)])

real_write_all = storage.write_all

def write_half_then_wait(fd, data):
    # Half the message reaches the file; then the parent kills this process.
    real_write_all(fd, data[: len(data) // 2])
    os.fsync(fd)
    print("half written", flush=True)
    threading.Event().wait()

storage.write_all = write_half_then_wait
store.add([ReceivedMessage(b"Subject: torn\\r\\n\\r\\n" + b"t" * 100_000 + b"\\r\\nEND\\r\\n", *envelope)])
"""


def kill_mid_write(kind: str, path: Path) -> None:
    child = subprocess.Popen([sys.executable, "-c", KILLED_WRITER, kind, str(path)], stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout.readline() == "half written\n"
        child.send_signal(signal.SIGKILL)
    finally:
        child.wait(30)
        child.stdout.close()
    assert child.returncode == -signal.SIGKILL


def whole(data: bytes) -> bool:
    return data.rstrip().endswith(b"END")


def test_a_kill_mid_write_leaves_no_partial_message_in_a_maildir(tmp_path):
    kill_mid_write("maildir", tmp_path / "mail")
    visible = list(mailbox.Maildir(tmp_path / "mail", factory=None))
    assert [item["subject"] for item in visible] == ["whole"]
    assert all(whole(data) for data in MaildirStore(tmp_path / "mail"))
    # The torn message exists, in tmp/, where no reader looks.
    (torn,) = (tmp_path / "mail" / "tmp").iterdir()
    assert b"Subject: torn" in torn.read_bytes()
    assert not whole(torn.read_bytes())


@pytest.mark.parametrize(("kind", "reader"), [("mbox", MboxStore), ("latest", LatestFileStore)])
def test_a_kill_mid_write_leaves_single_files_as_they_were(tmp_path, kind, reader):
    target = tmp_path / f"mail.{kind}"
    kill_mid_write(kind, target)
    stored = list(reader(target))
    assert len(stored) == 1
    assert b"Subject: whole" in stored[0]
    assert whole(stored[0])
    # The torn copy is a hidden file next to it, never the file itself.
    (torn,) = [path for path in tmp_path.iterdir() if path != target]
    assert torn.name.startswith(f".{target.name}.")
    assert not whole(torn.read_bytes())


# -- the writer thread --------------------------------------------------------------------------


class GatedStore(Store):
    """A store whose writes wait for a gate: a disk that hangs."""

    kind = "gated"

    def __init__(self) -> None:
        self.gate = threading.Event()
        self.written: list[str] = []
        self.writer_threads: set[str] = set()

    def add(self, messages):
        self.gate.wait(30)
        self.writer_threads.add(threading.current_thread().name)
        self.written += [m.subject for m in messages]

    def clear(self):
        self.written.append("<clear>")

    def __iter__(self):
        return iter(())


class FailingStore(GatedStore):
    def add(self, messages):
        raise OSError(28, "No space left on device")


def test_a_hung_disk_never_delays_the_server_or_the_waits():
    store = GatedStore()
    with SMTPServer(mailbox=Mailbox(storage=StoreWriter([store]))) as server:
        with smtplib.SMTP("127.0.0.1", server.port, timeout=10) as client:
            for subject in ("one", "two"):
                client.sendmail("a@example.com", ["b@example.com"], f"Subject: {subject}\r\n\r\nx\r\n")
        assert server.wait_for(subject="two", timeout=5).subject == "two"
        assert store.written == []
        store.gate.set()
        assert server.flush(10)
        assert store.written == ["one", "two"]
    assert store.writer_threads == {"SMTPLibrary store writer"}


@pytest.mark.parametrize("opened", [False, True])
def test_writes_keep_arrival_order_and_clear_comes_in_turn(opened):
    store = GatedStore()
    writer = StoreWriter([store])
    if opened:
        writer.open()
    writer.add(message("one"))
    writer.add(message("two"))
    writer.clear()
    writer.add(message("three"))
    store.gate.set()
    assert writer.flush(10)
    assert store.written[-2:] == ["<clear>", "three"]
    assert [item for item in store.written if item != "<clear>"] == ["one", "two", "three"]
    assert store.written.index("<clear>") == 2
    assert writer.close(10)
    assert not [t for t in threading.enumerate() if t.name == "SMTPLibrary store writer"]


def test_the_writer_thread_ends_when_idle_and_comes_back_with_work():
    store = GatedStore()
    store.gate.set()
    writer = StoreWriter([store])
    writer.add(message("one"))
    assert writer.close(10)
    assert not [t for t in threading.enumerate() if t.name == "SMTPLibrary store writer"]
    writer.add(message("two"))
    assert writer.close(10)
    assert store.written == ["one", "two"]


def test_the_server_thread_never_starts_the_writer(monkeypatch):
    # Thread.start() waits until the new thread runs: the event loop must not pay that
    # (it holds the mailbox lock meanwhile). The writer starts with the server, from the test's thread.
    starts = []
    start = threading.Thread.start

    def recording_start(thread):
        starts.append((thread.name, threading.current_thread() is threading.main_thread()))
        start(thread)

    monkeypatch.setattr(threading.Thread, "start", recording_start)
    store = GatedStore()
    store.gate.set()
    with SMTPServer(mailbox=Mailbox(storage=StoreWriter([store]))) as server:
        for subject in ("one", "two"):
            with smtplib.SMTP("127.0.0.1", server.port, timeout=10) as client:
                client.sendmail("a@example.com", ["b@example.com"], f"Subject: {subject}\r\n\r\nx\r\n")
            assert server.flush(10)
    assert store.written == ["one", "two"]
    assert [by_main for name, by_main in starts if name == "SMTPLibrary store writer"] == [True]
    assert not [t for t in threading.enumerate() if t.name == "SMTPLibrary store writer"]


def test_a_reset_on_a_stuck_disk_fails_in_time_instead_of_hanging():
    store = GatedStore()
    mailbox_ = Mailbox(storage=StoreWriter([store]))
    mailbox_.storage.open()
    mailbox_.add(message("stuck"))
    with pytest.raises(StorageError) as failure:
        mailbox_.reset(timeout=0.2)
    assert str(failure.value) == (
        "Writing to the gated made no progress in 0.2 s. "
        "The mailbox is empty; its disk copies are cleared once the disk catches up."
    )
    assert mailbox_.count() == 0
    store.gate.set()
    assert mailbox_.storage.close(10)
    assert store.written == ["stuck", "<clear>"]


def test_a_bounded_mailbox_keeps_the_newest_in_memory_and_every_message_on_disk(tmp_path):
    server = SMTPServer(maildir=tmp_path / "mail", mbox=tmp_path / "mbox", max_messages=2)
    with server, smtplib.SMTP("127.0.0.1", server.port, timeout=10) as client:
        for number in range(3):
            client.sendmail("a@example.com", ["b@example.com"], f"Subject: {number}\r\n\r\nx\r\n")
        server.wait_for(subject="2")
        assert [m.subject for m in server.get_messages()] == ["1", "2"]
    assert sorted(subjects(mailbox.Maildir(tmp_path / "mail", factory=None))) == ["0", "1", "2"]
    assert subjects(mailbox.mbox(tmp_path / "mbox")) == ["0", "1", "2"]


def test_max_messages_is_checked_with_disk_mailboxes_too(tmp_path):
    with pytest.raises(InvalidArgument, match=r"^max_messages must be a positive number of messages"):
        SMTPServer(latest=tmp_path / "latest", max_messages=0)


def test_a_failed_write_is_reported_by_the_next_check_and_the_message_stays_in_memory():
    mailbox_ = Mailbox(storage=StoreWriter([FailingStore()]))
    mailbox_.open()
    mailbox_.add(message("kept"))
    mailbox_.storage.flush(10)
    with pytest.raises(StorageError) as failure:
        mailbox_.storage.check()
    assert str(failure.value) == "Could not write 1 message to gated: OSError: No space left on device."
    mailbox_.storage.check()  # reported once
    assert mailbox_.wait_for(Criteria.from_strings(subject="kept"), 0).subject == "kept"
    mailbox_.storage.close(10)


def test_a_maildir_that_disappears_fails_the_next_call(tmp_path):
    server = SMTPServer(maildir=tmp_path / "mail")
    with server:
        (tmp_path / "mail" / "new").rmdir()
        with smtplib.SMTP("127.0.0.1", server.port, timeout=10) as client:
            client.sendmail("a@example.com", ["b@example.com"], b"Subject: lost\r\n\r\nx\r\n")
        assert server.flush(10)
        with pytest.raises(StorageError, match=r"^Could not write 1 message to Maildir .*: No such file"):
            server.get_message_count()
        assert server.get_message_count() == 1


def test_messages_are_on_disk_once_stop_returns(tmp_path):
    server = SMTPServer(maildir=tmp_path / "mail", mbox=tmp_path / "mbox", latest=tmp_path / "latest")
    with server, smtplib.SMTP("127.0.0.1", server.port, timeout=10) as client:
        for number in range(20):
            client.sendmail("a@example.com", ["b@example.com"], f"Subject: {number}\r\n\r\nx\r\n")
    assert len(list(mailbox.Maildir(tmp_path / "mail", factory=None))) == 20
    assert subjects(mailbox.mbox(tmp_path / "mbox")) == [str(number) for number in range(20)]
    assert b"Subject: 19\n" in (tmp_path / "latest").read_bytes()


def test_reset_empties_the_disk_mailboxes(tmp_path):
    with SMTPServer(maildir=tmp_path / "mail", latest=tmp_path / "latest") as server:
        with smtplib.SMTP("127.0.0.1", server.port, timeout=10) as client:
            client.sendmail("a@example.com", ["b@example.com"], b"Subject: gone\r\n\r\nx\r\n")
        server.wait_for(subject="gone")
        server.reset()
        assert list(mailbox.Maildir(tmp_path / "mail", factory=None)) == []
        assert not (tmp_path / "latest").exists()
        with smtplib.SMTP("127.0.0.1", server.port, timeout=10) as client:
            client.sendmail("a@example.com", ["b@example.com"], b"Subject: kept\r\n\r\nx\r\n")
    assert subjects(mailbox.Maildir(tmp_path / "mail", factory=None)) == ["kept"]
