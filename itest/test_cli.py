"""``smtplibrary serve`` as a developer runs it: a child process, real clients, signals."""

from __future__ import annotations

import base64
import mailbox
import os
import pty
import re
import select
import shutil
import signal
import smtplib
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from serve_process import SERVE, ServeProcess

from SMTPLibrary.core.mailbox.stores import MaildirStore

MESSAGE_LINE = r"^\d\d:\d\d:\d\d from {sender} to {recipients}, subject '{subject}', (?P<size>\d+) bytes$"


def tool(name: str) -> str:
    path = shutil.which(name)
    assert path, f"{name} is not installed: run `make tools` (Debian: apt-get install {name})"
    return path


def swaks(
    port: int, subject: str, sender: str = "swaks@example.com", to: str = "alice@example.com", options: tuple = ()
) -> None:
    command = [tool("swaks"), "--server", f"127.0.0.1:{port}", "--from", sender, "--to", to]
    command += ["--header", f"Subject: {subject}", "--body", "Sent by swaks", *options]
    result = subprocess.run(
        command,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def curl(
    port: int,
    source: bytes,
    tmp_path: Path,
    sender: str = "curl@example.com",
    to: str = "bob@example.com",
    scheme: str = "smtp",
    options: tuple = (),
):
    mail = tmp_path / "curl.eml"
    mail.write_bytes(source)
    command = [tool("curl"), "--silent", "--show-error", f"{scheme}://127.0.0.1:{port}/curl.test", *options]
    command += ["--mail-from", sender, "--mail-rcpt", to, "--upload-file", str(mail)]
    result = subprocess.run(
        command,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 0, result.stderr


def refused_command(port: int) -> None:
    """One session with one refused command: RCPT before MAIL."""
    with smtplib.SMTP("127.0.0.1", port, timeout=10) as client:
        assert client.docmd("RCPT", "TO:<alice@example.com>")[0] == 503


def read_with_mutt(folder: Path, out: Path) -> str:
    """Every message of ``folder`` as mutt reads it: mutt runs on a pseudo-terminal,
    tags all messages and pipes each one to a file, then quits."""
    command = [tool("mutt"), "-n", "-F", "/dev/null", "-R", "-f", str(folder)]
    # folder: an existing directory, or mutt first asks whether to create ~/Mail (in a fresh HOME),
    # and that question takes the keys pushed below.
    command += ["-e", f"set pipe_split=yes wait_key=no folder={out.parent}"]
    command += [
        "-e",
        f'push "<tag-pattern>~A<enter><tag-prefix><pipe-entry>cat >> {out}; echo ===== >> {out}<enter><quit>"',
    ]
    pid, fd = pty.fork()
    if pid == 0:  # the child becomes mutt
        os.environ["TERM"] = "vt100"
        os.execv(command[0], command)
    try:
        while select.select([fd], [], [], 30)[0]:
            try:
                if not os.read(fd, 65536):
                    break
            except OSError:  # the terminal closed: mutt has quit
                break
    finally:
        _, status = os.waitpid(pid, 0)
        os.close(fd)
    assert os.waitstatus_to_exitcode(status) == 0, f"mutt failed on {folder}"
    return out.read_text(encoding="utf-8", errors="replace") if out.exists() else ""


@pytest.fixture
def serve():
    started: list[ServeProcess] = []

    def start(*args: str, **kwargs) -> ServeProcess:
        process = ServeProcess(*args, **kwargs)
        started.append(process)
        return process.started()

    yield start
    for process in started:
        process.kill()


def test_swaks_and_curl_are_printed_counted_and_kept_in_a_maildir(serve, tmp_path):
    maildir = tmp_path / "mail"
    server = serve("--port", "0", "--maildir", str(maildir), "--stats-interval", "0.2")
    assert f"Also writing to: Maildir {maildir}." in server.lines

    swaks(server.port, "Hello from swaks")
    first = server.expect(
        MESSAGE_LINE.format(sender="swaks@example.com", recipients="alice@example.com", subject="Hello from swaks")
    )
    curl(server.port, b"From: curl@example.com\r\nSubject: Hello from curl\r\n\r\nFrom curl, with love\r\n", tmp_path)
    second = server.expect(
        MESSAGE_LINE.format(sender="curl@example.com", recipients="bob@example.com", subject="Hello from curl")
    )
    refused_command(server.port)
    size = int(first["size"]) + int(second["size"])
    server.expect(
        rf"statistics: 2 messages \({size} bytes\), 3 sessions, 1 refusal; \d+\.\d\d messages/s over the last \d+ s$"
    )

    assert server.stop(signal.SIGINT) == 0
    assert re.fullmatch(
        rf"\d\d:\d\d:\d\d stopped by SIGINT\. Final statistics: 2 messages \({size} bytes\), 3 sessions, 1 refusal; "
        r"\d+\.\d\d messages/s over \d+\.\d s",
        server.lines[-1],
    ), server.output
    assert server.stderr == ""

    # Every message is in the Maildir, whole, for Python's reader and for mutt.
    assert not list((maildir / "tmp").iterdir())
    subjects = sorted(message["subject"] for message in mailbox.Maildir(maildir, factory=None))
    assert subjects == ["Hello from curl", "Hello from swaks"]
    read = read_with_mutt(maildir, tmp_path / "mutt.txt")
    assert read.count("=====") == 2, read
    assert "Subject: Hello from swaks" in read
    assert "Subject: Hello from curl" in read
    assert ">From curl, with love" not in read  # a Maildir is not mbox-quoted
    assert "X-RcptTo: bob@example.com" in read


def test_sigterm_stops_with_the_final_statistics_and_status_0(serve):
    server = serve("--port", "0")
    swaks(server.port, "Before SIGTERM")
    server.expect("subject 'Before SIGTERM'")
    assert server.stop(signal.SIGTERM) == 0
    assert re.search(
        r"stopped by SIGTERM\. Final statistics: 1 message \(\d+ bytes\), 1 session, 0 refusals", server.output
    )
    assert server.stderr == ""


def test_sigint_stops_a_server_started_in_the_background_of_a_script():
    # A non-interactive shell starts background jobs with SIGINT ignored (shown
    # here by a grep that reads its own signal mask); a server without handlers
    # of its own would never hear `kill -INT`.
    script = (
        "grep ^SigIgn: /proc/self/status & wait $!; "
        f'{" ".join(SERVE)} --port 0 --stats-interval 0 & echo "pid $!"; wait $!; echo "status $?"'
    )
    server = ServeProcess(command=["bash", "-c", script])
    try:
        ignored = int(server.expect(r"^SigIgn:\s*([0-9a-f]+)$").group(1), 16)
        assert ignored >> (signal.SIGINT - 1) & 1, "the shell did not start its background jobs with SIGINT ignored"
        pid = int(server.expect(r"^pid (\d+)$").group(1))
        server.started()
        os.kill(pid, signal.SIGINT)
        server.expect(r"stopped by SIGINT\. Final statistics: 0 messages \(0 bytes\), 0 sessions, 0 refusals")
        server.expect(r"^status 0$")
        assert server.wait() == 0
    finally:
        server.kill()  # the server too, when this failed: it is in bash's session


def test_verbose_prints_each_message_whole(serve):
    server = serve("--port", "0", "--verbose")
    with smtplib.SMTP("127.0.0.1", server.port, timeout=10) as client:
        client.sendmail(
            "a@example.com", ["b@example.com"], b"Subject: Whole\r\nX-Tag: seen\r\n\r\nLine one\r\nLine two\r\n"
        )
    server.expect("subject 'Whole', ")
    server.expect(r"^--- message 1 ---$")
    body = [server.expect(".*")[0] for _ in range(5)]
    assert body == ["Subject: Whole", "X-Tag: seen", "", "Line one", "Line two"]
    server.expect(r"^--- end of message 1 ---$")
    assert server.stop() == 0


def test_mbox_and_latest_file(serve, tmp_path):
    mbox, latest = tmp_path / "mail.mbox", tmp_path / "latest.eml"
    server = serve("--port", "0", "--mbox", str(mbox), "--latest", str(latest))
    for subject in ("First", "Second"):
        swaks(server.port, subject)
        # The line is printed once the message is on disk.
        server.expect(f"subject '{subject}'")
        assert f"Subject: {subject}\n" in latest.read_text()
    assert server.stop() == 0
    assert [message["subject"] for message in mailbox.mbox(mbox)] == ["First", "Second"]
    read = read_with_mutt(mbox, tmp_path / "mutt.txt")
    assert read.count("=====") == 2, read


# Both commands that listen answer a bad --port alike: one line, status 2.
LISTENERS = {"serve": "an SMTP server", "remote": "the remote library server"}


@pytest.mark.parametrize(("command", "what"), LISTENERS.items())
def test_port_in_use_is_one_line_and_status_2(command, what):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "SMTPLibrary", command, "--port", str(port)],
            capture_output=True,
            text=True,
            timeout=30,
        )
    assert result.returncode == 2
    assert (
        result.stderr
        == f"smtplibrary {command}: Cannot start {what} on 127.0.0.1:{port}: the port is already in use.\n"
    )
    assert result.stdout == ""


@pytest.mark.parametrize("command", LISTENERS)
@pytest.mark.parametrize("port", ["65536", "-1", "smtp"])
def test_a_port_out_of_range_is_refused_before_anything_starts(command, port):
    result = subprocess.run(
        [sys.executable, "-m", "SMTPLibrary", command, "--port", port], capture_output=True, text=True, timeout=30
    )
    assert result.returncode == 2
    assert result.stderr.endswith(
        f"smtplibrary {command}: error: argument --port: invalid port '{port}': expected a number from 0 to 65535\n"
    )
    assert result.stdout == ""


@pytest.mark.parametrize(
    ("args", "error"),
    [
        (["--maildir", "{file}"], "smtplibrary serve: Cannot use {file} for the Maildir: it is not a directory.\n"),
        (
            ["--mbox", "{file}"],
            "smtplibrary serve: Cannot use {file} for the mbox file: it is not empty and not an mbox.\n",
        ),
        (
            ["--latest", "{tmp}"],
            "smtplibrary serve: Cannot use {tmp} for the latest-message file: it is not a regular file.\n",
        ),
    ],
)
def test_unusable_mailbox_paths_are_one_line_and_status_2(tmp_path, args, error):
    file = tmp_path / "notes.txt"
    file.write_text("not mail\n")
    fill = {"file": file, "tmp": tmp_path}
    result = subprocess.run(
        [*SERVE, "--port", "0", *(arg.format(**fill) for arg in args)], capture_output=True, text=True, timeout=30
    )
    assert (result.returncode, result.stderr, result.stdout) == (2, error.format(**fill), "")
    assert file.read_text() == "not mail\n"


def test_maildir_and_mbox_exclude_each_other(tmp_path):
    result = subprocess.run([*SERVE, "--maildir", "a", "--mbox", "b"], capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode == 2
    assert "argument --mbox: not allowed with argument --maildir" in result.stderr
    assert not list(tmp_path.iterdir())


def non_loopback_address() -> str:
    """This machine's address on its default route (no packet is sent)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.connect(("192.0.2.1", 9))
        address = probe.getsockname()[0]
    assert not address.startswith("127."), "this test needs a network interface besides loopback"
    return address


def test_only_loopback_unless_host_is_given(serve):
    address = non_loopback_address()
    local = serve("--port", "0")
    assert "for this machine only (--host 0.0.0.0 accepts other machines)." in local.lines[0]
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection((address, local.port), timeout=10).close()

    open_to_all = serve("--port", "0", "--host", "0.0.0.0")
    assert open_to_all.lines[0].endswith(
        f"listening on 0.0.0.0:{open_to_all.port}, open to other machines as --host asked."
    )
    with smtplib.SMTP(address, open_to_all.port, timeout=10) as client:
        client.sendmail("far@example.com", ["near@example.com"], b"Subject: From afar\r\n\r\nHi\r\n")
    open_to_all.expect("from far@example.com to near@example.com, subject 'From afar'")


def test_the_installed_command_and_its_help():
    command = Path(sys.executable).with_name("smtplibrary")
    result = subprocess.run([str(command), "serve", "--help"], capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, result.stderr
    assert "examples:\n  smtplibrary serve    " in result.stdout
    for option in ("--host", "--port", "--verbose", "--maildir", "--mbox", "--latest", "--stats-interval"):
        assert option in result.stdout
    general = subprocess.run([str(command), "--help"], capture_output=True, text=True, timeout=30)
    assert re.search(r"^\s+serve\s+run an SMTP server", general.stdout, re.M), general.stdout


def test_maildir_written_by_the_server_is_a_maildir_for_the_store_too(serve, tmp_path):
    # Starting again on the same Maildir adds to it; the store reads back what mutt reads.
    maildir = tmp_path / "mail"
    for subject in ("one", "two"):
        server = serve("--port", "0", "--maildir", str(maildir))
        swaks(server.port, subject)
        server.expect(f"subject '{subject}'")
        assert server.stop() == 0
    stored = list(MaildirStore(maildir))
    assert [re.search(rb"Subject: (\w+)", data).group(1) for data in stored] == [b"one", b"two"]


def test_a_failed_disk_write_is_said_and_the_server_goes_on(serve, tmp_path):
    maildir = tmp_path / "mail"
    server = serve("--port", "0", "--maildir", str(maildir), "--stats-interval", "0.2")
    (maildir / "new").rmdir()
    swaks(server.port, "Lost")
    server.expect("subject 'Lost'")  # printed all the same
    server.expect(r"statistics: 1 message ")  # the error was looked for before this line
    (maildir / "new").mkdir()
    swaks(server.port, "Kept")
    server.expect("subject 'Kept'")
    assert server.stop() == 1
    assert server.stderr == (
        f"smtplibrary serve: Could not write 1 message(s) to Maildir {maildir}: "
        "FileNotFoundError: No such file or directory.\n"
    )
    assert [m["subject"] for m in mailbox.Maildir(maildir, factory=None)] == ["Kept"]


def test_without_statistics_a_failed_disk_write_is_said_while_the_server_runs(serve, tmp_path):
    maildir = tmp_path / "mail"
    server = serve("--port", "0", "--maildir", str(maildir), "--stats-interval", "0")
    (maildir / "new").rmdir()
    swaks(server.port, "Lost")
    server.expect("subject 'Lost'")
    server.expect_error(
        rf"^smtplibrary serve: Could not write 1 message\(s\) to Maildir {re.escape(str(maildir))}: FileNotFoundError"
    )
    assert server.process.poll() is None  # said, and the server goes on
    (maildir / "new").mkdir()
    swaks(server.port, "Kept")
    server.expect("subject 'Kept'")
    assert server.stop() == 1
    assert not [line for line in server.lines if re.match(r"\d\d:\d\d:\d\d statistics: ", line)]
    assert len(server.stderr.splitlines()) == 1, server.stderr
    assert [m["subject"] for m in mailbox.Maildir(maildir, factory=None)] == ["Kept"]


def plain_login(port: int) -> int:
    """The reply code to AUTH PLAIN app:s3cret on a connection without TLS."""
    with smtplib.SMTP("127.0.0.1", port, timeout=10) as client:
        client.ehlo()
        return client.docmd("AUTH", "PLAIN " + base64.b64encode(b"\0app\0s3cret").decode())[0]


def test_logins_without_tls_only_with_allow_plaintext_auth(serve):
    strict = serve("--port", "0", "--credentials", "app:s3cret")
    assert "AUTH PLAIN and LOGIN for app, over TLS only." in strict.lines
    with smtplib.SMTP("127.0.0.1", strict.port, timeout=10) as client:
        client.ehlo()
        assert not client.has_extn("auth")
    assert plain_login(strict.port) == 538
    assert strict.stop() == 0

    lenient = serve("--port", "0", "--credentials", "app:s3cret", "--allow-plaintext-auth")
    assert "AUTH PLAIN and LOGIN for app, with or without TLS." in lenient.lines
    assert plain_login(lenient.port) == 235
    login = ("--auth", "LOGIN", "--auth-user", "app", "--auth-password", "s3cret")
    swaks(lenient.port, "Plain login", options=login)
    lenient.expect("subject 'Plain login'")
    assert lenient.stop() == 0
    assert "s3cret" not in lenient.output + lenient.stderr


@pytest.mark.parametrize(
    ("option", "value", "error"),
    [
        ("--port", "70000", "invalid port '70000': expected a number from 0 to 65535"),
        ("--port", "-1", "invalid port '-1': expected a number from 0 to 65535"),
        ("--port", "smtp", "invalid port 'smtp': expected a number from 0 to 65535"),
        ("--stats-interval", "-5", "invalid interval '-5': expected seconds, 0 or more"),
        ("--stats-interval", "nan", "invalid interval 'nan': expected seconds, 0 or more"),
        ("--stats-interval", "soon", "invalid interval 'soon': expected seconds, 0 or more"),
        ("--max-messages", "-1", "invalid count '-1': expected a whole number, 0 or more"),
        ("--max-messages", "1.5", "invalid count '1.5': expected a whole number, 0 or more"),
    ],
)
def test_invalid_option_values_are_a_usage_error_and_status_2(option, value, error):
    result = subprocess.run([*SERVE, option, value], capture_output=True, text=True, timeout=30)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.splitlines()[0].startswith("usage: smtplibrary serve ")
    assert result.stderr.splitlines()[-1] == f"smtplibrary serve: error: argument {option}: {error}"


def test_starttls_and_logins_with_swaks_and_curl_verifying_the_certificate(serve, tmp_path):
    server = serve("--port", "0", "--tls", "starttls", "--credentials", "app:s3cret", "other:pa:ss")
    assert "TLS: starttls." in server.lines
    ca = next(line for line in server.lines if line.startswith("Clients can trust")).split(" in ", 1)[1][:-1]
    assert "AUTH PLAIN and LOGIN for app, other, over TLS only." in server.lines
    login = ("--auth", "PLAIN", "--auth-user", "app", "--auth-password", "s3cret")
    swaks(server.port, "Over STARTTLS", options=("--tls", "--tls-verify", "--tls-ca-path", ca, *login))
    server.expect(
        MESSAGE_LINE.format(sender="swaks@example.com", recipients="alice@example.com", subject="Over STARTTLS")
    )
    source = b"From: curl@example.com\r\nSubject: Curl over STARTTLS\r\n\r\nHello\r\n"
    curl(server.port, source, tmp_path, options=("--ssl-reqd", "--cacert", ca, "--user", "other:pa:ss"))
    server.expect("subject 'Curl over STARTTLS'")
    assert server.stop() == 0
    assert "s3cret" not in server.output + server.stderr
    assert "pa:ss" not in server.output + server.stderr


def test_implicit_tls_with_curl(serve, tmp_path):
    server = serve("--port", "0", "--tls", "implicit")
    ca = next(line for line in server.lines if line.startswith("Clients can trust")).split(" in ", 1)[1][:-1]
    source = b"From: curl@example.com\r\nSubject: Curl over SMTPS\r\n\r\nHello\r\n"
    curl(server.port, source, tmp_path, scheme="smtps", options=("--cacert", ca))
    server.expect("subject 'Curl over SMTPS'")
    assert server.stop() == 0


def test_retention_defaults_to_10000_messages_and_can_be_lifted():
    from SMTPLibrary.cli import build_parser

    assert build_parser().parse_args(["serve"]).max_messages == 10_000
    assert build_parser().parse_args(["serve", "--max-messages", "0"]).max_messages == 0
