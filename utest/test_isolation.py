"""core.isolation: what each test starts from, when servers stop, unique addresses."""

from __future__ import annotations

import re
import smtplib

import pytest

from SMTPLibrary.core import InvalidArgument, SMTPServer, StorageError
from SMTPLibrary.core.mail.message import ReceivedMessage
from SMTPLibrary.core.runs.isolation import Isolation, check_auto_reset, reset_for_next_test, unique_address
from SMTPLibrary.core.runs.registry import ServerRegistry


def mail(subject: str = "Hello") -> ReceivedMessage:
    return ReceivedMessage(f"Subject: {subject}\r\n\r\nHi\r\n".encode(), "a@example.com", ["b@example.com"])


@pytest.fixture
def servers():
    registry = ServerRegistry()
    yield registry
    registry.stop_all()


def start(registry: ServerRegistry, alias: str | None = None) -> SMTPServer:
    server = SMTPServer()
    server.start()
    registry.add(server, alias)
    return server


@pytest.mark.parametrize(("value", "mode"), [("test", "test"), ("SUITE", "suite"), (" none ", "none")])
def test_auto_reset_modes(value, mode):
    assert check_auto_reset(value) == mode


def test_a_wrong_auto_reset_names_the_argument_and_the_choices():
    with pytest.raises(InvalidArgument, match=r"^auto_reset must be 'test', 'suite' or 'none', got 'tests'\.$"):
        Isolation(ServerRegistry(), "tests")


def test_reset_for_next_test_empties_the_mailbox():
    server = SMTPServer()
    server.mailbox.add(mail())
    reset_for_next_test(server)
    assert server.mailbox.count() == 0


def test_reset_for_next_test_clears_mail_transcript_statistics_and_faults():
    with SMTPServer() as server, smtplib.SMTP("127.0.0.1", server.port, timeout=10) as client:
        client.sendmail("a@example.com", ["b@example.com"], b"Subject: one\r\n\r\nx\r\n")
        server.faults.reply("RCPT", 451, count=0)
        reset_for_next_test(server)
        assert server.mailbox.count() == 0
        assert server.transcript.sessions() == []
        assert server.stats.snapshot().messages == 0
        assert server.faults.rules == []


def lose_the_maildir(server: SMTPServer, maildir) -> None:
    """Leave an error pending for the next check: a message the server cannot write to disk."""
    (maildir / "new").rmdir()
    with smtplib.SMTP("127.0.0.1", server.port, timeout=10) as client:
        client.sendmail("a@example.com", ["b@example.com"], b"Subject: lost\r\n\r\nx\r\n")
    assert server.flush(10)


def test_a_pending_error_neither_stops_the_fresh_start_nor_gets_lost(servers, tmp_path):
    isolation = Isolation(servers, "test")
    isolation.start("suite", "s1")
    broken = SMTPServer(maildir=tmp_path / "mail")
    broken.start()
    servers.add(broken, "broken")
    other = start(servers, "other")
    lose_the_maildir(broken, tmp_path / "mail")
    for server in (broken, other):
        server.faults.reply("RCPT", 451, count=0)
    other.mailbox.add(mail())

    isolation.start("test", "s1-t1")  # the listener: nothing may escape it

    assert broken.mailbox.count() == other.mailbox.count() == 0
    assert broken.faults.rules == other.faults.rules == []
    test_server = start(servers, "in-test")
    isolation.end("test", "s1-t1")
    assert not test_server.running, "the server started in the test outlived it"
    # The error is still there for the test's first keyword.
    with pytest.raises(StorageError, match=r"^Could not write 1 message to Maildir "):
        broken.check()


def test_clear_never_raises_and_keeps_faults_unless_asked(tmp_path):
    with SMTPServer(maildir=tmp_path / "mail") as server:
        lose_the_maildir(server, tmp_path / "mail")
        server.faults.reply("RCPT", 451, count=0)
        server.clear()
        assert server.mailbox.count() == 0 and len(server.faults.rules) == 1
        server.clear(faults=True)
        assert server.faults.rules == []
        with pytest.raises(StorageError):
            server.check()


def test_the_api_reset_reports_a_pending_error_first(tmp_path):
    with SMTPServer(maildir=tmp_path / "mail") as server:
        lose_the_maildir(server, tmp_path / "mail")
        with pytest.raises(StorageError):
            server.reset()
        (tmp_path / "mail" / "new").mkdir()
        server.reset()
        assert server.get_message_count() == 0


def test_test_mode_empties_every_server_when_a_test_starts(servers):
    isolation = Isolation(servers, "test")
    isolation.start("suite", "s1")
    first, second = start(servers, "first"), start(servers, "second")
    first.mailbox.add(mail())
    second.mailbox.add(mail())
    isolation.start("test", "s1-t1")
    assert first.mailbox.count() == second.mailbox.count() == 0


def test_test_mode_stops_a_test_server_at_test_end_and_restores_the_current_one(servers):
    isolation = Isolation(servers, "test")
    isolation.start("suite", "s1")
    suite_server = start(servers, "suite")
    isolation.start("test", "s1-t1")
    test_server = start(servers, "in-test")
    assert servers.current_alias == "in-test"
    isolation.end("test", "s1-t1")
    assert not test_server.running
    assert suite_server.running
    assert servers.current_alias == "suite"
    assert [*servers] == [suite_server]
    isolation.end("suite", "s1")
    assert not suite_server.running
    assert len(servers) == 0


def test_suite_mode_keeps_mail_and_servers_across_tests(servers):
    isolation = Isolation(servers, "suite")
    isolation.start("suite", "s1")
    isolation.start("test", "s1-t1")
    server = start(servers)
    server.mailbox.add(mail())
    isolation.end("test", "s1-t1")
    isolation.start("test", "s1-t2")
    assert server.running and server.mailbox.count() == 1
    isolation.end("test", "s1-t2")
    isolation.end("suite", "s1")
    assert not server.running


def test_suite_mode_empties_outer_servers_when_a_suite_starts(servers):
    isolation = Isolation(servers, "suite")
    isolation.start("suite", "s1")
    outer = start(servers)
    outer.mailbox.add(mail())
    isolation.start("test", "s1-t1")
    assert outer.mailbox.count() == 1
    isolation.end("test", "s1-t1")
    isolation.start("suite", "s1-s1")
    assert outer.mailbox.count() == 0


def test_none_mode_neither_empties_nor_stops(servers):
    isolation = Isolation(servers, "none")
    isolation.start("suite", "s1")
    isolation.start("test", "s1-t1")
    server = start(servers)
    server.mailbox.add(mail())
    isolation.end("test", "s1-t1")
    isolation.end("suite", "s1")
    assert server.running and server.mailbox.count() == 1


def test_an_end_without_its_start_is_ignored(servers):
    isolation = Isolation(servers, "test")
    server = start(servers)
    isolation.end("test", "s1-t1")
    isolation.end("suite", "s1")
    assert server.running


def test_servers_forgotten_by_stop_all_are_no_trouble_at_test_end(servers):
    isolation = Isolation(servers, "test")
    isolation.start("test", "t1")
    start(servers)
    servers.stop_all()
    later = start(servers)
    isolation.end("test", "t1")
    assert not later.running


def test_unique_address_is_stable_within_a_test_and_differs_between_tests(servers):
    isolation = Isolation(servers)
    isolation.start("test", "t1")
    first = isolation.unique_address()
    assert re.fullmatch(r"test\.[0-9a-f]{12}@example\.test", first)
    assert isolation.unique_address() == first
    assert isolation.unique_address("alice", "mail.example.org").startswith("alice." + first[5:18])
    isolation.end("test", "t1")
    isolation.start("test", "t2")
    assert isolation.unique_address() != first


def test_unique_address_outside_a_test_is_new_on_every_call(servers):
    isolation = Isolation(servers)
    assert isolation.unique_address() != isolation.unique_address()


def test_a_unique_address_matches_itself_as_a_regular_expression():
    address = unique_address("0123456789ab", "first.last-1_x", "sub.example-1.test")
    assert re.fullmatch(address, address)


@pytest.mark.parametrize("name", ["a+b", "a*", "(x)", "", "a.", ".a", "a b", "a@b"])
def test_unsafe_names_are_refused(name):
    with pytest.raises(InvalidArgument, match=r"^name may hold only"):
        unique_address("0123", name=name)


@pytest.mark.parametrize("domain", ["example.test?", "ex_ample.test", "", "[::1]", "a..b"])
def test_unsafe_domains_are_refused(domain):
    with pytest.raises(InvalidArgument, match=r"^domain may hold only"):
        unique_address("0123", domain=domain)
