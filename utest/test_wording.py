"""The words failures are made of: durations and counts read as a person would write them."""

import pytest

from SMTPLibrary.core.wording import format_duration, plural


@pytest.mark.parametrize(
    "seconds, words",
    [
        (0.001, "1 millisecond"),
        (0.25, "250 milliseconds"),
        (1, "1 second"),
        (1.5, "1.5 seconds"),
        (60, "60 seconds"),
    ],
)
def test_format_duration(seconds, words):
    assert format_duration(seconds) == words


def test_plural():
    assert [plural(1, "message"), plural(2, "message"), plural(2, "entry", "entries")] == [
        "1 message",
        "2 messages",
        "2 entries",
    ]
