"""Faults through real connections: every stage and action, with smtplib and raw sockets
(atest/faults.robot drives swaks too).

Each hook into aiosmtpd (the greeting, the wrapped command methods, the
handler hooks, push, data_received) is exercised here; they use aiosmtpd
1.4 internals, so these tests are what tells an upgrade broke one.
"""

import smtplib
import socket
import ssl
import threading

import pytest

from SMTPLibrary.core import Criteria, SMTPServer

SOURCE = b"From: app@example.com\r\nSubject: Hello\r\n\r\nHello.\r\n"
PASSWORD = "s3cret-passw0rd"


def sent_to_the_end(server, sessions=1):
    """Wait until the server has recorded the end of ``sessions`` connections."""
    done = server.transcript.wait(
        lambda found: found if len(found) >= sessions and all(s.ended for s in found) else None, 5
    ).result
    assert done, "\n\n".join(map(str, server.transcript.sessions()))
    return done


def last_session(server):
    return sent_to_the_end(server, len(server.transcript.sessions()))[-1]


def client(server, **options):
    return smtplib.SMTP(server.host if hasattr(server, "host") else "127.0.0.1", server.port, timeout=10, **options)


def implicit_client(server):
    context = ssl.create_default_context(cafile=server.ca_certificate)
    return smtplib.SMTP_SSL("localhost", server.port, timeout=10, context=context)


def send(server, recipients=("bob@example.com",), sender="app@example.com"):
    with client(server) as smtp:
        return smtp.sendmail(sender, list(recipients), SOURCE)


def raw_dialogue(port, *commands):
    """Send each command and collect the whole reply to it (first the greeting)."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        reader = sock.makefile("rb")

        def reply():
            lines = []
            while True:
                line = reader.readline().decode().rstrip("\r\n")
                lines.append(line)
                if line[3:4] != "-":
                    return "\n".join(lines)

        replies = [reply()]
        for command in commands:
            sock.sendall(command.encode() + b"\r\n")
            replies.append(reply())
        return replies


# -- CONNECT -------------------------------------------------------------------


def test_connect_421_refuses_the_session_and_closes_it(server):
    server.faults.reply("CONNECT", 421, "Too busy, try later")
    with pytest.raises(smtplib.SMTPConnectError) as error:
        client(server)
    assert (error.value.smtp_code, error.value.smtp_error) == (421, b"Too busy, try later")
    session = last_session(server)
    assert session.replies == ["421 Too busy, try later"]
    assert server.faults.rules == []


def test_after_a_refused_greeting_only_quit_is_accepted(server):
    server.faults.reply("CONNECT", 554, "No SMTP service here")
    replies = raw_dialogue(server.port, "EHLO app.test", "HELP", "MAIL FROM:<a@example.com>", "QUIT")
    assert replies == [
        "554 No SMTP service here",
        "503 Bad sequence of commands: this session was refused at the greeting, send QUIT",
        "503 Bad sequence of commands: this session was refused at the greeting, send QUIT",
        "503 Bad sequence of commands: this session was refused at the greeting, send QUIT",
        "221 Bye",
    ]
    assert raw_dialogue(server.port, "QUIT")[0].startswith("220 localhost")


def test_connect_220_only_changes_the_banner(server):
    server.faults.reply("CONNECT", 220, "mail.example.test ESMTP ready")
    smtp = smtplib.SMTP(timeout=10)
    try:
        assert smtp.connect("127.0.0.1", server.port) == (220, b"mail.example.test ESMTP ready")
        smtp.sendmail("app@example.com", ["bob@example.com"], SOURCE)
    finally:
        smtp.quit()
    assert server.mailbox.count() == 1


def test_connect_delay_waits_before_the_greeting(server):
    server.faults.delay("CONNECT", 0.2)
    send(server)
    session = last_session(server)
    assert str(session.entries[0]) == "*: fault at CONNECT: wait 0.2 s"
    assert str(session.entries[1]).startswith("S: 220 localhost")
    assert server.mailbox.count() == 1


def test_connect_disconnect_drops_before_the_greeting(server):
    server.faults.disconnect("CONNECT")
    with pytest.raises(smtplib.SMTPServerDisconnected):
        client(server)
    session = last_session(server)
    assert session.dropped
    assert session.replies == []
    send(server)
    assert server.mailbox.count() == 1


# -- EHLO ----------------------------------------------------------------------


def test_a_refused_ehlo_makes_smtplib_fall_back_to_helo_which_is_the_same_stage(server):
    server.faults.reply("EHLO", 451, count=2)
    with pytest.raises(smtplib.SMTPHeloError) as error:
        send(server)
    assert error.value.smtp_code == 451
    server.faults.reply("EHLO", 550)
    send(server)
    assert last_session(server).commands[:2] == ["ehlo [127.0.0.1]", "helo [127.0.0.1]"]
    assert server.mailbox.count() == 1


def test_ehlo_without_a_name_gets_the_usual_error_and_leaves_the_rule(server):
    server.faults.reply("EHLO", 421)
    assert raw_dialogue(server.port, "EHLO")[1] == "501 Syntax: EHLO hostname"
    assert len(server.faults.rules) == 1


def test_ehlo_delay_and_disconnect(server):
    server.faults.delay("EHLO", 0.1)
    send(server)
    assert "*: fault at EHLO: wait 0.1 s" in last_session(server).text
    server.faults.disconnect("EHLO")
    with pytest.raises(smtplib.SMTPServerDisconnected):
        send(server)
    assert last_session(server).dropped
    assert server.mailbox.count() == 1


# -- MAIL ----------------------------------------------------------------------


def test_mail_refusal_for_a_matching_sender_only(server):
    server.faults.reply("MAIL", 451, count=0, sender="^bounce@")
    send(server, sender="app@example.com")
    with pytest.raises(smtplib.SMTPSenderRefused) as error:
        send(server, sender="bounce@example.com")
    assert error.value.smtp_code == 451
    assert [message.sender for message in server.mailbox.messages()] == ["app@example.com"]


def test_mail_250_keeps_the_sender_with_text_of_its_own(server):
    server.faults.reply("MAIL", 250, "2.1.0 Sender looks fine")
    with client(server) as smtp:
        smtp.ehlo()
        assert smtp.mail("app@example.com") == (250, b"2.1.0 Sender looks fine")
        smtp.rcpt("bob@example.com")
        smtp.data(SOURCE)
    assert server.mailbox.messages()[0].sender == "app@example.com"


def test_a_refused_mail_sets_no_sender(server):
    server.faults.reply("MAIL", 452)
    replies = raw_dialogue(server.port, "EHLO c", "MAIL FROM:<a@example.com>", "RCPT TO:<b@example.com>")
    assert replies[2:] == [
        "452 Requested action not taken: insufficient system storage",
        "503 Error: need MAIL command",
    ]


def test_a_multi_line_refusal_is_sent_whole_and_counted_as_one_refusal(server):
    server.faults.reply("MAIL", 550, "Sender blocked\nSee https://example.test/blocked")
    replies = raw_dialogue(server.port, "EHLO c", "MAIL FROM:<a@example.com>", "QUIT")
    assert replies[2] == "550-Sender blocked\n550 See https://example.test/blocked"
    assert server.stats.snapshot().refusals == 1


def test_mail_delay_and_disconnect(server):
    server.faults.delay("MAIL", 0.1)
    send(server)
    server.faults.disconnect("MAIL")
    with pytest.raises(smtplib.SMTPServerDisconnected):
        send(server)
    assert server.mailbox.count() == 1


# -- RCPT ----------------------------------------------------------------------


def test_rcpt_refusals_fire_in_order_for_the_matching_recipient(server):
    server.faults.reply("RCPT", 452, count=2, recipient="EQUALS:bob@example.com")
    server.faults.reply("RCPT", 550, "No such user", recipient="EQUALS:bob@example.com")
    refused = [send(server, ["alice@example.com", "bob@example.com"]) for _ in range(4)]
    assert [result.get("bob@example.com", (250,))[0] for result in refused] == [452, 452, 550, 250]
    assert [message.recipients for message in server.mailbox.messages()] == [["alice@example.com"]] * 3 + [
        ["alice@example.com", "bob@example.com"]
    ]


def test_rcpt_251_accepts_with_text_of_its_own(server):
    server.faults.reply("RCPT", 251, "User not local; will forward to <b@elsewhere.test>")
    with client(server) as smtp:
        smtp.ehlo()
        smtp.mail("app@example.com")
        assert smtp.rcpt("bob@example.com") == (251, b"User not local; will forward to <b@elsewhere.test>")
        smtp.data(SOURCE)
    assert server.mailbox.messages()[0].recipients == ["bob@example.com"]


def test_rcpt_421_closes_the_connection_after_the_reply(server):
    server.faults.reply("RCPT", 421)
    with pytest.raises(smtplib.SMTPRecipientsRefused):
        send(server)
    session = last_session(server)
    assert session.replies[-1] == "421 Service not available, closing transmission channel"
    assert not session.dropped


def test_rcpt_delay_and_disconnect(server):
    server.faults.delay("RCPT", 0.1, sender="EQUALS:app@example.com")
    send(server)
    server.faults.disconnect("RCPT")
    with pytest.raises(smtplib.SMTPServerDisconnected):
        send(server)
    assert server.mailbox.count() == 1


# -- DATA ----------------------------------------------------------------------


def test_a_refused_data_command_ends_the_transaction_and_stores_nothing(server):
    server.faults.reply("DATA", 451)
    with client(server) as smtp:
        with pytest.raises(smtplib.SMTPDataError) as error:
            smtp.sendmail("app@example.com", ["bob@example.com"], SOURCE)
        assert error.value.smtp_code == 451
        assert server.mailbox.count() == 0
        smtp.sendmail("app@example.com", ["second@example.com"], SOURCE)
    assert [message.recipients for message in server.mailbox.messages()] == [["second@example.com"]]


def test_data_before_any_recipient_gets_the_usual_error_and_leaves_the_rule(server):
    server.faults.disconnect("DATA")
    replies = raw_dialogue(server.port, "EHLO c", "MAIL FROM:<a@example.com>", "DATA")
    assert replies[-1] == "503 Error: need RCPT command"
    assert len(server.faults.rules) == 1


def test_data_delay_and_disconnect(server):
    server.faults.delay("DATA", 0.1)
    send(server)
    server.faults.disconnect("DATA")
    with pytest.raises(smtplib.SMTPServerDisconnected):
        send(server)
    assert server.mailbox.count() == 1
    assert last_session(server).commands[-1] == "data"


# -- DATA_END ------------------------------------------------------------------


def test_a_message_refused_at_data_end_is_not_stored(server):
    server.faults.reply("DATA_END", 554, "Message rejected as spam")
    with pytest.raises(smtplib.SMTPDataError) as error:
        send(server)
    assert (error.value.smtp_code, error.value.smtp_error) == (554, b"Message rejected as spam")
    assert server.mailbox.count() == 0
    send(server)
    assert server.mailbox.count() == 1


def test_data_end_250_stores_the_message_with_a_queue_id_reply(server):
    server.faults.reply("DATA_END", 250, "2.0.0 Ok: queued as 4F2A1")
    with client(server) as smtp:
        smtp.ehlo()
        smtp.mail("app@example.com")
        smtp.rcpt("bob@example.com")
        assert smtp.data(SOURCE) == (250, b"2.0.0 Ok: queued as 4F2A1")
    assert server.mailbox.messages()[0].raw == SOURCE


def test_a_message_delayed_at_data_end_is_stored_once(server):
    server.faults.delay("DATA_END", 0.2)
    send(server)
    assert server.mailbox.count() == 1
    assert "*: fault at DATA_END: wait 0.2 s" in last_session(server).text


def test_a_disconnect_at_data_end_leaves_no_partial_message(server):
    server.faults.disconnect("DATA_END")
    with pytest.raises(smtplib.SMTPServerDisconnected):
        send(server)
    session = last_session(server)
    assert session.dropped
    assert session.entries[-1].text == "fault at DATA_END: drop the connection"
    assert server.mailbox.count() == 0
    send(server)
    assert server.mailbox.count() == 1


def test_a_client_that_gives_up_during_a_delay_leaves_nothing_stored(server):
    server.faults.delay("DATA_END", 60)
    with pytest.raises((TimeoutError, smtplib.SMTPServerDisconnected)):
        with smtplib.SMTP("127.0.0.1", server.port, timeout=0.5) as smtp:
            smtp.sendmail("app@example.com", ["bob@example.com"], SOURCE)
    sent_to_the_end(server)
    server.faults.clear()
    send(server)
    assert [message.recipients for message in server.mailbox.messages()] == [["bob@example.com"]]
    assert server.mailbox.count() == 1


def test_a_delay_keeps_other_connections_served(server):
    server.faults.delay("DATA_END", 60, sender="EQUALS:slow@example.com")
    failure = []

    def slow_client():
        try:
            send(server, sender="slow@example.com")
        except (smtplib.SMTPException, OSError) as error:
            failure.append(error)

    slow = threading.Thread(target=slow_client)
    slow.start()
    try:
        delayed = server.transcript.wait(
            lambda sessions: True if any("fault at DATA_END: wait" in s.text for s in sessions) else None, 5
        ).result
        assert delayed
        for n in range(3):
            send(server, [f"fast{n}@example.com"])
        assert [m.sender for m in server.mailbox.messages()] == ["app@example.com"] * 3
        assert slow.is_alive()
    finally:
        server.stop()
        slow.join(10)
    assert failure, "the delayed client should have been cut off by the server stop"
    assert all(m.sender == "app@example.com" for m in server.mailbox.messages())


# -- AUTH and STARTTLS where the server would refuse them itself -----------------


def test_auth_rules_wait_for_an_auth_the_server_would_process(server):
    server.faults.reply("AUTH", 454, "Temporary authentication failure")
    server.faults.delay("AUTH", 0.1)
    replies = raw_dialogue(server.port, "AUTH PLAIN AHVzZXIAc2VjcmV0", "EHLO c", "AUTH PLAIN AHVzZXIAc2VjcmV0")
    assert replies[1] == "503 Error: send EHLO first"
    assert replies[3] == "502 5.5.1 AUTH not available: the server has no credentials"
    assert len(server.faults.rules) == 2
    session = last_session(server)
    assert "fault at" not in session.text
    assert session.commands == ["AUTH PLAIN ********", "EHLO c", "AUTH PLAIN ********"]


def test_auth_rules_wait_for_tls_where_login_needs_it():
    with SMTPServer(tls="starttls", credentials={"user": PASSWORD}) as server:
        # smtplib tries each mechanism offered (LOGIN and PLAIN) before it gives up.
        server.faults.reply("AUTH", 454, "Temporary authentication failure", count=2)
        plain = raw_dialogue(server.port, "EHLO c", "AUTH PLAIN AHVzZXIAc2VjcmV0")
        assert plain[2] == "538 5.7.11 Encryption required for requested authentication mechanism"
        with client(server) as smtp:
            smtp.starttls(context=tls_client_context(server))
            smtp.ehlo()
            assert smtp.docmd("AUTH", "NONESUCH") == (504, b"5.5.4 Unrecognized authentication type")
            with pytest.raises(smtplib.SMTPAuthenticationError) as error:
                smtp.login("user", PASSWORD)
            assert error.value.smtp_code == 454
            smtp.login("user", PASSWORD)
            assert smtp.docmd("AUTH", "PLAIN AHVzZXIAc2VjcmV0") == (503, b"Already authenticated")
        assert server.faults.rules == []


@pytest.mark.parametrize("tls", ["none", "implicit"])
def test_starttls_rules_wait_for_a_server_offering_starttls(tls):
    with SMTPServer(tls=tls) as server:
        server.faults.reply("STARTTLS", 454, "TLS not available due to temporary reason")
        with client(server) if tls == "none" else implicit_client(server) as smtp:
            smtp.ehlo()
            assert smtp.docmd("STARTTLS") == (454, b"TLS not available")
        assert len(server.faults.rules) == 1


def test_help_still_shows_the_syntax_of_wrapped_commands(server):
    replies = raw_dialogue(server.port, "HELP DATA", "HELP AUTH", "HELP")
    assert replies[1:3] == ["250 Syntax: DATA", "250 Syntax: AUTH <mechanism>"]
    assert replies[3].startswith("250 Supported commands: AUTH DATA EHLO HELO HELP MAIL NOOP QUIT RCPT")


# -- a server offering STARTTLS and AUTH -----------------------------------------


@pytest.fixture
def secure():
    """A server offering STARTTLS, with AUTH allowed before it too (so smtplib can log in either way)."""
    with SMTPServer(tls="starttls", credentials={"user": PASSWORD}, allow_plaintext_auth=True) as server:
        yield server


def tls_client_context(server):
    return ssl.create_default_context(cafile=server.ca_certificate)


# aiosmtpd 1.4 itself warns about login_data on every successful AUTH.
pytestmark = pytest.mark.filterwarnings("ignore:Session.login_data is deprecated:DeprecationWarning")


@pytest.mark.parametrize("mechanism", ["PLAIN", "LOGIN"])
def test_credentials_never_reach_the_transcript(secure, mechanism):
    with client(secure) as smtp:
        smtp.starttls(context=tls_client_context(secure))
        smtp.ehlo()
        smtp.user, smtp.password = "user", PASSWORD
        authenticate = smtp.auth_plain if mechanism == "PLAIN" else smtp.auth_login
        assert smtp.auth(mechanism, authenticate, initial_response_ok=mechanism == "PLAIN")[0] == 235
        smtp.sendmail("app@example.com", ["bob@example.com"], SOURCE)
    session = last_session(secure)
    assert PASSWORD not in session.text
    assert not any(secret in session.text for secret in _encodings_of(PASSWORD))
    expected = ["AUTH PLAIN ********"] if mechanism == "PLAIN" else ["AUTH LOGIN", "********", "********"]
    assert session.commands[3 : 3 + len(expected)] == expected
    assert "*: TLS started" in session.text


def _encodings_of(secret):
    import base64

    return [base64.b64encode(f"\0user\0{secret}".encode()).decode(), base64.b64encode(secret.encode()).decode()]


def test_auth_faults_fire_where_the_server_offers_login(secure):
    secure.faults.reply("AUTH", 454, "Temporary authentication failure")
    secure.faults.delay("AUTH", 0.1)
    replies = raw_dialogue(secure.port, "EHLO c", "AUTH PLAIN AHVzZXIAc2VjcmV0", "AUTH PLAIN AHVzZXIAc2VjcmV0")
    assert replies[2:] == ["454 Temporary authentication failure", "535 5.7.8 Authentication credentials invalid"]
    session = last_session(secure)
    assert "AHVzZXIAc2VjcmV0" not in session.text
    assert session.commands[1:] == ["AUTH PLAIN ********", "AUTH PLAIN ********"]
    assert "*: fault at AUTH: wait 0.1 s" in session.text


def test_auth_reply_delay_and_disconnect_with_smtplib(secure):
    # smtplib tries each mechanism offered (LOGIN and PLAIN) before it gives up.
    secure.faults.reply("AUTH", 454, count=2)
    secure.faults.delay("AUTH", 0.1)
    with client(secure) as smtp:
        smtp.ehlo()
        with pytest.raises(smtplib.SMTPAuthenticationError) as error:
            smtp.login("user", PASSWORD)
        assert error.value.smtp_code == 454
        assert smtp.login("user", PASSWORD)[0] == 235
    secure.faults.disconnect("AUTH")
    with client(secure) as smtp:
        smtp.ehlo()
        with pytest.raises(smtplib.SMTPServerDisconnected):
            smtp.login("user", PASSWORD)
    assert "*: fault at AUTH: wait 0.1 s" in secure.transcript.sessions()[0].text


def test_starttls_reply_delay_and_disconnect_with_smtplib(secure):
    secure.faults.reply("STARTTLS", 454, "TLS not available due to temporary reason")
    with client(secure) as smtp:
        with pytest.raises(smtplib.SMTPResponseException) as error:
            smtp.starttls(context=tls_client_context(secure))
        assert error.value.smtp_code == 454
    secure.faults.delay("STARTTLS", 0.1)
    with client(secure) as smtp:
        smtp.starttls(context=tls_client_context(secure))
        smtp.sendmail("app@example.com", ["bob@example.com"], SOURCE)
    secure.faults.disconnect("STARTTLS")
    with client(secure) as smtp:
        with pytest.raises(smtplib.SMTPServerDisconnected):
            smtp.starttls(context=tls_client_context(secure))
    assert secure.mailbox.count() == 1


# -- the transcript of real sessions and the life of rules -----------------------


def test_the_transcript_shows_a_session_as_it_happened(server):
    server.faults.reply("RCPT", 451, "4.7.1 Greylisted")
    with client(server, local_hostname="app.test") as smtp:
        smtp.sendmail("app@example.com", ["alice@example.com", "bob@example.com"], SOURCE)
    # smtplib writes "FROM:" up to Python 3.12, "from:" since.
    lines = last_session(server).text.lower().splitlines()
    assert lines[0].startswith("s: 220 localhost smtplibrary ")
    assert lines[1:3] == ["c: ehlo app.test", "s: 250-localhost"]
    assert lines[lines.index("s: 250 help") + 1 :] == [
        f"c: mail from:<app@example.com> size={len(SOURCE)}",
        "s: 250 ok",
        "c: rcpt to:<alice@example.com>",
        "*: fault at rcpt: reply 451",
        "s: 451 4.7.1 greylisted",
        "c: rcpt to:<bob@example.com>",
        "s: 250 ok",
        "c: data",
        "s: 354 end data with <cr><lf>.<cr><lf>",
        f"d: {len(SOURCE)} bytes of message data",
        "s: 250 ok",
        "c: quit",
        "s: 221 bye",
    ]


def test_rules_outlive_a_restart_and_a_reset_keeps_them_but_forgets_the_transcript(server):
    server.faults.reply("MAIL", 451, count=0)
    server.stop()
    server.start()
    with pytest.raises(smtplib.SMTPSenderRefused):
        send(server)
    sent_to_the_end(server)
    server.reset()
    assert server.transcript.sessions() == []
    assert len(server.faults.rules) == 1
    with pytest.raises(smtplib.SMTPSenderRefused):
        send(server)
    assert [s.number for s in sent_to_the_end(server)] == [1]


def test_a_retrying_client_is_counted(server):
    server.faults.reply("RCPT", 451, count=2)
    for _ in range(3):
        try:
            send(server)
        except smtplib.SMTPRecipientsRefused:
            pass
    attempts = server.wait_for_retries(2, 5)
    assert [attempt.outcome for attempt in attempts] == [
        "451 Requested action aborted: local error in processing",
        "451 Requested action aborted: local error in processing",
        "250 OK",
    ]
    server.mailbox.wait_for(Criteria(), 0)
