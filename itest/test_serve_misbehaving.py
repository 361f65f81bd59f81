"""`smtplibrary serve` misbehaving on purpose: the guide's example prints what docs/cli.md shows and
does what it says; hidden extensions, TLS versions and stalls reach the standalone server too."""

from __future__ import annotations

import smtplib
import ssl

from serve_process import SERVE, ServeProcess
from test_user_guides import DOC_PORT, assert_lines_match, blocks, free_port, shell_command

SOURCE = b"From: app@example.com\r\nSubject: Hello\r\n\r\nHello.\r\n" + b"A line of the message.\r\n" * 50


def attempt(port: int, **client) -> str:
    try:
        with smtplib.SMTP("127.0.0.1", port, local_hostname="app.test", **{"timeout": 10, **client}) as smtp:
            smtp.sendmail("app@example.com", ["bob@example.com"], SOURCE)
    except smtplib.SMTPRecipientsRefused as refused:
        return str(refused.recipients["bob@example.com"][0])
    except smtplib.SMTPResponseException as refused:
        return str(refused.smtp_code)
    return "250"


def test_the_guides_misbehaving_server_prints_and_does_what_the_guide_says():
    (example,) = [code for info, code, _ in blocks("cli.md") if info == "text" and "--chaos" in code]
    command, *expected = example.splitlines()
    port = free_port()
    server = ServeProcess(*shell_command(command.removeprefix("$ "), port)[len(SERVE) :])
    try:
        server.expect("Ctrl\\+C stops")
        assert_lines_match(server.lines, expected, **{DOC_PORT: port})
        outcomes = [attempt(int(port)) for _ in range(11)]
        with smtplib.SMTP("127.0.0.1", int(port), timeout=10) as client:
            client.ehlo()
            assert not client.has_extn("pipelining")
    finally:
        assert server.stop() == 0
    # As the guide says, word for word: the two refusals, the chaos of seed 42, then the rate limit.
    assert ", ".join(outcomes[:10]) == "451, 451, 250, 451, 250, 250, 250, 250, 250, 451"
    assert outcomes[10] == "421"


def test_tls_versions_and_a_stall_on_the_standalone_server():
    server = ServeProcess(
        "--port", "0", "--tls", "starttls", "--tls-max-version", "TLSv1.2", "--stall", "100:0.2:continue"
    ).started()
    try:
        ca = next(line for line in server.lines if line.startswith("Clients can trust")).split(" in ", 1)[1][:-1]
        assert "TLS versions: any to TLSv1.2." in server.lines
        assert "Fault: stall after 100 bytes of message data for 200 milliseconds, then read on, until cleared." in (
            server.lines
        )
        with smtplib.SMTP("127.0.0.1", server.port, timeout=10) as client:
            client.starttls(context=ssl.create_default_context(cafile=ca))
            assert client.sock.version() == "TLSv1.2"
            client.sendmail("app@example.com", ["bob@example.com"], SOURCE)
        server.expect("from app@example.com to bob@example.com, subject 'Hello'")
    finally:
        assert server.stop() == 0


def test_a_value_the_core_refuses_is_one_line_and_status_2():
    server = ServeProcess("--port", "0", "--rate-limit", "10/1m:421:ip")
    assert server.wait() == 2
    assert server.stderr == "smtplibrary serve: scope must be one of connection, sender, server, got 'ip'.\n"
