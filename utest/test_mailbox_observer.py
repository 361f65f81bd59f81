"""The mailbox's observers (the IMAP and POP3 view): handed every message held and each change, in
order, atomically with registering; a message max_messages drops is dropped from the view too."""

from __future__ import annotations

import imaplib

from imap_support import message, needs_pymap

from SMTPLibrary.core import Mailbox, ReceivedMessage, SMTPServer


class Recorder:
    def __init__(self) -> None:
        self.events: list[tuple[str, int]] = []

    def message_added(self, received: ReceivedMessage) -> None:
        self.events.append(("added", received.seq))

    def message_dropped(self, received: ReceivedMessage) -> None:
        self.events.append(("dropped", received.seq))

    def mailbox_reset(self) -> None:
        self.events.append(("reset", 0))


def received(subject: str) -> ReceivedMessage:
    return ReceivedMessage(message(subject), "app@example.com", ["bob@example.com"])


def test_an_observer_gets_what_is_held_then_each_change_in_order():
    mailbox = Mailbox(max_messages=2)
    mailbox.add(received("one"))
    recorder = Recorder()
    mailbox.observe(recorder)
    assert recorder.events == [("added", 1)]
    mailbox.add(received("two"))
    mailbox.add(received("three"))  # pushes the first out
    mailbox.reset()
    mailbox.unobserve(recorder)
    mailbox.add(received("four"))
    assert recorder.events == [("added", 1), ("added", 2), ("added", 3), ("dropped", 1), ("reset", 0)]


@needs_pymap
def test_a_message_the_mailbox_drops_leaves_the_imap_view():
    with SMTPServer(max_messages=2) as server:
        port = server.start_imap()
        first, second, third = (server.deliver("bob@example.com", message(f"M{n}")) for n in range(3))
        assert server.mail_view.state(first) is None  # forgotten with the message: no memory kept for it
        server.wait_in_folder(third, "INBOX", timeout=0)
        client = imaplib.IMAP4("127.0.0.1", port)
        client.login("bob@example.com", "bob@example.com")
        assert client.select("INBOX")[1] == [b"2"]
        client.logout()
        assert server.mailbox.messages() == [second, third]
