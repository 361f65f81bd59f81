"""Tests of the newsletter with SMTPLibrary's pytest fixtures: nothing to configure."""

import mailbox

import pytest
from newsletter import send_newsletter


def test_every_subscriber_gets_the_issue(smtp_server):
    send_newsletter(["alice@example.com", "bob@example.com"], issue=7, smtp_port=smtp_server.port)

    smtp_server.wait_for_count(2)
    for address in ("alice@example.com", "bob@example.com"):
        message = smtp_server.wait_for(recipient=f"EQUALS:{address}", subject=r"Newsletter #7")
        assert f"Unsubscribe: https://example.com/u?{address}" in message.text


def test_the_old_mock_server_methods(smtp_server):
    send_newsletter(["carol@example.com"], issue=8, smtp_port=smtp_server.port)

    smtp_server.wait_for_count(1)
    (record,) = [message.as_dict() for message in smtp_server.get_messages()]
    assert record["mail_from"] == "news@example.com"
    assert record["rcpt_tos"] == ["carol@example.com"]
    assert "Subject: Newsletter #8" in record["data"]
    assert smtp_server.get_message_count() == 0


def test_nobody_else_gets_it(smtp_server):
    send_newsletter(["alice@example.com"], issue=9, smtp_port=smtp_server.port)

    smtp_server.wait_for_count(1)
    with pytest.raises(
        AssertionError, match=r"^No message matching recipient='dave@example.com' arrived in 100 milliseconds"
    ):
        smtp_server.wait_for(recipient="dave@example.com", timeout=0.1)


def test_a_server_of_our_own_with_a_maildir(smtp_server_factory, tmp_path):
    server = smtp_server_factory(maildir=tmp_path / "mail")
    send_newsletter(["erin@example.com"], issue=10, smtp_port=server.port)

    server.wait_for(recipient="erin@example.com")
    server.stop()
    assert [m["Subject"] for m in mailbox.Maildir(tmp_path / "mail", factory=None)] == ["Newsletter #10"]
