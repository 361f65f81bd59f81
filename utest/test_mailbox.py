import threading
import time

import pytest

from SMTPLibrary.core import (
    Criteria,
    InvalidArgument,
    Mailbox,
    MessageCountMismatch,
    MessageNotReceived,
    ReceivedMessage,
    ServerStopped,
    UnexpectedMessage,
)


def message(subject: str, sender: str = "app@example.com", recipients=("alice@example.com",)) -> ReceivedMessage:
    raw = f"From: {sender}\r\nSubject: {subject}\r\n\r\nHello\r\n".encode()
    return ReceivedMessage(raw, sender, list(recipients), timestamp=time.time())


@pytest.fixture
def mailbox():
    box = Mailbox()
    box.open()
    return box


def later(action, *args):
    """Run ``action`` from another thread, as the server's thread would."""
    thread = threading.Thread(target=action, args=args)
    thread.start()
    return thread


def test_messages_keep_arrival_order_and_get_sequence_numbers(mailbox):
    for subject in ("one", "two", "three"):
        mailbox.add(message(subject))
    assert [m.subject for m in mailbox.messages()] == ["one", "two", "three"]
    assert [m.seq for m in mailbox.messages()] == [1, 2, 3]


def test_reset_empties_and_numbers_go_on(mailbox):
    mailbox.add(message("one"))
    mailbox.reset()
    assert mailbox.count() == 0
    mailbox.add(message("two"))
    assert [m.seq for m in mailbox.messages()] == [2]


def test_wait_returns_a_stored_match_at_once(mailbox):
    mailbox.add(message("Welcome"))
    assert mailbox.wait_for(Criteria.from_strings(subject="Welcome"), 0).subject == "Welcome"


def test_a_waiter_wakes_when_a_matching_message_lands(mailbox):
    gate = threading.Event()

    def deliver():
        gate.wait(5)
        mailbox.add(message("noise"))
        mailbox.add(message("Welcome"))

    sender = later(deliver)
    gate.set()
    found = mailbox.wait_for(Criteria.from_strings(subject="^Welcome$"), 30)
    sender.join()
    assert found.subject == "Welcome"


def test_wait_returns_the_oldest_match(mailbox):
    mailbox.add(message("Welcome 1"))
    mailbox.add(message("Welcome 2"))
    assert mailbox.wait_for(Criteria.from_strings(subject="Welcome"), 1).subject == "Welcome 1"


def test_wait_times_out_with_the_arrived_messages_closest_first(mailbox):
    mailbox.add(message("Welcome Bob", recipients=["bob@example.com"]))
    mailbox.add(message("Invoice", recipients=["alice@example.com"]))
    criteria = Criteria.from_strings(subject="Welcome Alice", recipient="alice@")
    with pytest.raises(MessageNotReceived) as failure:
        mailbox.wait_for(criteria, 0.05)
    assert str(failure.value) == (
        "No message matching recipient='alice@', subject='Welcome Alice' arrived in 50 milliseconds. "
        "2 messages arrived, closest first:\n"
        "1) from app@example.com to alice@example.com, subject 'Invoice': "
        "subject 'Invoice' did not match 'Welcome Alice'\n"
        "2) from app@example.com to bob@example.com, subject 'Welcome Bob': "
        "recipients ['bob@example.com'] did not match 'alice@'; subject 'Welcome Bob' did not match 'Welcome Alice'"
    )


def test_wait_failure_says_when_nothing_arrived(mailbox):
    with pytest.raises(MessageNotReceived, match=r"^No message matching subject='x' arrived in 0 seconds. No message"):
        mailbox.wait_for(Criteria.from_strings(subject="x"), 0)


def test_stopping_the_server_ends_a_wait_with_a_clear_error(mailbox):
    gate = threading.Event()

    def stop():
        gate.wait(5)
        mailbox.close("The SMTP server on 127.0.0.1:2525 was stopped.")

    stopper = later(stop)
    gate.set()
    # A wait that ran out of time would raise MessageNotReceived: ServerStopped says the stop ended it.
    with pytest.raises(ServerStopped, match=r"^The SMTP server on 127.0.0.1:2525 was stopped. No message matching"):
        mailbox.wait_for(Criteria.from_strings(subject="never"), 60)
    stopper.join()


def test_a_stopped_mailbox_still_answers_for_what_it_holds(mailbox):
    mailbox.add(message("kept"))
    mailbox.close("stopped.")
    assert mailbox.wait_for(Criteria.from_strings(subject="kept"), 5).subject == "kept"


def test_count_wait_reaches_the_count(mailbox):
    gate = threading.Event()

    def deliver():
        gate.wait(5)
        mailbox.add(message("one"))
        mailbox.add(message("two"))

    sender = later(deliver)
    gate.set()
    mailbox.wait_for_count(2, 30)
    sender.join()


def test_count_wait_fails_at_once_when_there_are_more(mailbox):
    mailbox.add(message("one"))
    mailbox.add(message("two"))
    # "had already arrived" is said before any wait; a wait that ran out would say "arrived in ...".
    with pytest.raises(MessageCountMismatch, match=r"^Expected 1 message but 2 had already arrived. 2 messages"):
        mailbox.wait_for_count(1, 60)


def test_count_wait_times_out(mailbox):
    with pytest.raises(MessageCountMismatch, match=r"^Expected 1 message but 0 arrived in 10 milliseconds"):
        mailbox.wait_for_count(1, 0.01)


def test_zero_messages_expected_and_none_there(mailbox):
    mailbox.wait_for_count(0, 0)


@pytest.mark.parametrize("expected", [-1, 1.5, True])
def test_count_wait_refuses_what_is_no_count(mailbox, expected):
    with pytest.raises(InvalidArgument) as failure:
        mailbox.wait_for_count(expected, 30)
    assert str(failure.value) == f"The expected message count must be a whole number, 0 or more, got {expected!r}."


def test_assert_none_fails_on_a_stored_match(mailbox):
    mailbox.add(message("Password reset"))
    with pytest.raises(UnexpectedMessage) as failure:
        mailbox.assert_none(Criteria.from_strings(subject="reset"), 0)
    assert str(failure.value) == (
        "A message matching subject='reset' arrived: from app@example.com to alice@example.com, "
        "subject 'Password reset'."
    )


def test_assert_none_passes_when_only_others_arrive(mailbox):
    mailbox.add(message("Welcome"))
    mailbox.assert_none(Criteria.from_strings(subject="reset"), 0.01)


def test_assert_none_catches_a_match_arriving_within_the_window(mailbox):
    gate = threading.Event()

    def deliver():
        gate.wait(5)
        mailbox.add(message("Password reset"))

    sender = later(deliver)
    gate.set()
    with pytest.raises(UnexpectedMessage, match=r"arrived within 30 seconds"):
        mailbox.assert_none(Criteria.from_strings(subject="reset"), 30)
    sender.join()


def test_pop_all_returns_and_removes(mailbox):
    mailbox.add(message("one"))
    assert [m.subject for m in mailbox.pop_all()] == ["one"]
    assert mailbox.count() == 0


def test_many_waiters_all_wake(mailbox):
    results = []
    waiters = [
        threading.Thread(
            target=lambda n=n: results.append(mailbox.wait_for(Criteria.from_strings(subject=f"^m{n}$"), 30))
        )
        for n in range(20)
    ]
    for waiter in waiters:
        waiter.start()
    for n in range(20):
        mailbox.add(message(f"m{n}"))
    for waiter in waiters:
        waiter.join()
    assert sorted(m.subject for m in results) == sorted(f"m{n}" for n in range(20))
