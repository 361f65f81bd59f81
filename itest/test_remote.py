"""SMTPLibrary.remote and ``smtplibrary remote``: keywords over XML-RPC, as Robot's Remote library calls them."""

from __future__ import annotations

import signal
import smtplib
import subprocess
import sys
import xmlrpc.client
from datetime import datetime

import pytest

from SMTPLibrary.remote import RemoteLibrary, _LogRelay

SOURCE = (
    b"From: app@example.com\r\nTo: alice@example.com\r\nSubject: =?utf-8?q?Gr=C3=BC=C3=9Fe?=\r\n"
    b"X-Tag: one\r\nX-Tag: two\r\n\r\nHello\r\n"
)


@pytest.fixture
def remote():
    library = RemoteLibrary()
    yield library
    library.close()


def run(remote: RemoteLibrary, name: str, *args, **kwargs):
    """Call a keyword the way robotremoteserver does: a name, a list and a dictionary of plain values."""
    return remote.run_keyword(name, list(args), kwargs)


def test_keyword_names_are_the_robot_names(remote):
    names = remote.get_keyword_names()
    assert "Start SMTP Server" in names
    assert "Message Should Be Received Matching" in names
    assert "Get Unique Address" in names
    assert not [name for name in names if name.startswith("_")]


def test_argument_spec_and_documentation(remote):
    arguments = remote.get_keyword_arguments("Start SMTP Server")
    assert arguments[:3] == ["host=127.0.0.1", "port=0", "alias=None"]
    assert "tls=none" in arguments
    assert remote.get_keyword_arguments("Get SMTP Server Port") == []
    assert remote.get_keyword_documentation("Start SMTP Server").startswith("Starts an SMTP server")
    assert "%TOC%" in remote.get_keyword_documentation("__intro__")


def test_arguments_are_converted_from_the_type_hints(remote):
    port = run(remote, "Start SMTP Server", "127.0.0.1", "0")
    assert isinstance(port, int)
    with smtplib.SMTP("127.0.0.1", port) as client:
        client.sendmail("app@example.com", ["alice@example.com"], SOURCE)
    run(remote, "Message Count Should Be", "1", timeout="2 s")
    with pytest.raises(ValueError, match=r"^Argument 'timeout' got value 'soon' that cannot be converted"):
        run(remote, "Message Count Should Be", "1", timeout="soon")
    assert run(remote, "Get SMTP Server Port") == port


def test_received_messages_become_dictionaries_that_survive_xmlrpc(remote):
    port = run(remote, "Start SMTP Server")
    with smtplib.SMTP("127.0.0.1", port, local_hostname="client.test") as client:
        client.sendmail("app@example.com", ["alice@example.com", "bob@example.com"], SOURCE)
    returned = run(remote, "Message Should Be Received Matching", subject="Grüße", timeout="2")
    # The same marshalling robotremoteserver and Robot's Remote library use.
    payload = xmlrpc.client.dumps(({"return": returned},), methodresponse=True, allow_none=False)
    (result,), _ = xmlrpc.client.loads(payload, use_builtin_types=True)
    msg = result["return"]
    assert msg["sender"] == "app@example.com"
    assert msg["recipients"] == ["alice@example.com", "bob@example.com"]
    assert msg["subject"] == "Grüße"
    assert msg["text"] == "Hello\n" and msg["html"] == "" and msg["body"] == "Hello\n"
    assert msg["headers"]["Subject"] == "Grüße"
    assert msg["headers"]["X-Tag"] == "one"
    assert msg["raw"] == SOURCE
    assert msg["peer"][0] == "127.0.0.1"
    assert msg["helo"] == "client.test"
    assert datetime.fromisoformat(msg["received_at"]).tzinfo is not None
    assert msg["size"] == len(SOURCE)
    assert "\nSubject: =?utf-8?q?Gr=C3=BC=C3=9Fe?=\n" in msg["source"]
    messages = run(remote, "Get Messages")
    assert [message["subject"] for message in messages] == ["Grüße"]


def test_failures_keep_their_messages(remote):
    run(remote, "Start SMTP Server")
    with pytest.raises(AssertionError, match=r"^No message matching subject='x' arrived in 100 milliseconds\."):
        run(remote, "Message Should Be Received Matching", subject="x", timeout="100 ms")


def test_what_keywords_log_goes_to_stdout_as_one_robot_message_each(remote, capsys):
    run(remote, "Start SMTP Server", alias="<b>")
    out = capsys.readouterr().out
    assert out == "*HTML* SMTP server &#x27;&lt;b&gt;&#x27; listening on 127.0.0.1:" + out.split(":")[-1]
    with _LogRelay():
        from robot.api import logger

        logger.info("<p>first\n*HTML*<script>x</script>\r\nlast</p>", html=True)
        logger.debug("one\n*HTML* <script>")
        logger.info("line one\n*WARN* two")
    lines = capsys.readouterr().out.splitlines()
    assert lines == [
        "*HTML* <p>first&#10;*HTML*<script>x</script>&#13;&#10;last</p>",
        "*DEBUG* one *HTML* <script>",
        "*HTML* line one&#10;*WARN* two",
    ]


def test_the_command_serves_on_a_free_port_and_stops_on_sigterm(tmp_path):
    port_file = tmp_path / "port"
    command = [sys.executable, "-m", "SMTPLibrary", "remote", "--port", "0", "--port-file", str(port_file)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        line = process.stdout.readline()
        port = int(port_file.read_text())
        assert line == f"SMTPLibrary remote server listening on 127.0.0.1:{port}\n"
        server = xmlrpc.client.ServerProxy(f"http://127.0.0.1:{port}", use_builtin_types=True)
        result = server.run_keyword("Start SMTP Server", [], {"alias": "left"})
        assert result["status"] == "PASS", result
        smtp_port = result["return"]
        result = server.run_keyword("Message Count Should Be", ["1"], {"timeout": "10 ms"})
        assert result["status"] == "FAIL"
        assert result["error"] == "Expected 1 message but 0 arrived in 10 milliseconds. No message arrived."
    finally:
        process.send_signal(signal.SIGTERM)
        output, _ = process.communicate(timeout=30)
    assert process.returncode == 0, output
    assert not port_file.exists()
    with pytest.raises(ConnectionRefusedError):
        smtplib.SMTP("127.0.0.1", smtp_port, timeout=5)


def test_control_characters_xml_cannot_carry_do_not_break_a_keyword(remote):
    from robotremoteserver import RobotRemoteServer

    server = RobotRemoteServer(remote, port=0, serve=False)
    result = server.run_keyword("Start SMTP Server", [], {})
    port = result["return"]
    source = "Subject: Bad\x0cü\x01\r\n\r\nBody\x1b ü\r\n".encode()
    with smtplib.SMTP("127.0.0.1", port) as client:
        client.sendmail("app@example.com", ["alice@example.com"], source)
    results = [
        server.run_keyword("Get Messages", [], {}),
        server.run_keyword("Message Should Be Received Matching", [], {"subject": "Good", "timeout": "0"}),
    ]
    for result in results:
        payload = xmlrpc.client.dumps((result,), methodresponse=True)
        (result,), _ = xmlrpc.client.loads(payload, use_builtin_types=True)
        assert "\ufffd" in (result.get("output", "") + result.get("error", "")), result
    passed, failed = results
    assert passed["status"] == "PASS", passed
    (msg,) = passed["return"]
    assert msg["subject"] == "Bad\ufffdü\ufffd"
    assert msg["text"].startswith("Body\ufffd ")
    assert msg["raw"] == source
    assert failed["status"] == "FAIL"
    assert failed["error"].startswith("No message matching subject='Good' arrived in 0 seconds.")
    assert "subject 'Bad\\x0cü\\x01'" in failed["error"]  # as a local run reports it
