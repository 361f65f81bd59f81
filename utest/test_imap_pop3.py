import imaplib
import poplib
import socket

import pytest
from imap_support import message, needs_pymap

pytestmark = needs_pymap


@pytest.fixture
def pop(view):
    view.start_pop3()
    view.start_imap()
    return view


def connect(port, user="bob@example.com", password=None):
    client = poplib.POP3("127.0.0.1", port, timeout=5)
    client.user(user)
    client.pass_(password or user)
    return client


def test_stat_list_uidl_top_retr(pop):
    first = pop.deliver("bob@example.com", message("First", body="line 1\r\n.dot line\r\nline 3"))
    pop.deliver("bob@example.com", message("Second"))
    client = connect(pop.pop3_port)
    count, size = client.stat()
    assert count == 2 and size == len(first.raw) + len(message("Second"))
    assert client.list()[1] == [f"1 {len(first.raw)}".encode(), f"2 {len(message('Second'))}".encode()]
    uidl = client.uidl()[1]
    assert len(uidl) == 2 and uidl[0].endswith(b".101") and uidl[1].endswith(b".102")
    top = client.top(1, 1)[1]
    assert top[-2:] == [b"", b"line 1"]
    lines = client.retr(1)[1]
    assert b".dot line" in lines  # dot-stuffing undone by poplib
    assert b"\r\n".join(lines) + b"\r\n" == first.raw
    client.quit()
    pop.wait_for_flags(first, "\\Seen")  # RETR marks \Seen at QUIT, as Dovecot does
    pop.wait_for_no_flags(first, "\\Deleted")


def test_dele_commits_at_quit_and_imap_sees_it(pop):
    stored = pop.deliver("bob@example.com", message("Delete me"))
    keep = pop.deliver("bob@example.com", message("Keep me"))
    client = connect(pop.pop3_port)
    assert client.dele(1).startswith(b"+OK")
    assert client.stat()[0] == 1
    with pytest.raises(poplib.error_proto, match="Message 1 is deleted"):
        client.retr(1)
    pop.wait_in_folder(stored, "INBOX")  # nothing changes before QUIT
    client.quit()
    pop.wait_expunged(stored)
    pop.wait_for_no_flags(keep, "\\Seen")
    imap = imaplib.IMAP4("127.0.0.1", pop.imap_port)
    imap.login("bob@example.com", "bob@example.com")
    assert imap.select("INBOX")[1] == [b"1"]
    imap.logout()


def test_rset_and_dropped_connection_commit_nothing(pop):
    stored = pop.deliver("bob@example.com", message("Stays"))
    client = connect(pop.pop3_port)
    client.dele(1)
    client.rset()
    assert client.stat()[0] == 1
    client.dele(1)
    client.close()  # no QUIT: no UPDATE state
    client = connect(pop.pop3_port)
    assert client.stat()[0] == 1
    client.quit()
    pop.wait_in_folder(stored, "INBOX")


def test_capa_noop_and_errors(pop):
    pop.deliver("bob@example.com", message("x"))
    client = poplib.POP3("127.0.0.1", pop.pop3_port)
    assert client.getwelcome() == b"+OK SMTPLibrary POP3 server ready."
    caps = client.capa()
    assert {"TOP", "UIDL", "USER", "RESP-CODES"} <= set(caps) and "STLS" not in caps
    with pytest.raises(poplib.error_proto, match="-ERR Not logged in"):
        client.stat()
    with pytest.raises(poplib.error_proto, match=r"-ERR Unknown command\."):
        client._shortcmd("XYZZY")
    client.user("bob@example.com")
    with pytest.raises(poplib.error_proto, match=r"-ERR \[AUTH\] Authentication failed."):
        client.pass_("wrong")
    client.user("bob@example.com")
    client.pass_("bob@example.com")
    assert client.noop() == b"+OK"
    with pytest.raises(poplib.error_proto, match="There's no message 9"):
        client.retr(9)
    with pytest.raises(poplib.error_proto, match="Invalid message number"):
        client.retr("x")
    assert client.quit() == b"+OK Logging out."


def test_sessions_are_not_locked_and_a_vanished_message_answers_err(pop):
    pop.deliver("bob@example.com", message("x"))
    first = connect(pop.pop3_port)
    second = connect(pop.pop3_port)
    second.dele(1)
    second.quit()
    with pytest.raises(poplib.error_proto, match=r"-ERR Message 1 was expunged by another session\."):
        first.retr(1)
    first.quit()


def test_stls_and_implicit_tls(view, ca):
    stored = view.deliver("bob@example.com", message("Over TLS"))
    port = view.start_pop3(tls="starttls")
    client = poplib.POP3("localhost", port)
    assert "STLS" in client.capa()
    client.stls(context=ca.client_context())
    assert "STLS" not in client.capa()
    client.user("bob@example.com")
    client.pass_("bob@example.com")
    client.retr(1)
    client.quit()
    view.wait_for_flags(stored, "\\Seen")
    port = view.start_pop3(tls="implicit")
    client = poplib.POP3_SSL("localhost", port, context=ca.client_context())
    client.user("bob@example.com")
    client.pass_("bob@example.com")
    assert client.stat()[0] == 1
    client.quit()


def test_wrong_protocol_on_the_pop3_port(pop):
    with socket.create_connection(("127.0.0.1", pop.pop3_port)) as raw:
        raw.settimeout(3)
        stream = raw.makefile("rb")
        assert stream.readline().startswith(b"+OK")
        raw.sendall(b"a1 CAPABILITY\r\n")  # an IMAP client
        assert stream.readline() == b"-ERR Unknown command.\r\n"
        raw.sendall(b"EHLO client.test\r\n")  # an SMTP client
        assert stream.readline() == b"-ERR Unknown command.\r\n"
        raw.sendall(b"x" * 2000 + b"\r\n")
        assert stream.readline() == b"-ERR Line too long.\r\n"
        assert stream.readline() == b""  # closed
    with pytest.raises(imaplib.IMAP4.error):  # imaplib: "+OK ..." is no IMAP greeting
        imaplib.IMAP4("127.0.0.1", pop.pop3_port, timeout=3)
