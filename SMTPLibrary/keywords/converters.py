"""Robot Framework argument types of the library's own, with their converters (``@library(converters=...)``).

Robot converts ``Message Count Should Be    timout=2 s`` into an ``int`` argument and fails
with "cannot be converted to integer": true, but it does not say that ``timout`` is a
misspelled argument name. These types are whole numbers whose conversion says so.
"""

from __future__ import annotations

from collections.abc import Callable

from ..core.values import refuse_misnamed


class MessageCount(int):
    """A number of messages, 0 or more, such as ``2``."""


class RetryCount(int):
    """A number of retries, 0 or more, such as ``2``."""


def _whole_number(argument: str, arguments: tuple[str, ...]) -> Callable[[int | str], int]:
    def convert(value: int | str) -> int:
        refuse_misnamed(value, argument, arguments)
        if isinstance(value, int):
            return value
        try:
            return int(value.strip())
        except ValueError:
            raise ValueError(f"expected a whole number such as 2, got {value!r}.") from None

    return convert


CONVERTERS = {
    MessageCount: _whole_number("expected", ("expected", "timeout")),
    RetryCount: _whole_number("count", ("count", "timeout")),
}
