import imaplib
import poplib
import smtplib

import pytest
from imap_support import message, needs_pymap

from SMTPLibrary.core.imap.users import InvalidUser, MailUsers

pytestmark = needs_pymap


def test_recipient_logs_in_with_address_as_password():
    users = MailUsers()
    users.note_recipient("Bob@Example.com")
    assert users.authenticate("bob@example.com", "bob@example.com") == "bob@example.com"
    assert users.authenticate("BOB@example.com", "bob@example.com") == "bob@example.com"
    assert users.authenticate("bob@example.com", "wrong") is None


def test_unknown_login_is_refused_and_creates_nothing():
    users = MailUsers()
    assert users.authenticate("eve@example.com", "eve@example.com") is None
    assert users.addresses() == []


def test_added_user_uses_its_password_only():
    users = MailUsers()
    users.note_recipient("bob@example.com")
    users.add("bob@example.com", "s3cret", login="bob")
    assert users.authenticate("bob", "s3cret") == "bob@example.com"
    assert users.authenticate("bob@example.com", "bob@example.com") is None
    assert users.authenticate("bob", "S3CRET") is None


def test_strict_rule_only_added_users():
    users = MailUsers(recipients_can_log_in=False)
    users.note_recipient("bob@example.com")
    assert users.authenticate("bob@example.com", "bob@example.com") is None
    users.add("bob@example.com", "pw")
    assert users.authenticate("bob@example.com", "pw") == "bob@example.com"


def test_login_belongs_to_one_user():
    users = MailUsers()
    users.add("a@example.com", "pw", login="shared")
    with pytest.raises(InvalidUser, match=r"already belongs to a@example\.com"):
        users.add("b@example.com", "pw", login="shared")


@pytest.mark.parametrize("bad", ["", "  ", "a b@example.com", None])
def test_bad_addresses(bad):
    with pytest.raises(InvalidUser):
        MailUsers().add(bad, "pw")


def test_failed_imap_and_pop3_logins_create_no_account(view):
    imap_port, pop3_port = view.start_imap(), view.start_pop3()
    view.deliver("bob@example.com", message("One"))
    for login, password in [("bob@example.com", "wrong"), ("eve@example.com", "eve@example.com")]:
        client = imaplib.IMAP4("127.0.0.1", imap_port)
        with pytest.raises(imaplib.IMAP4.error, match=r"AUTHENTICATIONFAILED"):
            client.login(login, password)
        client.logout()
        pop = poplib.POP3("127.0.0.1", pop3_port)
        pop.user(login)
        with pytest.raises(poplib.error_proto, match=r"-ERR \[AUTH\] Authentication failed"):
            pop.pass_(password)
        pop.quit()
    assert view.mail_view.users.addresses() == ["bob@example.com"]
    assert view.mailbox_folders("eve@example.com") == []


def test_release_removes_only_the_owners_users_and_a_recipient_falls_back_to_its_rule():
    users = MailUsers()
    suite, test = object(), object()
    users.note_recipient("bob@example.com")
    users.add("support@example.com", "s3cret", login="support", owner=suite)
    users.add("bob@example.com", "pw", owner=test)
    assert users.release(test) == ["bob@example.com"]
    assert users.authenticate("bob@example.com", "pw") is None
    assert users.authenticate("bob@example.com", "bob@example.com") == "bob@example.com"
    assert users.authenticate("support", "s3cret") == "support@example.com"
    assert users.release(suite) == ["support@example.com"]
    assert users.authenticate("support", "s3cret") is None


def test_a_recipient_that_cannot_be_a_mail_user_is_skipped_and_the_others_get_the_message(view):
    port = view.start_imap()
    with smtplib.SMTP("127.0.0.1", view.port) as client:
        client.sendmail("app@example.com", ['"john doe"@example.com', "bob@example.com"], message("Quoted"))
    stored = view.mailbox.messages()[0]
    states = view.wait_in_folder(stored, "INBOX", timeout=5)
    assert [state.user for state in states] == ["bob@example.com"]
    view.check()  # nothing was recorded as an error
    reader = imaplib.IMAP4("127.0.0.1", port)
    reader.login("bob@example.com", "bob@example.com")
    assert reader.select("INBOX") == ("OK", [b"1"])
    reader.logout()
