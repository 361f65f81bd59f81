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
from ..values import refuse_misnamed
from ..wording import label as message_label
from ..wording import quoted_list, shorten

if TYPE_CHECKING:
    from ..mail import ReceivedMessage

# The prefixes of Robot Framework's ``Run Keyword And Expect Error``, plus CONTAINS.
PREFIXES = ("EQUALS", "STARTS", "GLOB", "REGEXP", "CONTAINS")
# What an unprefixed value becomes (see TextMatcher.parse): a whole e-mail address, or text
# found as written or as a regular expression.
ADDRESS, TEXT = "ADDRESS", "TEXT"

# A whole e-mail address, strictly: a dot-atom local part of letters, digits and ._%+-' (no dot
# first, last or twice in a row, so that ``.+@example.com`` stays a regular expression), ``@``,
# and a domain of letters, digits and hyphens with at least one dot.
_ADDRESS = re.compile(r"[A-Za-z0-9_%+'-]+(?:\.[A-Za-z0-9_%+'-]+)*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
# Around an address searched in a longer text: no address character right before it
# (``malice@``) and no more domain right after it (``example.com.evil``, ``example.com-x``).
_BEFORE_ADDRESS = r"(?<![\w.%+'-])"
_AFTER_ADDRESS = r"(?![\w-]|\.[\w-])"
# Characters that make a text mean something else as a regular expression than as written.
_REGEXP_SYNTAX = frozenset("\\.^$*+?{}[]|()")


def is_address(text: str) -> bool:
    """Whether ``text`` is a whole e-mail address (the strict shape unprefixed criteria treat as one)."""
    return _ADDRESS.fullmatch(text) is not None


class TextMatcher:
    """One expected value: how to compare (``kind``) and with what (``expected``).

    ``kind`` is a prefix (``EQUALS``, ``STARTS``, ``GLOB``, ``REGEXP``, ``CONTAINS``), or what
    :meth:`parse` makes of a value without one: ``ADDRESS`` (that address, at address
    boundaries, ignoring case) or ``TEXT`` (found as written, or as a regular expression).
    ``invalid`` is why a ``TEXT`` value is not a valid regular expression (``None`` when it is):
    it is then looked for as written only."""

    __slots__ = ("_regexp", "_test", "expected", "invalid", "kind")

    _VERBS = {
        "REGEXP": "did not match",
        "EQUALS": "was not",
        "STARTS": "did not start with",
        "GLOB": "did not match glob",
        "CONTAINS": "did not contain",
        ADDRESS: "did not contain the address",
        TEXT: "did not match",
    }

    def __init__(self, kind: str, expected: str, name: str = "value") -> None:
        if kind not in self._VERBS:
            raise InvalidArgument(f"Unknown match kind '{kind}': expected one of {', '.join(PREFIXES)}.")
        if not isinstance(expected, str):
            raise InvalidArgument(f"{name} must be a string, got {type(expected).__name__} {expected!r}.")
        self.kind = kind
        self.expected = expected
        self.invalid: str | None = None
        self._regexp: re.Pattern[str] | None = None
        self._test = self._compile(kind, expected, name)

    def _compile(self, kind: str, expected: str, name: str) -> Callable[[str], object]:
        # Built-in callables where possible, no lambdas: a search calls this once per stored
        # message. The result is truthy when the value matches.
        if kind == "REGEXP":
            try:
                self._regexp = re.compile(expected)
            except re.error as error:
                raise InvalidArgument(f"Invalid regular expression in {name}={expected!r}: {error}.") from None
            return self._regexp.search
        if kind == ADDRESS:
            self._regexp = re.compile(_BEFORE_ADDRESS + re.escape(expected) + _AFTER_ADDRESS, re.IGNORECASE)
            return self._regexp.search
        if kind == TEXT:
            as_written = methodcaller("__contains__", expected)
            if _REGEXP_SYNTAX.isdisjoint(expected):
                return as_written  # as a regular expression it would mean the same
            try:
                self._regexp = re.compile(expected)
            except re.error as error:
                self.invalid = str(error)
                return as_written
            try:
                # One search for both readings: a builtin call per message, no Python frame.
                return re.compile(f"(?:{expected})|{re.escape(expected)}").search
            except re.error:  # global flags such as (?i) must stay at the start: two searches then
                search = self._regexp.search
                return lambda value: expected in value or search(value)
        if kind == "EQUALS":
            return expected.__eq__
        if kind == "STARTS":
            return methodcaller("startswith", expected)
        if kind == "GLOB":
            return re.compile(translate(expected)).match  # what fnmatchcase does, compiled once
        return methodcaller("__contains__", expected)

    @classmethod
    def parse(cls, text: str, name: str = "value") -> TextMatcher:
        """A value as a user writes it. With a prefix (``EQUALS:Hello``), as the prefix says; without:

        1. a whole e-mail address matches that address only, ignoring case, wherever it
           stands in the text but never inside a longer address;
        2. anything else matches where it occurs as written, or where it is a regular
           expression with a match (``re.search``); one that is not a valid regular
           expression is looked for as written only (see ``invalid``)."""
        prefix, colon, rest = text.partition(":")
        if colon and prefix in PREFIXES:
            # Like Robot Framework, spaces after the colon are not part of the value.
            return cls(prefix, rest.lstrip(), name)
        return cls(ADDRESS if is_address(text) else TEXT, text, name)

    def matches(self, value: str) -> bool:
        return bool(self._test(value))

    def covers(self, value: str) -> bool:
        """Whether the match is the whole of ``value``, not a part of it (for the ``TEXT`` kind,
        which can match a part of an address: ``alice@`` in ``malice@example.com``)."""
        if self.kind != TEXT or value == self.expected:
            return True
        return self._regexp is not None and self._regexp.fullmatch(value) is not None

    @property
    def verb(self) -> str:
        if self.kind == TEXT and self.invalid is not None:
            return self._VERBS["CONTAINS"]
        return self._VERBS[self.kind]

    def describe_miss(self, label: str, actual: str) -> str:
        return f"{label} {shorten(actual)!r} {self.verb} {self.expected!r}"

    def __str__(self) -> str:
        return self.expected if self.kind in (TEXT, ADDRESS) else f"{self.kind}:{self.expected}"


class Field:
    """What a criterion looks at: the values of a message it is tested against
    (one matching value is enough) and how a miss shows them."""

    __slots__ = ("absent", "addresses", "choices", "cost", "label", "show", "values")

    def __init__(
        self,
        label: str,
        values: Callable[[ReceivedMessage], list[str]],
        cost: int,
        show: str = "first",
        *,
        absent: str | None = None,
        choices: tuple[str, ...] = (),
        addresses: bool = False,
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
        # Each value is one e-mail address: a match of a part of it is worth a note (see Criterion.partial).
        self.addresses = addresses


def _body(message: ReceivedMessage) -> str:
    """``message.body``, read straight from the raw bytes when the message is a single
    plain-text part (most are): a search through thousands of bodies parses none of them."""
    text = headerscan.plain_body(message.raw)
    return message.body if text is None else text


# The criteria every keyword and step accepts, by name. Cost orders the
# tests: a message that fails on its sender is never parsed.
FIELDS: dict[str, Field] = {
    "sender": Field("sender", lambda m: [m.sender], cost=0, addresses=True),
    "recipient": Field("recipients", lambda m: m.recipients, cost=0, show="all", addresses=True),
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
# The arguments of the waits that take criteria, in the order the keywords take them.
CRITERIA_ARGUMENTS = ("pattern", *(name for name in FIELDS if name != "pattern"), "header")
CRITERIA_NAMES = frozenset(CRITERIA_ARGUMENTS)


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

    def partial(self, message: ReceivedMessage) -> str | None:
        """When this criterion holds for ``message`` only through a part of an address (an
        unprefixed ``recipient=alice@`` on ``malice@example.com``), the note that says so;
        else ``None``. Asked of the messages a search found, never during the search."""
        field = FIELDS.get(self.name)
        if field is None or not field.addresses or self.matcher.kind != TEXT:
            return None
        matched = [value for value in field.values(message) if self.matcher.matches(value)]
        if not matched or any(self.matcher.covers(value) for value in matched):
            return None
        return f"{self} matched only part of {matched[0]!r}"

    def regexp_problem(self) -> str | None:
        """When the value is not a valid regular expression (so it was looked for as written
        only), what is wrong with it and how to write it; else ``None``."""
        matcher = self.matcher
        if matcher.invalid is None:
            return None
        head = f"{self.header}: " if self.header else ""
        fixes = " or ".join(f"{self.name}={head}{prefix}:{matcher.expected}" for prefix in ("CONTAINS", "EQUALS"))
        return (
            f"{self} is not a valid regular expression ({matcher.invalid}), so it was looked for as written only: "
            f"to compare as written, write {fixes}; to search with a regular expression, correct it."
        )

    def __str__(self) -> str:
        value = f"{self.header}: {self.matcher}" if self.header else str(self.matcher)
        return f"{self.name}={value!r}"


class Criteria:
    """All given criteria must hold. An empty ``Criteria`` matches every message."""

    def __init__(self, criteria: Iterable[Criterion] = ()) -> None:
        self._criteria = sorted(criteria, key=lambda criterion: criterion.cost)

    @classmethod
    def from_strings(
        cls, header: str | list[str] | None = None, *, arguments: Iterable[str] | None = None, **values: str | None
    ) -> Criteria:
        """Criteria from the strings a user typed (``subject='Welcome'``, ``header='X-Tag: a'``), each
        read by :meth:`TextMatcher.parse`: as the prefix says (``EQUALS:``, ``STARTS:``, ``GLOB:``,
        ``REGEXP:``, ``CONTAINS:``), else a whole address, else text as written or a regular
        expression. ``None`` values are left out.

        ``arguments``, when given, are the names of the arguments of the keyword or method the
        criteria came from: a ``pattern`` that reads as ``name=value`` with another name (``to=...``,
        ``timout=5``) is a misspelled argument that landed in the first one, and is refused."""
        pattern = values.get("pattern")
        if arguments is not None and pattern is not None:
            refuse_misnamed(
                pattern,
                "pattern",
                arguments,
                f"To search the message source for that text, write pattern=CONTAINS:{pattern}.",
            )
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

    def check(self, message: ReceivedMessage) -> None:
        """Raise :class:`ContentMismatch` saying which criteria ``message`` fails, if any."""
        misses = self.misses(message)
        if misses:
            problems = "".join(f" {problem}" for problem in self.regexp_problems())
            raise ContentMismatch(f"{message_label(message)} does not match: {'; '.join(misses)}.{problems}")

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

    def partial_matches(self, message: ReceivedMessage) -> list[str]:
        """Notes on the criteria that hold for ``message`` only through a part of an address
        (``recipient='alice@' matched only part of 'malice@example.com'``): matches worth a look."""
        return [note for note in (criterion.partial(message) for criterion in self._criteria) if note]

    def regexp_problems(self) -> list[str]:
        """For each value that is not a valid regular expression, and so was looked for as written
        only, what is wrong with it and how to write it: what a failure must add to its text."""
        return [problem for problem in (criterion.regexp_problem() for criterion in self._criteria) if problem]

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
    # A search as written is exact here (no choice contains another), and the criterion reads as typed: tls='yes'.
    return TextMatcher(TEXT, choice, name)


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
