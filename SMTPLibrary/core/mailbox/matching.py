"""Criteria: built once from user input, tested against messages, and able to
explain why a message did not match (the "nearest miss" of a failure)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from fnmatch import translate
from operator import methodcaller
from typing import TYPE_CHECKING

from ..errors import ContentMismatch, InvalidArgument
from ..mail import headerscan
from ..wording import label as message_label
from ..wording import quoted_list, shorten

if TYPE_CHECKING:
    from ..mail import ReceivedMessage

# The prefixes of Robot Framework's ``Run Keyword And Expect Error``, plus CONTAINS.
PREFIXES = ("EQUALS", "STARTS", "GLOB", "REGEXP", "CONTAINS")


class TextMatcher:
    """One expected value: how to compare (``kind``) and with what (``expected``)."""

    __slots__ = ("_test", "expected", "kind")

    _VERBS = {
        "REGEXP": "did not match",
        "EQUALS": "was not",
        "STARTS": "did not start with",
        "GLOB": "did not match glob",
        "CONTAINS": "did not contain",
    }

    def __init__(self, kind: str, expected: str, name: str = "value") -> None:
        if kind not in PREFIXES:
            raise InvalidArgument(f"Unknown match kind '{kind}': expected one of {', '.join(PREFIXES)}.")
        if not isinstance(expected, str):
            raise InvalidArgument(f"{name} must be a string, got {type(expected).__name__} {expected!r}.")
        self.kind = kind
        self.expected = expected
        self._test = self._compile(kind, expected, name)

    @staticmethod
    def _compile(kind: str, expected: str, name: str) -> Callable[[str], object]:
        # Built-in callables, no lambdas: a search calls this once per stored message.
        # The result is truthy when the value matches.
        if kind == "REGEXP":
            try:
                return re.compile(expected).search
            except re.error as error:
                raise InvalidArgument(f"Invalid regular expression in {name}={expected!r}: {error}.") from None
        if kind == "EQUALS":
            return expected.__eq__
        if kind == "STARTS":
            return methodcaller("startswith", expected)
        if kind == "GLOB":
            return re.compile(translate(expected)).match  # what fnmatchcase does, compiled once
        return methodcaller("__contains__", expected)

    @classmethod
    def parse(cls, text: str, name: str = "value") -> TextMatcher:
        """``'EQUALS:Hello'`` compares exactly; text without a known prefix is a regular expression."""
        prefix, colon, rest = text.partition(":")
        if colon and prefix in PREFIXES:
            # Like Robot Framework, spaces after the colon are not part of the value.
            return cls(prefix, rest.lstrip(), name)
        return cls("REGEXP", text, name)

    def matches(self, value: str) -> bool:
        return bool(self._test(value))

    @property
    def verb(self) -> str:
        return self._VERBS[self.kind]

    def describe_miss(self, label: str, actual: str) -> str:
        return f"{label} {shorten(actual)!r} {self.verb} {self.expected!r}"

    def __str__(self) -> str:
        return self.expected if self.kind == "REGEXP" else f"{self.kind}:{self.expected}"


class Field:
    """What a criterion looks at: the values of a message it is tested against
    (one matching value is enough) and how a miss shows them."""

    __slots__ = ("absent", "choices", "cost", "label", "show", "values")

    def __init__(
        self,
        label: str,
        values: Callable[[ReceivedMessage], list[str]],
        cost: int,
        show: str = "first",
        *,
        absent: str | None = None,
        choices: tuple[str, ...] = (),
    ) -> None:
        self.label = label
        self.values = values
        self.cost = cost
        # "first": the first value is quoted; "all": the list is; "none": nothing is (too long).
        self.show = show
        # The miss to report when a message has no value at all (None: the generic one).
        self.absent = absent
        # When given, the only values a user may ask for, compared exactly (no regular expression).
        self.choices = choices


def _body(message: ReceivedMessage) -> str:
    """``message.body``, read straight from the raw bytes when the message is a single
    plain-text part (most are): a search through thousands of bodies parses none of them."""
    text = headerscan.plain_body(message.raw)
    return message.body if text is None else text


# The criteria every keyword and step accepts, by name. Cost orders the
# tests: a message that fails on its sender is never parsed.
FIELDS: dict[str, Field] = {
    "sender": Field("sender", lambda m: [m.sender], cost=0),
    "recipient": Field("recipients", lambda m: m.recipients, cost=0, show="all"),
    "subject": Field("subject", lambda m: [m.subject], cost=1),
    "body": Field("body", lambda m: [_body(m)], cost=3),
    "pattern": Field("message source", lambda m: [m.source], cost=4, show="none"),
    "authenticated_as": Field(
        "authenticated_as",
        lambda m: [] if m.authenticated_as is None else [m.authenticated_as],
        cost=0,
        absent="sent without login",
    ),
    "tls": Field("tls", lambda m: ["yes" if m.tls else "no"], cost=0, choices=("yes", "no")),
    "attachment": Field(
        "attachment names", lambda m: [a.filename for a in m.attachments if a.filename], cost=3, show="all"
    ),
    "link": Field("links", lambda m: m.links, cost=3, show="all"),
}
HEADER_COST = 2
# A miss quotes this many values of a list (recipients, links...) and counts the rest.
LISTED_VALUES = 5
CRITERIA_NAMES = frozenset([*FIELDS, "header"])


class Criterion:
    """A named test of one aspect of a message, with its explanation when it fails."""

    __slots__ = ("header", "matcher", "name", "test")

    def __init__(self, name: str, matcher: TextMatcher, header: str | None = None) -> None:
        if name != "header" and name not in FIELDS:
            known = ", ".join([*FIELDS, "header"])
            raise InvalidArgument(f"Unknown criterion '{name}': expected one of {known}.")
        self.name = name
        self.matcher = matcher
        self.header = header
        # The yes/no question a search asks of every stored message, as one closure
        # (a search runs it for thousands of messages); miss() explains a no.
        self.test = self._compile()

    def _compile(self) -> Callable[[ReceivedMessage], bool]:
        test = self.matcher._test
        if self.name == "header":
            header = self.header
            return lambda message: any(map(test, message.headers.get_all(header)))
        values = FIELDS[self.name].values
        return lambda message: any(map(test, values(message)))

    @property
    def cost(self) -> int:
        return HEADER_COST if self.name == "header" else FIELDS[self.name].cost

    def miss(self, message: ReceivedMessage) -> str | None:
        """``None`` when the message satisfies this criterion, else why not."""
        matcher = self.matcher
        if self.name == "header":
            values = message.headers.get_all(self.header)
            if not values:
                return f"header {self.header} was absent"
            label, show = f"header {self.header}", "first"
        else:
            field = FIELDS[self.name]
            values = field.values(message)
            if not values and field.absent:
                return field.absent
            label, show = field.label, field.show
        if any(matcher.matches(value) for value in values):
            return None
        if show == "first" and values:
            return matcher.describe_miss(label, values[0])
        shown = f" [{quoted_list(values, LISTED_VALUES)}]" if show == "all" else ""
        return f"{label}{shown} {matcher.verb} {matcher.expected!r}"

    def __str__(self) -> str:
        value = f"{self.header}: {self.matcher}" if self.header else str(self.matcher)
        return f"{self.name}={value!r}"


class Criteria:
    """All given criteria must hold. An empty ``Criteria`` matches every message."""

    def __init__(self, criteria: Iterable[Criterion] = ()) -> None:
        self._criteria = sorted(criteria, key=lambda criterion: criterion.cost)

    @classmethod
    def from_strings(cls, header: str | list[str] | None = None, **values: str | None) -> Criteria:
        """Criteria from the strings a user typed (``subject='Welcome'``, ``header='X-Tag: a'``):
        each one a regular expression unless it starts with ``EQUALS:``, ``STARTS:``, ``GLOB:``,
        ``REGEXP:`` or ``CONTAINS:``. ``None`` values are left out."""
        criteria = [Criterion(name, _parse(name, value)) for name, value in values.items() if value is not None]
        for item in [header] if isinstance(header, str) else header or []:
            name, value = _split_header(item)
            criteria.append(Criterion("header", TextMatcher.parse(value, "header"), header=name))
        return cls(criteria)

    @classmethod
    def literal(cls, **values: str) -> Criteria:
        """Criteria where each value must be equal to the whole field (``body``, ``pattern``: be contained in it)."""
        criteria = []
        for name, value in values.items():
            kind = "CONTAINS" if name in ("body", "pattern") else "EQUALS"
            criteria.append(Criterion(name, TextMatcher(kind, value, name)))
        return cls(criteria)

    @classmethod
    def regexp(cls, **values: str) -> Criteria:
        """Criteria where each value is a regular expression, with no prefix handling."""
        return cls([Criterion(name, TextMatcher("REGEXP", value, name)) for name, value in values.items()])

    def check(self, message: ReceivedMessage) -> None:
        """Raise :class:`ContentMismatch` saying which criteria ``message`` fails, if any."""
        misses = self.misses(message)
        if misses:
            raise ContentMismatch(f"{message_label(message)} does not match: {'; '.join(misses)}.")

    def filter(self, messages: Iterable[ReceivedMessage]) -> list[ReceivedMessage]:
        """The messages that match, in their order."""
        if len(self._criteria) == 1:
            return list(filter(self._criteria[0].test, messages))
        return list(filter(self.matches, messages))

    def matches(self, message: ReceivedMessage) -> bool:
        for criterion in self._criteria:
            if not criterion.test(message):
                return False
        return True

    def misses(self, message: ReceivedMessage) -> list[str]:
        """Why ``message`` does not match: one phrase per failed criterion (empty: it matches)."""
        return [miss for miss in (criterion.miss(message) for criterion in self._criteria) if miss]

    def __bool__(self) -> bool:
        return bool(self._criteria)

    def __str__(self) -> str:
        return ", ".join(str(criterion) for criterion in self._criteria) or "any criteria"


def _parse(name: str, value: object) -> TextMatcher:
    text = _as_text(name, value)
    field = FIELDS.get(name)
    if field is None or not field.choices:
        return TextMatcher.parse(text, name)
    choice = text.strip().lower()
    if choice not in field.choices:
        raise InvalidArgument(f"Criterion {name} must be {' or '.join(field.choices)}, got {text!r}.")
    # A plain search is exact here (no choice contains another), and the criterion reads as typed: tls='yes'.
    return TextMatcher("REGEXP", re.escape(choice), name)


def _as_text(name: str, value: object) -> str:
    if not isinstance(value, str):
        raise InvalidArgument(f"Criterion {name} must be a string, got {type(value).__name__} {value!r}.")
    return value


def _split_header(item: object) -> tuple[str, str]:
    text = _as_text("header", item)
    name, colon, value = text.partition(":")
    if not colon or not name.strip() or " " in name.strip():
        raise InvalidArgument(f"Criterion header must look like 'Name: value', got {text!r}.")
    return name.strip(), value[1:] if value.startswith(" ") else value
