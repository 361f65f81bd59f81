"""The fault rule engine alone: validation in the caller's thread, order, counts, conditions."""

import threading
from datetime import timedelta

import pytest

from SMTPLibrary.core import InvalidArgument
from SMTPLibrary.core.mailbox.matching import TextMatcher
from SMTPLibrary.core.smtp.faults.rules import Delay, Disconnect, Faults, Reply, make_reply


@pytest.fixture
def faults():
    return Faults()


def test_an_unknown_stage_names_the_stages(faults):
    with pytest.raises(InvalidArgument) as error:
        faults.reply("HELLO", 451)
    assert str(error.value) == (
        "Unknown SMTP stage 'HELLO': expected one of CONNECT, EHLO, MAIL, RCPT, DATA, DATA_END, AUTH, STARTTLS."
    )


@pytest.mark.parametrize("written", ["data_end", "Data End", "data-end", " DATA_END "])
def test_stage_names_ignore_case_spaces_and_hyphens(faults, written):
    assert faults.reply(written, 451).stage == "DATA_END"


@pytest.mark.parametrize("code", [199, 600, 0, -451])
def test_a_code_outside_smtp_says_which_codes_make_sense(faults, code):
    with pytest.raises(InvalidArgument) as error:
        faults.reply("RCPT", code)
    assert str(error.value) == (
        f"Reply code {code} is not an SMTP reply code: give 4xx to refuse for now (the client should retry later, "
        "e.g. 451 or 452), 5xx to refuse for good (e.g. 550 or 554), or a success code with text of your own at "
        "CONNECT (220), MAIL (250), RCPT (250, 251), DATA_END (250)."
    )


def test_a_success_code_where_the_server_can_only_refuse(faults):
    with pytest.raises(InvalidArgument) as error:
        faults.reply("EHLO", 250)
    assert str(error.value) == (
        "Reply code 250 makes no sense at EHLO: give 4xx to refuse for now (e.g. 451) or 5xx to refuse for good "
        "(e.g. 554). Success codes accepted at EHLO: none: the server can only refuse or delay it."
    )


def test_a_success_code_that_is_not_the_stages_own(faults):
    with pytest.raises(InvalidArgument, match=r"^Reply code 354 makes no sense at DATA_END: .* accepted at DATA_END: "):
        faults.reply("DATA_END", 354)
    with pytest.raises(InvalidArgument, match=r"Success codes accepted at RCPT: 250, 251 \(the usual success reply"):
        faults.reply("RCPT", 220)


@pytest.mark.parametrize(("stage", "code"), [("CONNECT", 220), ("MAIL", 250), ("RCPT", 251), ("DATA_END", 250)])
def test_success_codes_of_the_stage_are_accepted(faults, stage, code):
    rule = faults.reply(stage, code, "my text")
    assert rule.action == Reply(code, "my text")
    assert rule.action.accepts


def test_a_code_must_be_a_number(faults):
    with pytest.raises(InvalidArgument, match=r"^The reply code must be a number like 451 or 550, got '451'\.$"):
        faults.reply("RCPT", "451")


def test_text_defaults_to_the_rfc_wording_and_several_lines_make_a_multiline_reply():
    assert make_reply("RCPT", 452, None).status == "452 Requested action not taken: insufficient system storage"
    assert make_reply("RCPT", 459, None).status == "459 Temporary failure"
    assert make_reply("RCPT", 559, None).status == "559 Permanent failure"
    assert make_reply("MAIL", 550, "first\nsecond\nthird").status == "550-first\r\n550-second\r\n550 third"


@pytest.mark.parametrize("text", ["Grüße", "bell\x07", "carriage\rreturn"])
def test_reply_text_must_be_printable_ascii(faults, text):
    with pytest.raises(InvalidArgument, match=r"^The reply text must be printable ASCII"):
        faults.reply("MAIL", 451, text)


def test_a_reply_line_longer_than_smtp_allows_is_refused(faults):
    faults.reply("MAIL", 451, "x" * 508)
    with pytest.raises(InvalidArgument, match=r"^A reply line may be at most 512 characters .* this one has 513\."):
        faults.reply("MAIL", 451, "x" * 509)


@pytest.mark.parametrize("seconds", [-1, float("nan"), float("inf"), "soon"])
def test_a_delay_must_be_a_finite_number_of_seconds(faults, seconds):
    with pytest.raises(InvalidArgument, match=r"^The delay must be "):
        faults.delay("DATA", seconds)


def test_a_delay_of_zero_is_allowed(faults):
    assert faults.delay("DATA", 0).action == Delay(0.0)


@pytest.mark.parametrize("count", [-1, True, 1.5])
def test_count_must_be_zero_or_positive(faults, count):
    with pytest.raises(InvalidArgument) as error:
        faults.disconnect("MAIL", count)
    assert str(error.value) == f"count must be 0 (every time, until cleared) or a positive number, got {count!r}."


@pytest.mark.parametrize("stage", ["CONNECT", "EHLO", "AUTH", "STARTTLS"])
def test_a_sender_condition_before_mail_is_explained(faults, stage):
    with pytest.raises(InvalidArgument) as error:
        faults.reply(stage, 421, sender="app@")
    assert str(error.value) == (
        f"A sender condition makes no sense at {stage}: the client names the sender with MAIL FROM, which comes "
        "later. Use it at MAIL, RCPT, DATA, DATA_END."
    )


def test_a_recipient_condition_only_works_at_rcpt(faults):
    with pytest.raises(InvalidArgument) as error:
        faults.reply("MAIL", 451, recipient="bob@")
    assert str(error.value) == (
        "A recipient condition only works at RCPT, where each RCPT TO names one recipient: at MAIL the client has "
        "not named any recipient yet."
    )
    with pytest.raises(InvalidArgument) as error:
        faults.disconnect("DATA_END", recipient="bob@")
    assert str(error.value) == (
        "A recipient condition only works at RCPT, where each RCPT TO names one recipient: at DATA_END a message "
        "may have several recipients; refuse the RCPT of that recipient instead."
    )


def test_a_bad_regular_expression_after_regexp_is_reported_when_the_rule_is_added(faults):
    with pytest.raises(InvalidArgument, match=r"^Invalid regular expression in sender='\(': "):
        faults.reply("MAIL", 451, sender="REGEXP:(")
    assert faults.rules == []


def test_conditions_are_read_like_criteria(faults):
    # A whole address is that address only; other text as written or as a regular expression.
    rule = faults.reply("RCPT", 451, count=0, recipient="alice@example.com")
    assert rule.matches("RCPT", "app@example.com", "ALICE@example.com")
    assert not rule.matches("RCPT", "app@example.com", "malice@example.com")
    assert faults.reply("MAIL", 451, count=0, sender="^app@").matches("MAIL", "app@example.com", None)
    # Not a valid regular expression: looked for as written, and the rule says so where it is logged.
    unclosed = faults.reply("MAIL", 451, count=0, sender="bounce(")
    assert unclosed.matches("MAIL", "bounce(1)@example.com", None)
    assert not unclosed.matches("MAIL", "bounce@example.com", None)
    assert str(unclosed) == (
        "reply 451 'Requested action aborted: local error in processing' at MAIL when the sender matches 'bounce(' "
        "(as written: not a valid regular expression, missing ), unterminated subpattern at position 6), "
        "until cleared"
    )


def test_a_misspelled_argument_in_stage_is_named(faults):
    with pytest.raises(InvalidArgument) as error:
        faults.reply("stge=RCPT", 451)
    assert str(error.value) == (
        "Unknown argument 'stge' in stage='stge=RCPT': the arguments are stage, code, text, count, sender, "
        "recipient. Did you mean stage?"
    )
    with pytest.raises(InvalidArgument, match=r"^Unknown argument 'cont' in stage='cont=2': the arguments are "
                       r"stage, count, sender, recipient\. Did you mean count\?$"):  # fmt: skip
        faults.disconnect("cont=2")
    with pytest.raises(InvalidArgument, match=r"^Unknown SMTP stage 'RCTP': expected one of CONNECT, "):
        faults.delay("RCTP", 1)


def test_delays_take_time_strings(faults):
    assert faults.delay("DATA", "500 ms").action == Delay(0.5)
    assert faults.delay("DATA", timedelta(seconds=2)).action == Delay(2.0)
    with pytest.raises(InvalidArgument, match=r"^The delay must be a time, such as 5, 1\.5, '5 s'"):
        faults.delay("DATA", "soon")


def test_rules_fire_in_the_order_added(faults):
    faults.reply("RCPT", 452, count=2)
    faults.reply("RCPT", 550)
    taken = [faults.take("RCPT", False, "a@x", "b@x") for _ in range(4)]
    assert [action.code if action else None for action in taken] == [452, 452, 550, None]


def test_count_zero_fires_until_cleared(faults):
    faults.disconnect("MAIL", count=0)
    assert all(isinstance(faults.take("MAIL", False, "a@x"), Disconnect) for _ in range(100))
    faults.clear()
    assert faults.take("MAIL", False, "a@x") is None


def test_a_rule_fires_at_its_own_stage_only(faults):
    faults.reply("MAIL", 451)
    assert faults.take("RCPT", False, "a@x", "b@x") is None
    assert faults.take("DATA_END", False, "a@x") is None
    assert faults.take("MAIL", False, "a@x") == Reply(451, "Requested action aborted: local error in processing")


def test_conditions_match_only_what_they_should(faults):
    faults.reply("RCPT", 452, count=0, recipient=TextMatcher("EQUALS", "bob@example.com", "recipient"))
    faults.reply("RCPT", 550, count=0, sender="^bounce@", recipient="GLOB:*@spam.test")
    assert faults.take("RCPT", False, "app@example.com", "bob@example.com").code == 452
    assert faults.take("RCPT", False, "app@example.com", "bob@example.com.evil") is None
    assert faults.take("RCPT", False, "app@example.com", "alice@example.com") is None
    assert faults.take("RCPT", False, "app@example.com", "x@spam.test") is None
    assert faults.take("RCPT", False, "bounce@example.com", "x@spam.test").code == 550
    assert faults.take("RCPT", False, None, "x@spam.test") is None


def test_an_empty_sender_is_matched_as_empty_text(faults):
    faults.reply("MAIL", 550, sender="EQUALS:")
    assert faults.take("MAIL", False, "app@example.com") is None
    assert faults.take("MAIL", False, "").code == 550


def test_a_delay_and_a_reply_at_the_same_stage_both_fire(faults):
    faults.reply("DATA_END", 451)
    faults.delay("DATA_END", 2)
    assert faults.take("DATA_END", True, "a@x") == Delay(2.0)
    assert faults.take("DATA_END", False, "a@x").code == 451
    assert faults.rules == []


def test_rules_describe_themselves(faults):
    rule = faults.reply("RCPT", 452, "Mailbox full", count=2, recipient="bob@")
    assert str(rule) == "reply 452 'Mailbox full' at RCPT when the recipient matches 'bob@', 2 more times"
    assert str(faults.delay("DATA", 1.5, count=0)) == "wait 1.5 s at DATA, until cleared"
    assert str(faults.disconnect("CONNECT")) == "drop the connection at CONNECT, 1 more time"


def test_taking_from_several_threads_fires_each_rule_exactly_count_times(faults):
    faults.reply("RCPT", 452, count=5000)
    fired = []

    def take_all():
        mine = 0
        while faults.take("RCPT", False, "a@x", "b@x") is not None:
            mine += 1
        fired.append(mine)

    threads = [threading.Thread(target=take_all) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(fired) == 5000
    assert faults.rules == []
