"""Argument values as users write them: times, and argument names that are not arguments."""

from __future__ import annotations

from datetime import timedelta

import pytest

from SMTPLibrary.core import InvalidArgument
from SMTPLibrary.core.values import refuse_misnamed, seconds


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (5, 5.0),
        (1.5, 1.5),
        (0, 0.0),
        (timedelta(milliseconds=250), 0.25),
        ("5", 5.0),
        ("1.5", 1.5),
        ("5 s", 5.0),
        ("5s", 5.0),
        ("5 seconds", 5.0),
        ("1 second", 1.0),
        ("500 ms", 0.5),
        ("500 milliseconds", 0.5),
        ("1 minute 30 seconds", 90.0),
        ("1min 30s", 90.0),
        ("1m30s", 90.0),
        ("2 hours", 7200.0),
        ("1 day", 86400.0),
        ("1 h 1 min 1 s 1 ms", 3661.001),
        ("01:30", 90.0),
        ("1:00:01.5", 3601.5),
        (" 10 S ", 10.0),
    ],
)
def test_seconds_read_what_robot_framework_reads(value, expected):
    assert seconds(value) == pytest.approx(expected)


@pytest.mark.parametrize("value", ["5 parsecs", "five", "", "s", "1 s 2 s", "5 s x", None, True, [5], float("nan")])
def test_other_times_are_refused_naming_the_argument_and_examples(value):
    with pytest.raises(InvalidArgument) as error:
        seconds(value, "within")
    assert str(error.value) == (
        "within must be a time, such as 5, 1.5, '5 s', '500 ms', '1 minute 30 seconds' or timedelta(seconds=5); "
        f"got {value!r}."
    )


@pytest.mark.parametrize("value", [-1, "-1 s", timedelta(seconds=-1)])
def test_negative_times_are_refused(value):
    with pytest.raises(InvalidArgument, match=r"^timeout must be 0 seconds or more, got "):
        seconds(value)


def test_a_name_value_text_with_an_unknown_name_is_a_misspelled_argument():
    with pytest.raises(InvalidArgument) as error:
        refuse_misnamed("timout=5 s", "expected", ["expected", "timeout"])
    assert str(error.value) == (
        "Unknown argument 'timout' in expected='timout=5 s': the arguments are expected, timeout. Did you mean timeout?"
    )
    with pytest.raises(InvalidArgument) as error:
        refuse_misnamed("to=a@example.com", "pattern", ["pattern"], "Write CONTAINS:to=a@example.com to mean it.")
    assert str(error.value) == (
        "Unknown argument 'to' in pattern='to=a@example.com': the arguments are pattern. "
        "Write CONTAINS:to=a@example.com to mean it."
    )


@pytest.mark.parametrize("value", ["timeout=5", "a@example.com", "x-tag=1", "=5", "5=x", " to=x", 5, None])
def test_other_values_pass(value):
    refuse_misnamed(value, "pattern", ["pattern", "timeout"])


def test_nothing_is_checked_without_argument_names():
    refuse_misnamed("to=x", "pattern", [])
