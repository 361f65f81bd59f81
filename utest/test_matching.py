import pytest

from SMTPLibrary.core import (
    ContentMismatch,
    Criteria,
    InvalidArgument,
    Mailbox,
    MessageNotReceived,
    ReceivedMessage,
    TextMatcher,
    UnexpectedMessage,
)

RAW = (
    b"From: Shop <shop@example.com>\r\n"
    b"To: alice+orders@example.com\r\n"
    b"Subject: Your order (#42) =?utf-8?q?is_on_its_way_=E2=9C=88?=\r\n"
    b"X-Tag: first\r\n"
    b"X-Tag: second\r\n"
    b"\r\n"
    b"Hello Alice,\r\nyour parcel left.\r\n"
)


@pytest.fixture
def message():
    return ReceivedMessage(RAW, "shop@example.com", ["alice+orders@example.com", "bcc@example.com"])


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("order", True),
        ("REGEXP:^Your order", True),
        ("^order", False),
        # Unprefixed: as written, or as a regular expression.
        ("Your order (#42)", True),
        ("^Your order \\(#42\\)", True),
        ("Your order (#43)", False),
        ("Your order (#42", True),
        ("REGEXP:Your order \\(#42\\) is", True),
        ("EQUALS:Your order (#42) is on its way ✈", True),
        ("EQUALS:Your order", False),
        ("EQUALS: Your order (#42) is on its way ✈", True),
        ("STARTS:Your order (#", True),
        ("STARTS:order", False),
        ("CONTAINS:(#42)", True),
        ("CONTAINS:(#43)", False),
        ("GLOB:Your order (#4?) *", True),
        ("GLOB:order*", False),
        ("equals:whatever", False),
    ],
)
def test_subject_with_each_prefix(message, value, expected):
    assert Criteria.from_strings(subject=value).matches(message) is expected


def test_recipient_matches_any_envelope_recipient(message):
    assert Criteria.from_strings(recipient="EQUALS:bcc@example.com").matches(message)
    assert Criteria.from_strings(recipient="CONTAINS:alice+orders@").matches(message)
    assert Criteria.from_strings(recipient="alice+orders@").matches(message)
    assert not Criteria.from_strings(recipient="REGEXP:alice+orders@").matches(message)


def test_sender_is_the_envelope_sender(message):
    assert Criteria.from_strings(sender="EQUALS:shop@example.com").matches(message)
    assert not Criteria.from_strings(sender="Shop <").matches(message)


def test_pattern_searches_the_source_with_newline_line_ends(message):
    assert Criteria.from_strings(pattern=r"X-Tag: first\nX-Tag: second\n\nHello").matches(message)
    assert not Criteria.from_strings(pattern=r"\r").matches(message)


def test_body_is_the_decoded_text(message):
    assert Criteria.from_strings(body="parcel left").matches(message)
    assert not Criteria.from_strings(body="Subject").matches(message)


def test_header_matches_any_value_of_that_header_regardless_of_case(message):
    assert Criteria.from_strings(header="x-tag: ^second$").matches(message)
    assert Criteria.from_strings(header=["X-Tag: EQUALS:first", "To: alice"]).matches(message)
    assert not Criteria.from_strings(header="X-Tag: third").matches(message)


def test_all_criteria_must_hold(message):
    assert Criteria.from_strings(sender="shop", subject="order").matches(message)
    assert not Criteria.from_strings(sender="shop", subject="invoice").matches(message)


def test_no_criteria_match_everything(message):
    assert Criteria().matches(message)
    assert str(Criteria()) == "any criteria"


def test_misses_say_what_failed_and_with_what(message):
    criteria = Criteria.from_strings(subject="EQUALS:Welcome", header="X-Missing: x", body="CONTAINS:Bob")
    assert criteria.misses(message) == [
        "subject 'Your order (#42) is on its way ✈' was not 'Welcome'",
        "header X-Missing was absent",
        "body 'Hello Alice, your parcel left.' did not contain 'Bob'",
    ]


def test_describing_criteria_keeps_what_the_user_wrote():
    criteria = Criteria.from_strings(subject="Welcome.*", sender="GLOB:*@shop", header="X-Tag: a")
    assert str(criteria) == "sender='GLOB:*@shop', subject='Welcome.*', header='X-Tag: a'"


def test_invalid_regular_expression_after_regexp_names_the_criterion():
    with pytest.raises(InvalidArgument, match=r"Invalid regular expression in subject='\(': missing \)"):
        Criteria.from_strings(subject="REGEXP:(")


@pytest.mark.parametrize("bad", ["no colon", ": empty name", "Two Words: x"])
def test_malformed_header_criterion_is_refused(bad):
    with pytest.raises(InvalidArgument, match=r"Criterion header must look like 'Name: value'"):
        Criteria.from_strings(header=bad)


def test_criterion_must_be_text():
    with pytest.raises(InvalidArgument, match=r"Criterion subject must be a string, got int 5"):
        Criteria.from_strings(subject=5)


def test_literal_criteria_take_special_characters_as_they_are(message):
    assert Criteria.literal(subject="Your order (#42) is on its way ✈").matches(message)
    assert Criteria.literal(body="parcel").matches(message)
    assert not Criteria.literal(subject="order").matches(message)


def test_check_raises_with_the_misses(message):
    Criteria.literal(body="parcel").check(message)
    with pytest.raises(ContentMismatch, match=r"^The message does not match: body 'Hello Alice, .*' did not contain"):
        Criteria.literal(body="invoice").check(message)


def test_unknown_kind_is_refused():
    with pytest.raises(InvalidArgument, match=r"Unknown match kind 'FUZZY': expected one of EQUALS, STARTS"):
        TextMatcher("FUZZY", "x")


# -- the unprefixed rule: a whole address is that address; other text as written or as a regular expression


def mail_to(*recipients, raw=b"Subject: s\r\n\r\nbody\r\n", sender="app@example.com"):
    return ReceivedMessage(raw, sender, list(recipients))


@pytest.mark.parametrize(
    ("criterion", "recipient", "expected"),
    [
        ("alice@example.com", "alice@example.com", True),
        ("alice@example.com", "Alice@Example.COM", True),
        ("alice@example.com", "malice@example.com", False),
        ("alice@example.com", "alice@example.com.evil", False),
        ("alice@example.com", "alice@example.community", False),
        ("alice@example.com", "bob.alice@example.com", False),
        ("alice+test@example.com", "alice+test@example.com", True),
        ("alice+test@example.com", "alice+test2@example.com", False),
        ("o'brien@example.com", "o'brien@example.com", True),
        # Not whole addresses: partial patterns keep working.
        ("alice@", "alice@example.com", True),
        ("alice@", "malice@example.com", True),
        ("^shop@", "shop@example.com", True),
        ("^shop@", "workshop@example.com", False),
        (".*@example.com", "alice@example.com", True),
        (".+@example.com", "alice@example.com", True),
        ("@example\\.com$", "alice@example.com", True),
    ],
)
def test_a_whole_address_is_that_address_only(criterion, recipient, expected):
    assert Criteria.from_strings(recipient=criterion).matches(mail_to(recipient)) is expected


def test_a_whole_address_is_found_at_address_boundaries_in_any_field():
    raw = (
        b"From: Shop <shop@example.com>\r\n"
        b"To: Alice <alice@example.com>, malice@example.org\r\n"
        b"Subject: For alice@example.com.\r\n\r\n"
        b"Write to alice@example.com or to malice@example.net, not alice@example.com.evil.\r\n"
    )
    message = mail_to("alice@example.com", raw=raw)
    for criteria in [
        {"header": "To: alice@example.com"},
        {"subject": "alice@example.com"},
        {"body": "alice@example.com"},
        {"pattern": "alice@example.com"},
        {"pattern": "ALICE@EXAMPLE.COM"},
    ]:
        assert Criteria.from_strings(**criteria).matches(message), criteria
    for criteria in [
        {"header": "To: alice@example.org"},
        {"body": "alice@example.net"},
        {"pattern": "lice@example.net"},
        {"header": "From: hop@example.com"},
    ]:
        assert not Criteria.from_strings(**criteria).matches(message), criteria
    # A whole address that is also a valid regular expression is still that address only.
    assert Criteria.from_strings(body="malice@example.net").matches(message)


def test_a_miss_of_an_address_says_it_looked_for_that_address():
    (miss,) = Criteria.from_strings(recipient="alice@example.com").misses(mail_to("malice@example.com"))
    assert miss == "recipients ['malice@example.com'] did not contain the address 'alice@example.com'"


def test_a_value_that_is_no_valid_regular_expression_is_looked_for_as_written():
    message = mail_to("a@example.com", raw=b"Subject: Price (in EUR: 5\r\n\r\nx\r\n")
    criteria = Criteria.from_strings(subject="Price (in EUR")
    assert criteria.matches(message)
    assert criteria.regexp_problems() == [
        "subject='Price (in EUR' is not a valid regular expression (missing ), unterminated subpattern at "
        "position 6), so it was looked for as written only: to compare as written, write "
        "subject=CONTAINS:Price (in EUR or subject=EQUALS:Price (in EUR; to search with a regular expression, "
        "correct it."
    ]
    assert Criteria.from_strings(subject="Price \\(in").regexp_problems() == []


def test_a_failed_wait_says_the_value_is_no_regular_expression_and_names_the_fixes():
    mailbox = Mailbox()
    mailbox.open()
    mailbox.add(mail_to("a@example.com", raw=b"Subject: Order 42 (paid)\r\n\r\nx\r\n"))
    with pytest.raises(MessageNotReceived) as failure:
        mailbox.wait_for(Criteria.from_strings(header="Subject: Order (42"), 0)
    assert str(failure.value) == (
        "No message matching header='Subject: Order (42' arrived in 0 seconds. header='Subject: Order (42' is not "
        "a valid regular expression (missing ), unterminated subpattern at position 6), so it was looked for as "
        "written only: to compare as written, write header=Subject: CONTAINS:Order (42 or "
        "header=Subject: EQUALS:Order (42; to search with a regular expression, correct it. 1 message arrived, "
        "closest first:\n1) from app@example.com to a@example.com, subject 'Order 42 (paid)': header Subject "
        "'Order 42 (paid)' did not contain 'Order (42'"
    )


def test_a_match_of_a_part_of_an_address_is_noted():
    message = mail_to("malice@example.com", "bob@example.com")
    assert Criteria.from_strings(recipient="alice@").partial_matches(message) == [
        "recipient='alice@' matched only part of 'malice@example.com'"
    ]
    for whole in ["malice@example.com", "EQUALS:malice@example.com", ".*@example.com", "CONTAINS:alice@", "bob@"]:
        # bob@ matches part of bob@example.com too, but the note is about a criterion, not each value
        expected = ["recipient='bob@' matched only part of 'bob@example.com'"] if whole == "bob@" else []
        assert Criteria.from_strings(recipient=whole).partial_matches(message) == expected, whole
    assert Criteria.from_strings(sender="^app@").partial_matches(message) == [
        "sender='^app@' matched only part of 'app@example.com'"
    ]
    # Only addresses are worth a note: a subject is text, matched in part by design.
    assert Criteria.from_strings(subject="s").partial_matches(message) == []


def test_an_unexpected_message_found_through_a_part_of_an_address_says_so():
    mailbox = Mailbox()
    mailbox.open()
    mailbox.add(mail_to("malice@example.com"))
    with pytest.raises(UnexpectedMessage) as failure:
        mailbox.assert_none(Criteria.from_strings(recipient="alice@"), 0)
    assert str(failure.value) == (
        "A message matching recipient='alice@' arrived: from app@example.com to malice@example.com, subject 's'. "
        "Note: recipient='alice@' matched only part of 'malice@example.com'."
    )


def test_a_misspelled_argument_in_pattern_is_refused_when_the_arguments_are_known():
    arguments = ["pattern", "sender", "recipient", "timeout"]
    with pytest.raises(InvalidArgument) as error:
        Criteria.from_strings(pattern="to=alice@example.com", arguments=arguments)
    assert str(error.value) == (
        "Unknown argument 'to' in pattern='to=alice@example.com': the arguments are pattern, sender, recipient, "
        "timeout. To search the message source for that text, write pattern=CONTAINS:to=alice@example.com."
    )
    with pytest.raises(InvalidArgument, match=r"^Unknown argument 'timout' .* Did you mean timeout\?"):
        Criteria.from_strings(pattern="timout=5", arguments=arguments)
    # Written on purpose: a prefix; a name that is an argument; or no arguments to check against.
    assert Criteria.from_strings(pattern="CONTAINS:to=alice@example.com", arguments=arguments)
    assert Criteria.from_strings(pattern="sender=x", arguments=arguments)
    assert Criteria.from_strings(pattern="to=alice@example.com")
    assert Criteria.from_strings(pattern="Content-Type=x", arguments=arguments)
