import imaplib
import threading
import time

import pytest
from imap_support import message, needs_pymap

import SMTPLibrary.core
from SMTPLibrary.core.imap import FlagsMismatch, FolderMismatch, NotExpunged
from SMTPLibrary.core.imap.copies import InvalidFlag, normalise_flag
from SMTPLibrary.core.imap.deliver import InvalidMessage, delivered

pytestmark = needs_pymap


def test_wait_wakes_on_the_change_not_on_a_poll(view):
    port = view.start_imap()
    stored = view.deliver("bob@example.com", message("Async"))
    client = imaplib.IMAP4("127.0.0.1", port)
    client.login("bob@example.com", "bob@example.com")
    client.select("INBOX")
    marked = {}

    def later():
        time.sleep(0.3)  # the application, working asynchronously
        marked["at"] = time.perf_counter()
        client.store("1", "+FLAGS", "(\\Seen)")

    worker = threading.Thread(target=later)
    worker.start()
    view.wait_for_flags(stored, "\\seen", timeout=3)
    woke = time.perf_counter()
    worker.join()  # the client is the worker's until its STORE is answered
    assert woke - marked["at"] < 0.05
    client.logout()


def test_failure_texts(view):
    view.start_imap()
    a = view.deliver("bob@example.com", message("Report"))
    with pytest.raises(FlagsMismatch) as failure:
        view.wait_for_flags(a, "\\Seen", timeout=0.1)
    assert (
        str(failure.value) == "Message #1 'Report' did not get \\Seen in 100 milliseconds: "
        "for bob@example.com it is in INBOX with no flags."
    )
    assert failure.value.states[0].places[0].folder == "INBOX"
    with pytest.raises(
        FolderMismatch,
        match=r"^Message #1 'Report' to bob@example.com was not in folder 'Done' "
        r"after 100 milliseconds: it is in INBOX with no flags.$",
    ):
        view.wait_in_folder(a, "Done", timeout=0.1, user="BOB@example.com")
    with pytest.raises(FolderMismatch, match=r"it was not delivered to eve@example\.com"):
        view.wait_in_folder(a, "INBOX", timeout=5, user="eve@example.com")  # at once, not after 5 s
    with pytest.raises(NotExpunged, match="it never reached the IMAP view"):
        view.wait_expunged(SMTPLibrary.core.ReceivedMessage(b"Subject: x\r\n\r\n", "a@x", ["b@x"]), timeout=0.1)
    view.wait_for_no_flags(a, "\\Seen", "\\Deleted")
    view.wait_in_folder(a, "inbox")
    assert FlagsMismatch.ROBOT_SUPPRESS_NAME and issubclass(FlagsMismatch, AssertionError)


def test_flags_are_checked():
    assert normalise_flag("\\FLAGGED") == "\\Flagged"
    assert normalise_flag("$Junk") == "$Junk"
    with pytest.raises(InvalidFlag, match="not an IMAP system flag"):
        normalise_flag("\\Important")
    with pytest.raises(InvalidFlag, match="cannot be an IMAP keyword"):
        normalise_flag("two words")


def test_deliver_text_bytes_and_files(view, tmp_path, mailbox):
    view.start_imap()
    text = view.deliver("bob@example.com", "From: a@x.test\nSubject: Text\n\nbody\n")
    assert text.raw == b"From: a@x.test\r\nSubject: Text\r\n\r\nbody\r\n" and text.sender == "a@x.test"
    eml = tmp_path / "m.eml"
    eml.write_bytes(message("From file"))
    from_path = view.deliver("bob@example.com", str(eml), sender="other@x.test")
    assert from_path.subject == "From file" and from_path.sender == "other@x.test"
    again = view.deliver("carol@example.com", from_path)
    assert again.raw == from_path.raw and again.recipients == ["carol@example.com"]
    assert mailbox.messages() == [text, from_path, again]  # in the one store: waits and Get Messages see it
    assert [m.flags for m in view.mail_view.folder_messages("bob@example.com")] == [frozenset(), frozenset()]
    with pytest.raises(InvalidMessage, match="neither an existing file nor the text of a message"):
        view.deliver("bob@example.com", "no/such/file.eml")


def test_view_started_after_mail_arrived_files_it(view):
    early = view.deliver("bob@example.com", message("Early"))
    view.start_imap()
    view.wait_in_folder(early, "INBOX", timeout=0)


def test_the_waits_and_deliver_take_the_dictionary_a_remote_keyword_returned(view):
    from SMTPLibrary.core.mail import message_fields
    from SMTPLibrary.remote import to_remote

    view.start_imap()
    stored = view.deliver("bob@example.com", message("Remote"))
    fields = to_remote(message_fields(stored))
    view.wait_in_folder(fields, "INBOX", timeout=0)
    again = view.deliver("carol@example.com", fields)
    assert again.raw == stored.raw
    with pytest.raises(SMTPLibrary.core.InvalidArgument, match=r"Message #99 is not in the mailbox"):
        view.wait_in_folder({**fields, "seq": 99}, "INBOX", timeout=0)


def test_a_port_in_use_is_said_with_its_address(view):
    port = view.start_imap()
    with pytest.raises(SMTPLibrary.core.ServerError, match=rf"^Cannot start the POP3 server on 127\.0\.0\.1:{port}: "):
        view.start_pop3(port=port)


def test_a_port_in_use_is_said_as_the_smtp_server_says_it(view):
    port = view.start_pop3()
    with pytest.raises(SMTPLibrary.core.ServerError, match=r": the port is already in use\.$"):
        view.start_imap(port=port)


@pytest.mark.parametrize(
    ("arguments", "text"),
    [
        ({"port": 70000}, "port must be a number from 0 (a free port) to 65535, got 70000."),
        ({"port": True}, "port must be a number from 0 (a free port) to 65535, got True."),
        ({"tls": "ssl"}, "tls must be one of none, starttls, implicit, got 'ssl'."),
    ],
)
def test_port_and_tls_are_checked_as_for_the_smtp_server(view, arguments, text):
    for start in (view.start_imap, view.start_pop3, SMTPLibrary.core.SMTPServer):
        with pytest.raises(SMTPLibrary.core.InvalidArgument) as failure:
            start(**arguments)
        assert str(failure.value) == text


@pytest.mark.parametrize(
    ("head", "sender"),
    [
        (b"From:\r\n alice@example.com\r\n", "alice@example.com"),  # folded before the address
        (b"From: Alice Example\r\n <alice@example.com>\r\n", "alice@example.com"),  # folded in it
        (b"From: =?utf-8?q?Doe=2C_John?= <john@example.com>\r\n", "john@example.com"),  # a comma, encoded
        ("From: Jörg <jörg@exämple.com>\r\n".encode(), "jörg@exämple.com"),  # SMTPUTF8
        (b"X-From: eve@example.com\r\n", ""),
        (b"Subject: none\r\n", ""),
    ],
)
def test_deliver_takes_the_sender_from_the_from_header(head, sender):
    raw = b"To: bob@example.com\r\n" + head + b"\r\nFrom: in the body@example.com\r\n"
    assert delivered("bob@example.com", raw).sender == sender
