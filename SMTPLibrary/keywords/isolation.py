"""Isolation between tests: the listener methods behind ``auto_reset``, and unique addresses."""

from __future__ import annotations

from typing import Any

from robot.api import logger
from robot.api.deco import keyword

from .context import LibraryContext


class IsolationKeywords(LibraryContext):
    @keyword("Get Unique Address")
    def get_unique_address(self, domain: str = "example.test", name: str = "test") -> str:
        """Returns an e-mail address unique to the current test: ``name.<token>@domain``.

        Tests that share one server (see `Isolation`) tell their mail apart by
        sending to their own address. Within a test, the same ``name`` always
        gives the same address; another ``name`` gives another one. Outside a
        test (in a suite setup, or through the Remote interface, which does not
        see tests) every call gives a new address.

        The address holds no character that is special in a regular expression
        other than ``.``, so ``recipient=${address}`` works as it is. ``name`` may
        hold letters, digits, ``-``, ``_`` and dots, ``domain`` letters, digits,
        ``-`` and dots.

        | ${address} =   | Get Unique Address | domain=example.test |
        | Register User  | ${address} |
        | Message Should Be Received Matching | recipient=${address} |
        | ${admin} =     | Get Unique Address | name=admin |
        """
        address = self.isolation.unique_address(name, domain)
        logger.info(f"Unique address: {address}")
        return address

    # Listener methods, listener API 3: Robot calls them on the library itself
    # (listener="SELF" in library.py) for the suites that import it.

    def _start_suite(self, data: Any, result: Any) -> None:
        self.isolation.start("suite", result.id)

    def _end_suite(self, data: Any, result: Any) -> None:
        self.isolation.end("suite", result.id)

    def _start_test(self, data: Any, result: Any) -> None:
        self.isolation.start("test", result.id)

    def _end_test(self, data: Any, result: Any) -> None:
        self.isolation.end("test", result.id)
