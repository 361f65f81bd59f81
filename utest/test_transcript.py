"""The transcript alone: cutting client bytes into lines, masking secrets, bounds, retries."""

import threading

import pytest

from SMTPLibrary.core import InvalidArgument
from SMTPLibrary.core.errors import RetryCountMismatch
from SMTPLibrary.core.smtp.faults import Transcript, find_attempts, wait_for_retries

PEER = ("127.0.0.1", 40000)


def dialogue(transcript, *steps, peer=PEER):
    """Record one session: bytes are the client's, strings the server's replies."""
    log = transcript.open(peer)
    for step in steps:
        if isinstance(step, bytes):
            log.client(step)
        else:
            log.server(step)
    return log


def lines(transcript, number=-1):
    return transcript.sessions()[number].text.splitlines()


def test_client_bytes_become_lines_however_they_arrive():
    data = b"EHLO app.test\r\nMAIL FROM:<a@example.com>\r\nNOOP\n"
    whole, bytewise = Transcript(), Transcript()
    dialogue(whole, data)
    log = bytewise.open(PEER)
    for byte in data:
        log.client(bytes([byte]))
    commands = ["C: EHLO app.test", "C: MAIL FROM:<a@example.com>", "C: NOOP"]
    assert lines(bytewise) == commands
    # Three commands in one read: the client pipelined them, and a note says so.
    assert lines(whole) == [*commands, "*: pipelined: EHLO, MAIL, NOOP came in one read"]


def test_only_several_commands_in_one_read_are_pipelining():
    transcript = Transcript()
    dialogue(
        transcript,
        b"EHLO app.test\r\n",
        "250 OK",
        b"MAIL FROM:<a@example.com>\r\nRCPT TO:<b@example.com>\r\nDATA\r\n",
        "250 OK",
        "250 OK",
        "354 Go ahead",
        b"Subject: x\r\n\r\nMAIL FROM:<not@a.command>\r\n.\r\nQUIT\r\n",
        "250 OK",
        b"AUTH LOGIN\r\nc2VjcmV0\r\n",
    )
    notes = [line for line in lines(transcript) if line.startswith("*:")]
    # Message data is no command; an AUTH answer sent ahead is, masked.
    assert notes == [
        "*: pipelined: MAIL, RCPT, DATA came in one read",
        "*: pipelined: AUTH, ******** came in one read",
    ]


def test_message_data_is_summarized_as_its_size_wherever_the_chunks_are_cut():
    body = b"Subject: x\r\n\r\n..leading dot\r\nlast line\r\n"
    wire = b"DATA\r\n", "354 End data with <CR><LF>.<CR><LF>", body + b".\r\nQUIT\r\n"
    expected = ["C: DATA", "S: 354 End data with <CR><LF>.<CR><LF>", f"D: {len(body)} bytes of message data", "C: QUIT"]
    for cut in range(len(wire[2]) + 1):
        transcript = Transcript()
        dialogue(transcript, wire[0], wire[1], wire[2][:cut], wire[2][cut:])
        assert lines(transcript) == expected, cut


def test_an_empty_message_and_a_dot_inside_a_line_are_told_apart():
    transcript = Transcript()
    dialogue(transcript, b"DATA\r\n", "354 go", b".\r\n")
    dialogue(transcript, b"DATA\r\n", "354 go", b"a.\r\nb\r\n.\r\n")
    assert lines(transcript, 0)[-1] == "D: 0 bytes of message data"
    assert lines(transcript, 1)[-1] == "D: 7 bytes of message data"


def test_a_connection_closed_mid_data_or_mid_line_says_so():
    transcript = Transcript()
    dialogue(transcript, b"DATA\r\n", "354 go", b"Subject: half\r\n").end()
    dialogue(transcript, b"EHLO app.te").end()
    assert lines(transcript, 0)[-1] == "D: 15 bytes of message data, unfinished"
    assert lines(transcript, 1) == ["C: EHLO app.te", "*: the client's last line had no line end"]
    assert transcript.sessions()[0].ended is not None


def test_auth_initial_responses_are_masked():
    transcript = Transcript()
    dialogue(
        transcript,
        b"AUTH PLAIN AHVzZXIAc2VjcmV0\r\n",
        "235 2.7.0 Authentication successful",
        b"auth\tlogin\tdXNlcg==\r\n",
        "334 UGFzc3dvcmQA",
        b"c2VjcmV0\r\n",
        "535 5.7.8 Authentication credentials invalid",
        b"MAIL FROM:<a@example.com>\r\n",
    )
    assert lines(transcript) == [
        "C: AUTH PLAIN ********",
        "S: 235 2.7.0 Authentication successful",
        "C: auth login ********",
        "S: 334 UGFzc3dvcmQA",
        "C: ********",
        "S: 535 5.7.8 Authentication credentials invalid",
        "C: MAIL FROM:<a@example.com>",
    ]


def test_every_answer_to_a_challenge_is_masked_but_an_abort_is_shown():
    transcript = Transcript()
    dialogue(
        transcript,
        b"AUTH LOGIN\r\n",
        "334 VXNlciBOYW1lAA==",
        b"dXNlcg==\r\n",
        "334 UGFzc3dvcmQA",
        b"*\r\n",
        "501 5.7.0 Auth aborted",
    )
    assert lines(transcript) == [
        "C: AUTH LOGIN",
        "S: 334 VXNlciBOYW1lAA==",
        "C: ********",
        "S: 334 UGFzc3dvcmQA",
        "C: *",
        "S: 501 5.7.0 Auth aborted",
    ]


def test_secrets_sent_ahead_of_the_challenges_are_masked_too():
    transcript = Transcript()
    dialogue(transcript, b"AUTH LOGIN\r\ndXNlcg==\r\nc2VjcmV0\r\n", "334 VXNlciBOYW1lAA==")
    assert "c2VjcmV0" not in transcript.sessions()[0].text
    assert lines(transcript)[:3] == ["C: AUTH LOGIN", "C: ********", "C: ********"]


def test_sessions_beyond_the_limit_are_forgotten_oldest_first():
    transcript = Transcript(max_sessions=3)
    for n in range(5):
        dialogue(transcript, f"220 session {n}")
    assert [session.number for session in transcript.sessions()] == [3, 4, 5]
    assert [session.replies for session in transcript.sessions()] == [
        ["220 session 2"],
        ["220 session 3"],
        ["220 session 4"],
    ]


def test_a_long_session_keeps_its_start_and_end_and_counts_what_it_left_out():
    transcript = Transcript(max_entries=8)
    log = transcript.open(PEER)
    for n in range(100):
        log.client(f"NOOP {n}\r\n".encode())
    (session,) = transcript.sessions()
    assert session.commands == ["NOOP 0", "NOOP 1", "NOOP 94", "NOOP 95", "NOOP 96", "NOOP 97", "NOOP 98", "NOOP 99"]
    assert session.entries[2].direction == "*"
    assert session.entries[2].text == "92 entries left out"


def test_long_lines_are_cut_and_a_line_without_end_does_not_grow_memory():
    transcript = Transcript(max_line=20)
    log = dialogue(transcript, b"X" * 30 + b"\r\n", "250 " + "y" * 30)
    for _ in range(1000):
        log.client(b"z" * 1000)
    assert len(log._pending) <= 21
    log.client(b"\r\n")
    assert lines(transcript) == [
        f"C: {'X' * 20}... (30 bytes)",
        f"S: 250 {'y' * 16}... (34 characters)",
        f"C: {'z' * 20}... (1000000 bytes)",
    ]


def test_a_line_longer_than_kept_says_its_size_but_a_long_secret_stays_masked():
    transcript = Transcript(max_line=30)
    dialogue(transcript, b"A" * 100 + b"\r\n")
    dialogue(transcript, b"AUTH XOAUTH2 " + b"dG9rZW4=" * 300 + b"\r\n")
    assert lines(transcript, 0) == [f"C: {'A' * 30}... (100 bytes)"]
    assert lines(transcript, 1) == ["C: AUTH XOAUTH2 ********"]


def test_clear_forgets_sessions_and_numbers_them_from_one_again():
    transcript = Transcript()
    dialogue(transcript, "220 first")
    dialogue(transcript, "220 second")
    transcript.clear()
    assert transcript.sessions() == []
    dialogue(transcript, "220 third")
    assert [(session.number, session.replies) for session in transcript.sessions()] == [(1, ["220 third"])]


def test_limits_must_make_sense():
    with pytest.raises(InvalidArgument):
        Transcript(max_entries=1)


def test_sessions_read_well():
    transcript = Transcript()
    dialogue(transcript, "220 ready", b"QUIT\r\n", "221 Bye").end()
    dialogue(transcript, "220 ready").dropped()
    dialogue(transcript, "220 ready")
    closed, dropped, still_open = transcript.sessions()
    assert str(closed) == "Session 1 from 127.0.0.1:40000\nS: 220 ready\nC: QUIT\nS: 221 Bye"
    assert str(dropped).splitlines()[0] == "Session 2 from 127.0.0.1:40000 (dropped by the server)"
    assert str(still_open).splitlines()[0] == "Session 3 from 127.0.0.1:40000 (still open)"
    assert repr(closed) == "<Session 1 from 127.0.0.1:40000, 3 entries>"
    assert closed.commands == ["QUIT"]
    assert closed.replies == ["220 ready", "221 Bye"]
    # Text is looked for in the dialogue (Robot: Should Contain    ${session}    S: 221).
    assert "S: 221 Bye" in closed
    assert "S: 250" not in closed
    assert 221 not in closed
    single = Transcript()
    dialogue(single, "220 ready")
    assert repr(single.sessions()[0]) == "<Session 1 from 127.0.0.1:40000, 1 entry>"


# -- attempts and retries -------------------------------------------------------

GREETING = "220 localhost ready"


def transaction(*, mail_reply="250 OK", rcpt_reply="250 OK", data_reply="250 OK"):
    steps = [b"MAIL FROM:<app@example.com>\r\n", mail_reply]
    if mail_reply.startswith("250"):
        steps += [b"RCPT TO:<bob@example.com>\r\n", rcpt_reply]
        if rcpt_reply.startswith("250"):
            steps += [b"DATA\r\n", "354 go", b"x\r\n.\r\n", data_reply]
    return steps


def test_each_mail_command_is_an_attempt_and_its_outcome_is_the_first_refusal_or_the_data_reply():
    transcript = Transcript()
    dialogue(transcript, GREETING, *transaction(rcpt_reply="451 4.7.1 Greylisted"), b"RSET\r\n", "250 OK").end()
    dialogue(transcript, GREETING, *transaction(data_reply="250 queued as 42")).end()
    attempts = find_attempts(transcript.sessions())
    assert [str(attempt) for attempt in attempts] == [
        "session 1 from 127.0.0.1:40000: MAIL FROM:<app@example.com> -> 451 4.7.1 Greylisted",
        "session 2 from 127.0.0.1:40000: MAIL FROM:<app@example.com> -> 250 queued as 42",
    ]


def test_several_transactions_in_one_session_are_several_attempts():
    transcript = Transcript()
    dialogue(transcript, GREETING, *transaction(mail_reply="452 busy"), *transaction()).end()
    assert [attempt.outcome for attempt in find_attempts(transcript.sessions())] == ["452 busy", "250 OK"]


def test_a_session_refused_or_dropped_before_mail_is_an_attempt():
    transcript = Transcript()
    dialogue(transcript, "421 busy").end()
    dialogue(transcript, GREETING, b"EHLO a\r\n", "554 go away", b"QUIT\r\n", "221 Bye").end()
    dialogue(transcript, GREETING, b"EHLO a\r\n").dropped()
    assert [str(attempt) for attempt in find_attempts(transcript.sessions())] == [
        "session 1 from 127.0.0.1:40000: before MAIL -> 421 busy",
        "session 2 from 127.0.0.1:40000: before MAIL -> 554 go away",
        "session 3 from 127.0.0.1:40000: before MAIL -> connection dropped by the server",
    ]


def test_a_session_that_sends_nothing_and_is_refused_nothing_is_no_attempt():
    transcript = Transcript()
    dialogue(transcript, GREETING, b"EHLO a\r\n", "250 OK", b"NOOP\r\n", "250 OK", b"QUIT\r\n", "221 Bye").end()
    assert find_attempts(transcript.sessions()) == []


def test_the_last_attempt_of_a_dropped_or_open_session_says_so():
    transcript = Transcript()
    dialogue(transcript, GREETING, b"MAIL FROM:<a@x>\r\n", "250 OK", b"RSET\r\n", "250 OK", b"mail from:<a@x>\r\n")
    dialogue(transcript, GREETING, b"MAIL FROM:<a@x>\r\n", "250 OK", b"DATA\r\n", "354 go", b"half").dropped()
    assert [attempt.outcome for attempt in find_attempts(transcript.sessions())] == [
        "no message sent",
        "still going on",
        "connection dropped by the server",
    ]


def test_retries_pass_when_reached_and_fail_at_once_when_exceeded():
    transcript = Transcript()
    for _ in range(3):
        dialogue(transcript, GREETING, *transaction(rcpt_reply="451 later")).end()
    assert len(wait_for_retries(transcript, 2, 0)) == 3
    with pytest.raises(RetryCountMismatch) as error:
        wait_for_retries(transcript, 1, 60)
    assert str(error.value) == (
        "The client should have retried 1 time but had already retried 2 times. 3 attempts:\n"
        "1) session 1 from 127.0.0.1:40000: MAIL FROM:<app@example.com> -> 451 later\n"
        "2) session 2 from 127.0.0.1:40000: MAIL FROM:<app@example.com> -> 451 later\n"
        "3) session 3 from 127.0.0.1:40000: MAIL FROM:<app@example.com> -> 451 later"
    )


def test_too_few_retries_fail_after_the_timeout():
    transcript = Transcript()
    dialogue(transcript, GREETING, *transaction(data_reply="451 later")).end()
    with pytest.raises(RetryCountMismatch) as error:
        wait_for_retries(transcript, 2, 0.1)
    assert str(error.value).splitlines()[0] == (
        "The client should have retried 2 times but retried 0 times in 100 milliseconds. 1 attempt:"
    )
    with pytest.raises(RetryCountMismatch) as error:
        wait_for_retries(Transcript(), 0, 0)
    assert str(error.value) == "The client should have retried 0 times but made no attempt to send in 0 seconds."


def test_a_long_list_of_attempts_shows_the_last_ones():
    transcript = Transcript()
    for _ in range(12):
        dialogue(transcript, "421 busy").end()
    with pytest.raises(RetryCountMismatch) as error:
        wait_for_retries(transcript, 1, 0)
    message = str(error.value)
    assert message.splitlines()[0].endswith("12 attempts, the last 10:")
    assert message.splitlines()[1].startswith("3) session 3 ")


def test_waiting_for_retries_wakes_up_when_they_happen():
    transcript = Transcript()
    dialogue(transcript, "421 busy").end()
    started = threading.Event()

    def retry_later():
        started.wait(5)
        dialogue(transcript, GREETING, *transaction()).end()

    thread = threading.Thread(target=retry_later)
    thread.start()
    started.set()
    try:
        assert [attempt.outcome for attempt in wait_for_retries(transcript, 1, 10)] == ["421 busy", "250 OK"]
    finally:
        thread.join()


def test_a_negative_retry_count_is_an_argument_error():
    with pytest.raises(InvalidArgument, match=r"^The number of retries must be 0 or more, got -1\.$"):
        wait_for_retries(Transcript(), -1, 0)


def test_a_session_names_an_ipv6_client_with_brackets():
    transcript = Transcript()
    transcript.open(("::1", 40123, 0, 0))
    transcript.open(("127.0.0.1", 40124))
    assert [session.address for session in transcript.sessions()] == ["[::1]:40123", "127.0.0.1:40124"]
