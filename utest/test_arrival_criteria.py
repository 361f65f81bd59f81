"""The criteria about how a message arrived: authenticated_as and tls."""

import pytest

from SMTPLibrary.core import ContentMismatch, Criteria, InvalidArgument, ReceivedMessage
from SMTPLibrary.core.report.card import render

RAW = b"Subject: hello\r\n\r\nx\r\n"
TLS = {"version": "TLSv1.3", "cipher": "TLS_AES_256_GCM_SHA384", "bits": 256, "mode": "implicit"}


@pytest.fixture
def secure():
    return ReceivedMessage(RAW, "a@example.com", ["b@example.com"], authenticated_as="alice", tls=TLS)


@pytest.fixture
def plain():
    return ReceivedMessage(RAW, "a@example.com", ["b@example.com"])


@pytest.mark.parametrize(
    ("criteria", "secure_matches", "plain_matches"),
    [
        ({"tls": "yes"}, True, False),
        ({"tls": "no"}, False, True),
        ({"tls": " YES "}, True, False),
        ({"authenticated_as": "alice"}, True, False),
        ({"authenticated_as": "EQUALS:ali"}, False, False),
        ({"authenticated_as": "GLOB:a*"}, True, False),
        ({"authenticated_as": ".*"}, True, False),
        ({"authenticated_as": "alice", "tls": "yes", "subject": "hello"}, True, False),
    ],
)
def test_arrival_criteria(secure, plain, criteria, secure_matches, plain_matches):
    built = Criteria.from_strings(**criteria)
    assert built.matches(secure) is secure_matches
    assert built.matches(plain) is plain_matches


def test_misses_explain_how_the_message_arrived(secure, plain):
    criteria = Criteria.from_strings(authenticated_as="bob", tls="yes")
    assert criteria.misses(secure) == ["authenticated_as 'alice' did not match 'bob'"]
    assert criteria.misses(plain) == ["sent without login", "tls 'no' did not match 'yes'"]
    assert str(criteria) == "authenticated_as='bob', tls='yes'"


def test_literal_criteria_as_the_behave_steps_use_them(secure, plain):
    Criteria.literal(tls="yes", authenticated_as="alice").check(secure)
    with pytest.raises(ContentMismatch) as failure:
        Criteria.literal(tls="yes").check(plain)
    assert str(failure.value) == "The message does not match: tls 'no' was not 'yes'."
    with pytest.raises(ContentMismatch) as failure:
        Criteria.literal(authenticated_as="alic").check(secure)
    assert str(failure.value) == "The message does not match: authenticated_as 'alice' was not 'alic'."


@pytest.mark.parametrize("value", ["maybe", "true", "EQUALS:yes", ""])
def test_tls_takes_yes_or_no_only(value):
    with pytest.raises(InvalidArgument) as failure:
        Criteria.from_strings(tls=value)
    assert str(failure.value) == f"Criterion tls must be yes or no, got {value!r}."


def test_the_log_summary_says_how_the_message_arrived(secure, plain):
    html = render(secure)
    assert "<th>TLS</th><td>TLSv1.3, TLS_AES_256_GCM_SHA384 (implicit)</td>" in html
    assert "<th>Logged in as</th><td>alice</td>" in html
    assert "TLS</th>" not in render(plain)
    assert "Logged in as" not in render(plain)


def test_a_user_name_in_the_log_is_escaped():
    html = render(ReceivedMessage(RAW, "a@example.com", ["b@example.com"], authenticated_as="<b>x</b>"))
    assert "&lt;b&gt;x&lt;/b&gt;" in html
    assert "<b>x</b>" not in html
