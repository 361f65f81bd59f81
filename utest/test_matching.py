import pytest

from SMTPLibrary.core import ContentMismatch, Criteria, InvalidArgument, ReceivedMessage, TextMatcher

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
    assert not Criteria.from_strings(recipient="alice+orders@").matches(message)


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


def test_invalid_regular_expression_names_the_criterion():
    with pytest.raises(InvalidArgument, match=r"Invalid regular expression in subject='\(': missing \)"):
        Criteria.from_strings(subject="(")


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
