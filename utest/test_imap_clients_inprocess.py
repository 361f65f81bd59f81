import asyncio
import imaplib
import smtplib
import socket
import time

import aioimaplib
import pytest
from imap_support import message, needs_pymap

pytestmark = needs_pymap


def login(port, user="bob@example.com", password=None, **kw):
    client = imaplib.IMAP4("127.0.0.1", port, **kw)
    client.login(user, password or user)
    return client


def send(smtp, recipients, subject, to="bob@example.com"):
    with smtplib.SMTP("127.0.0.1", smtp.port) as client:
        client.sendmail("app@example.com", recipients, message(subject, to=to))


def test_captured_mail_is_in_each_recipients_inbox_bcc_only_their_copy(view, smtp, mailbox):
    port = view.start_imap()
    send(smtp, ["bob@example.com", "carol@example.com", "hidden@example.com"], "Team news")
    send(smtp, ["carol@example.com"], "Only Carol", to="carol@example.com")
    stored = mailbox.messages()[0]
    assert [s.user for s in view.mail_view.state(stored)] == [
        "bob@example.com",
        "carol@example.com",
        "hidden@example.com",
    ]
    for user, count in [("bob@example.com", 1), ("carol@example.com", 2), ("hidden@example.com", 1)]:
        client = login(port, user)
        _typ, data = client.select("INBOX", readonly=True)
        assert data == [str(count).encode()], user
        client.logout()


def test_list_fetch_flag_move_delete_and_the_view_sees_it(view, smtp, mailbox):
    port = view.start_imap()
    send(smtp, ["bob@example.com"], "Invoice 1")
    send(smtp, ["bob@example.com"], "Invoice 2")
    first, second = mailbox.messages()
    client = login(port)
    assert client.list()[1][0] == b'(\\HasNoChildren) "/" INBOX'
    client.select("INBOX")
    typ, data = client.fetch("1:2", "(UID BODY.PEEK[HEADER.FIELDS (SUBJECT)])")
    assert b"Invoice 1" in data[0][1] and b"Invoice 2" in data[2][1]
    view.wait_for_no_flags(first, "\\Seen")
    client.fetch("1", "(BODY[])")
    view.wait_for_flags(first, "\\Seen")
    client.store("2", "+FLAGS", "(\\Flagged $Processed)")
    view.wait_for_flags(second, "\\Flagged", "$Processed")
    client.create("Done")
    typ, data = client.uid("MOVE", "101", "Done")
    assert typ == "OK"
    view.wait_in_folder(first, "Done")
    client.store("1", "+FLAGS", "(\\Deleted)")  # the second is now number 1
    with pytest.raises(AssertionError, match=r"not expunged .*\\Deleted is set"):
        view.wait_expunged(second, timeout=0.2)
    client.expunge()
    view.wait_expunged(second)
    assert view.mailbox_folders("bob@example.com") == ["INBOX", "Done"]
    client.logout()


def converse(port, *commands):
    """Send raw IMAP commands; returns every line the server sent."""
    with socket.create_connection(("127.0.0.1", port)) as raw:
        raw.settimeout(3)
        stream = raw.makefile("rb")
        lines = [stream.readline()]
        for number, command in enumerate(commands):
            tag = f"t{number}".encode()
            raw.sendall(tag + b" " + command + b"\r\n")
            while not (line := stream.readline()).startswith(tag):
                lines.append(line)
            lines.append(line)
        return lines


def test_uidplus_answers(view):
    port = view.start_imap()
    view.deliver("bob@example.com", message("Uid"))
    lines = converse(
        port,
        b"LOGIN bob@example.com bob@example.com",
        b"CREATE X",
        b"SELECT INBOX",
        b"UID COPY 101 X",
        b"UID MOVE 101 X",
        b"APPEND X {5+}\r\nHi\r\n",
        b"LOGOUT",
    )
    text = b"".join(lines)
    assert b"t3 OK [COPYUID " in text and b" 101 101] UID COPY completed." in text
    assert b"[COPYUID " in text and b" 101 102]" in text  # MOVE: untagged OK with COPYUID
    assert b"t5 OK [APPENDUID " in text


def test_reset_removes_created_folders_empties_inbox_and_clients_see_expunge(view, smtp, mailbox):
    port = view.start_imap()
    send(smtp, ["bob@example.com"], "Before reset")
    client = login(port)
    client.create("Keep")
    client.select("INBOX")
    client.copy("1", "Keep")
    mailbox.reset()
    client.noop()
    assert client.untagged_responses.get("EXPUNGE") == [b"1"]
    assert client.select("Keep")[1] == [b"[NONEXISTENT] Mailbox does not exist."]  # folders clients made go
    assert view.mailbox_folders("bob@example.com") == ["INBOX"]
    send(smtp, ["bob@example.com"], "After reset")
    assert client.select("INBOX")[1] == [b"1"]  # a logged-in client sees new mail after a reset
    client.logout()


@pytest.mark.parametrize("mode", ["starttls", "implicit"])
def test_tls(view, ca, mode):
    port = view.start_imap(tls=mode)
    stored = view.deliver("bob@example.com", message("Secret"))
    if mode == "implicit":
        client = imaplib.IMAP4_SSL("localhost", port, ssl_context=ca.client_context())
    else:
        client = imaplib.IMAP4("localhost", port)
        assert "STARTTLS" in client.capabilities
        client.starttls(ssl_context=ca.client_context())
    client.login("bob@example.com", "bob@example.com")
    client.select("INBOX")
    client.store("1", "+FLAGS", "(\\Answered)")
    view.wait_for_flags(stored, "\\Answered")
    client.logout()


def test_login_failures_answer_like_a_server(view):
    port = view.start_imap()
    view.deliver("bob@example.com", message("x"))
    client = imaplib.IMAP4("127.0.0.1", port)
    with pytest.raises(imaplib.IMAP4.error) as failure:
        client.login("bob@example.com", "nope")
    assert "[AUTHENTICATIONFAILED] Invalid authentication credentials." in str(failure.value)
    client.logout()


def test_wrong_protocol_on_the_imap_port(view):
    port = view.start_imap()
    with socket.create_connection(("127.0.0.1", port)) as raw:
        raw.settimeout(3)
        greeting = raw.recv(1000)
        assert greeting.startswith(b"* OK")
        raw.sendall(b"EHLO client.test\r\n")  # an SMTP client
        assert raw.recv(1000).startswith(b"EHLO BAD")
        raw.sendall(b"USER bob\r\n")  # a POP3 client
        assert raw.recv(1000).startswith(b"USER BAD")
    with pytest.raises(smtplib.SMTPConnectError, match=r"-1.*IMAP4rev1"):  # what smtplib says to any non-SMTP greeting
        smtplib.SMTP("127.0.0.1", port, timeout=3)


def test_idle_sees_exists_after_a_delivery(view, smtp):
    port = view.start_imap()

    async def scenario():
        client = aioimaplib.IMAP4(host="127.0.0.1", port=port, timeout=5)
        await client.wait_hello_from_server()
        await client.login("bob@example.com", "bob@example.com")
        await client.select("INBOX")
        idle = await client.idle_start(timeout=5)
        loop = asyncio.get_running_loop()
        started = time.perf_counter()
        await loop.run_in_executor(None, send, smtp, ["bob@example.com"], "Pushed")
        pushed = await client.wait_server_push()
        elapsed = time.perf_counter() - started
        client.idle_done()
        await asyncio.wait_for(idle, 5)
        await client.logout()
        return pushed, elapsed

    view.mail_view.users.note_recipient("bob@example.com")  # log in before any mail arrived
    pushed, elapsed = asyncio.run(scenario())
    assert any(line.endswith(b"EXISTS") for line in pushed), pushed
    print(f"IDLE EXISTS {elapsed * 1000:.1f} ms after sendmail returned")
