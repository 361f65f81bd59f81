"""``smtplibrary serve --maildir`` killed with SIGKILL while it writes: every file
visible in ``new/`` and ``cur/`` is one whole message that was sent. Only ``tmp/``
may keep what a kill interrupted: the Maildir protocol, readers never look there.

The kill comes from outside the process, at the moment it starts writing a
message file (inotify tells), so that it lands on writes in flight; each round
kills at another write, on the same Maildir, while several clients keep sending.
"""

from __future__ import annotations

import base64
import ctypes
import hashlib
import mailbox
import os
import re
import select
import smtplib
import struct
import threading
import time
from collections import Counter
from pathlib import Path

from serve_process import ServeProcess
from support import SCALE, Wire, transaction

ROUNDS = 4 * SCALE
CLIENTS = 4
SENDER, RECIPIENT = "sender@kill.test", "rcpt@kill.test"
# What the server writes in front of a message (storage.envelope_header): the envelope, one line each.
ENVELOPE = re.compile(rb"X-Peer: [^\n]*\nX-MailFrom: sender@kill\.test\nX-RcptTo: rcpt@kill\.test\n")
MESSAGE_ID = re.compile(rb"^Message-ID: <([\w-]+)@kill\.test>$", re.MULTILINE)

IN_CREATE = 0x100
INOTIFY_EVENT = struct.Struct("iIII")  # wd, mask, cookie, length of the name that follows


class FileStarts:
    """Counts the message files a process starts writing in a Maildir, as inotify reports them:
    a file created in ``tmp/``, or in ``new/`` or ``cur/`` without going through ``tmp/``
    (a writer that skipped the protocol)."""

    def __init__(self, maildir: Path) -> None:
        libc = ctypes.CDLL(None, use_errno=True)
        self.fd = libc.inotify_init1(os.O_CLOEXEC)
        if self.fd < 0:
            raise OSError(ctypes.get_errno(), "inotify_init1 failed")
        self._watches = {}
        for subdir in ("tmp", "new", "cur"):
            watch = libc.inotify_add_watch(self.fd, os.fsencode(maildir / subdir), IN_CREATE)
            if watch < 0:
                os.close(self.fd)
                raise OSError(ctypes.get_errno(), f"inotify_add_watch failed on {maildir / subdir}")
            self._watches[watch] = subdir
        self._in_tmp: set[str] = set()
        self.count = 0

    def wait_for(self, count: int, timeout: float) -> bool:
        """Block until ``count`` files have been started (``False`` after ``timeout`` seconds)."""
        deadline = time.monotonic() + timeout
        while self.count < count:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not select.select([self.fd], [], [], remaining)[0]:
                return False
            events = os.read(self.fd, 65536)
            offset = 0
            while offset < len(events):
                watch, _, _, length = INOTIFY_EVENT.unpack_from(events, offset)
                start = offset + INOTIFY_EVENT.size
                name = events[start : start + length].rstrip(b"\0").decode()
                offset = start + length
                subdir = self._watches.get(watch)
                if subdir == "tmp":
                    self._in_tmp.add(name)
                    self.count += 1
                elif subdir is not None and name.split(":")[0] not in self._in_tmp:
                    self.count += 1
        return True

    def close(self) -> None:
        os.close(self.fd)


def compose(ident: str, number: int) -> bytes:
    """A distinct message of 32 KB to 1 MB: large enough that writing it takes a while."""
    size = 32768 << (number % 6)
    body = base64.encodebytes(os.urandom(size * 3 // 4)).replace(b"\n", b"\r\n")
    head = f"From: {SENDER}\r\nTo: {RECIPIENT}\r\nSubject: kill test {ident}\r\nMessage-ID: <{ident}@kill.test>\r\n\r\n"
    return head.encode() + body


class Senders:
    """Clients that send message after message until the server dies under them or they run out.

    The messages are made beforehand and sent as raw bytes, so that the clients
    spend their time in system calls and the killer gets the interpreter lock
    at once. ``sent`` maps each message id to the SHA-256 and size of the bytes
    a Maildir file must end with (the message with LF line ends)."""

    def __init__(self, port: int, round_number: int, per_client: int) -> None:
        self.port = port
        self.sent: dict[str, tuple[str, int]] = {}
        self.acknowledged: set[str] = set()
        batches = []
        for client in range(CLIENTS):
            batch = []
            for number in range(per_client):
                ident = f"r{round_number}-c{client}-n{number}"
                raw = compose(ident, number)
                on_disk = raw.replace(b"\r\n", b"\n")
                self.sent[ident] = (hashlib.sha256(on_disk).hexdigest(), len(on_disk))
                batch.append((ident, raw))  # base64 lines never start with a dot: nothing to stuff
            batches.append(batch)
        self._threads = [threading.Thread(target=self._send, args=(batch,)) for batch in batches]
        for thread in self._threads:
            thread.start()

    def _send(self, batch: list[tuple[str, bytes]]) -> None:
        try:
            with Wire("127.0.0.1", self.port, timeout=30) as wire:
                if wire.reply().code != 220 or wire.command(b"EHLO kill.test").code != 250:
                    return
                for ident, raw in batch:
                    if transaction(wire, SENDER, [RECIPIENT], raw).code != 250:
                        return
                    self.acknowledged.add(ident)
        except (OSError, AssertionError):
            return  # the server was killed: expected

    def join(self) -> None:
        for thread in self._threads:
            thread.join(60)
            assert not thread.is_alive(), "a client did not notice that the server was killed"


def message_id(data: bytes) -> str | None:
    found = MESSAGE_ID.search(data)
    return None if found is None else found.group(1).decode()


def visible_files(maildir: Path) -> list[Path]:
    return [path for subdir in ("new", "cur") for path in sorted((maildir / subdir).iterdir())]


def problems_with(files: list[Path], sent: dict[str, tuple[str, int]]) -> list[str]:
    """Every visible file that is not exactly one message as sent, and every message seen twice."""
    problems = []
    seen: Counter[str] = Counter()
    for path in files:
        data = path.read_bytes()
        ident = message_id(data)
        if ident not in sent:
            problems.append(f"{path.parent.name}/{path.name}: {len(data)} bytes, not a message that was sent")
            continue
        seen[ident] += 1
        digest, size = sent[ident]
        whole = (
            len(data) > size
            and hashlib.sha256(data[-size:]).hexdigest() == digest
            and ENVELOPE.fullmatch(data[:-size]) is not None
        )
        if not whole:
            problems.append(
                f"{path.parent.name}/{path.name}: {len(data)} bytes, not message {ident} as sent "
                f"({size} bytes after the envelope lines): truncated or altered"
            )
    problems += [f"message {ident} is in {count} files" for ident, count in seen.items() if count > 1]
    return problems


def test_sigkill_while_writing_a_maildir_leaves_only_whole_messages_in_new_and_cur(tmp_path):
    maildir = tmp_path / "mail"
    sent: dict[str, tuple[str, int]] = {}
    rounds = []
    interrupted = in_tmp = 0  # kills that left the file being written in tmp/; files there
    for round_number in range(ROUNDS):
        # The file start at which this round's kill comes; the clients send more than enough messages.
        target = 1 + (7 * round_number) % 24
        server = ServeProcess("--port", "0", "--maildir", str(maildir), "--stats-interval", "0")
        starts = senders = None
        try:
            server.started()  # the Maildir exists from here on
            starts = FileStarts(maildir)
            senders = Senders(server.port, round_number, per_client=target + 8)
            hit = starts.wait_for(target, 60)
        finally:
            server.kill()  # SIGKILL, from outside
            if starts is not None:
                starts.close()
            if senders is not None:
                senders.join()
                sent.update(senders.sent)
        assert hit, f"round {round_number}: the server started fewer than {target} files in 60 s:\n{server.output}"
        on_disk = {message_id(path.read_bytes()) for path in visible_files(maildir)}
        in_tmp, before = len(list((maildir / "tmp").iterdir())), in_tmp
        interrupted += in_tmp > before
        rounds.append(
            f"round {round_number}: killed at file start {target}; {len(senders.acknowledged)} messages acknowledged, "
            f"{len(senders.acknowledged - on_disk)} of them not on disk; files in tmp/ so far: {in_tmp}"
        )

    leftovers = [f"tmp/{path.name}: {path.stat().st_size} bytes" for path in sorted((maildir / "tmp").iterdir())]
    files = visible_files(maildir)
    problems = problems_with(files, sent)
    report = "\n".join(["", *rounds, "Left in tmp/ (allowed):", *(leftovers or ["nothing"])])
    assert not problems, "\n".join(["Files visible in new/ or cur/ that are not whole messages:", *problems]) + report
    assert files, "no message was written before the kills: the test proves nothing" + report
    assert interrupted, "no kill landed on a write in flight (none left a file in tmp/): nothing was proved" + report

    # The Maildir stays usable: a server started on it adds to it, readers read every message.
    server = ServeProcess("--port", "0", "--maildir", str(maildir))
    try:
        server.started()
        raw = compose("after-the-kills", 0)
        on_disk = raw.replace(b"\r\n", b"\n")
        sent["after-the-kills"] = (hashlib.sha256(on_disk).hexdigest(), len(on_disk))
        with smtplib.SMTP("127.0.0.1", server.port, timeout=30) as smtp:
            smtp.sendmail(SENDER, [RECIPIENT], raw)
        server.expect("subject 'kill test after-the-kills'")
        assert server.stop() == 0, server.stderr
    finally:
        server.kill()
    after = visible_files(maildir)
    assert len(after) == len(files) + 1
    assert problems_with(after, sent) == []
    assert len(mailbox.Maildir(maildir, factory=None)) == len(after)
