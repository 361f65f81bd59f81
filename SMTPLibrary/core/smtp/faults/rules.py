"""Fault rules: what the server does instead of (or before) its normal reply.

A rule names a stage of the SMTP dialogue, an optional condition on the
sender or recipient, how many times it fires, and an action: reply with a
code and text, wait before replying, or drop the connection.

The test thread adds and clears rules; the server's loop thread takes them
as the dialogue reaches each stage. Everything is checked when a rule is
added, in the caller's thread, so a mistake fails the keyword or step that
made it, never the server.

At each event, the first matching delay rule (if any) fires, then the first
matching reply or disconnect rule (if any), each in the order the rules were
added: a delay can precede a refusal. Everything else is the server's
normal behaviour.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from ...errors import InvalidArgument
from ...mailbox import TextMatcher
from ...values import refuse_misnamed, seconds, whole_number
from ...wording import plural

if TYPE_CHECKING:
    from .chaos import Chaos
    from .ratelimit import RateLimit
    from .stall import Stall

# Stage -> what it is, for documentation and error messages.
STAGES: dict[str, str] = {
    "CONNECT": "the greeting, when a client connects",
    "EHLO": "the EHLO or HELO command",
    "MAIL": "the MAIL FROM command",
    "RCPT": "each RCPT TO command",
    "DATA": "the DATA command, before the message is sent",
    "DATA_END": "the end of the message, after its body",
    "AUTH": "the AUTH command",
    "STARTTLS": "the STARTTLS command",
}
# The conditions a rule may have, written like criteria.
CONDITIONS = ("sender", "recipient")
# Where the envelope sender is known (MAIL names it).
SENDER_STAGES = ("MAIL", "RCPT", "DATA", "DATA_END")
# Success codes a reply may use to keep the command's normal effect with
# text of the test's own (a queue id after DATA_END, a banner at CONNECT).
ACCEPT_CODES: dict[str, tuple[int, ...]] = {"CONNECT": (220,), "MAIL": (250,), "RCPT": (250, 251), "DATA_END": (250,)}
# RFC 5321 section 3.8: after 421 the server closes the connection.
CLOSING_CODE = 421
MAX_REPLY_LINE = 512

# RFC 5321 section 4.2 wording, used when a reply is given no text.
DEFAULT_TEXTS = {
    220: "Service ready",
    250: "OK",
    251: "User not local; will forward",
    421: "Service not available, closing transmission channel",
    450: "Requested mail action not taken: mailbox unavailable",
    451: "Requested action aborted: local error in processing",
    452: "Requested action not taken: insufficient system storage",
    454: "Temporary failure",
    500: "Syntax error, command unrecognized",
    501: "Syntax error in parameters or arguments",
    502: "Command not implemented",
    503: "Bad sequence of commands",
    504: "Command parameter not implemented",
    530: "Authentication required",
    535: "Authentication credentials invalid",
    550: "Requested action not taken: mailbox unavailable",
    551: "User not local",
    552: "Requested mail action aborted: exceeded storage allocation",
    553: "Requested action not taken: mailbox name not allowed",
    554: "Transaction failed",
}


def _stage_list() -> str:
    return ", ".join(STAGES)


def normalize_stage(stage: str, arguments: Sequence[str] = ()) -> str:
    """``'data end'``, ``'Data-End'`` -> ``'DATA_END'``; an unknown stage is an error naming the known ones.
    ``arguments``: the names of the caller's arguments, when a misspelled one may have landed in ``stage``."""
    name = str(stage).strip().upper().replace(" ", "_").replace("-", "_")
    if name not in STAGES:
        refuse_misnamed(stage, "stage", arguments)
        raise InvalidArgument(f"Unknown SMTP stage '{stage}': expected one of {_stage_list()}.")
    return name


@dataclass(frozen=True)
class Reply:
    """Answer with ``code`` and ``text`` (several lines make a multi-line reply)."""

    code: int
    text: str

    @property
    def accepts(self) -> bool:
        """A success code: the command keeps its normal effect, only the reply text changes."""
        return self.code < 400

    @property
    def status(self) -> str:
        """The reply as sent: ``451 text``, or ``451-line\\r\\n451 line`` for several lines."""
        lines = self.text.split("\n")
        return "\r\n".join(f"{self.code}{'-' if n < len(lines) - 1 else ' '}{line}" for n, line in enumerate(lines))

    def __str__(self) -> str:
        return f"reply {self.code}"


@dataclass(frozen=True)
class Delay:
    """Wait ``seconds`` before the server carries on (on the event loop: other connections are served meanwhile)."""

    seconds: float

    def __str__(self) -> str:
        return f"wait {self.seconds:g} s"


@dataclass(frozen=True)
class Disconnect:
    """Close the connection instead of replying."""

    # As a Reply would say: the command does not take effect, and nothing is sent.
    accepts = False
    status = ""

    def __str__(self) -> str:
        return "drop the connection"


Action = Reply | Delay | Disconnect


class Rule:
    """One fault: ``action`` at ``stage`` when the conditions hold, ``remaining`` more times (``None``: always)."""

    __slots__ = ("action", "recipient", "remaining", "sender", "stage")

    def __init__(
        self,
        stage: str,
        action: Action,
        count: int,
        sender: TextMatcher | None,
        recipient: TextMatcher | None,
    ) -> None:
        self.stage = stage
        self.action = action
        self.remaining: int | None = count or None
        self.sender = sender
        self.recipient = recipient

    def matches(self, stage: str, sender: str | None, recipient: str | None) -> bool:
        if stage != self.stage:
            return False
        if self.sender is not None and (sender is None or not self.sender.matches(sender)):
            return False
        return self.recipient is None or (recipient is not None and self.recipient.matches(recipient))

    def __str__(self) -> str:
        conditions = "".join(
            f" when the {name} matches '{matcher}'"
            + (f" (as written: not a valid regular expression, {matcher.invalid})" if matcher.invalid else "")
            for name, matcher in (("sender", self.sender), ("recipient", self.recipient))
            if matcher is not None
        )
        times = "until cleared" if self.remaining is None else plural(self.remaining, "more time")
        text = f" {self.action.text!r}" if isinstance(self.action, Reply) else ""
        return f"{self.action}{text} at {self.stage}{conditions}, {times}"

    def __repr__(self) -> str:
        return f"<Rule {self}>"


def _matcher(value: str | TextMatcher | None, name: str) -> TextMatcher | None:
    if value is None or isinstance(value, TextMatcher):
        return value
    return TextMatcher.parse(str(value), name)


def _check_conditions(stage: str, sender: object, recipient: object) -> None:
    if sender is not None and stage not in SENDER_STAGES:
        raise InvalidArgument(
            f"A sender condition makes no sense at {stage}: the client names the sender with MAIL FROM, "
            f"which comes later. Use it at {', '.join(SENDER_STAGES)}."
        )
    if recipient is not None and stage != "RCPT":
        if stage in ("DATA", "DATA_END"):
            why = "a message may have several recipients; refuse the RCPT of that recipient instead"
        else:
            why = "the client has not named any recipient yet"
        raise InvalidArgument(
            f"A recipient condition only works at RCPT, where each RCPT TO names one recipient: at {stage} {why}."
        )


def _check_count(count: int) -> int:
    return whole_number(count, "count must be 0 (every time, until cleared) or a positive number")


def _accept_hint() -> str:
    return ", ".join(f"{stage} ({', '.join(map(str, codes))})" for stage, codes in ACCEPT_CODES.items())


def make_reply(stage: str, code: int, text: str | None) -> Reply:
    """A checked reply for ``stage``: the errors explain which codes make sense there."""
    whole_number(code, "The reply code must be a number like 451 or 550", minimum=None)
    if not 200 <= code <= 599:
        raise InvalidArgument(
            f"Reply code {code} is not an SMTP reply code: give 4xx to refuse for now (the client should retry "
            f"later, e.g. 451 or 452), 5xx to refuse for good (e.g. 550 or 554), or a success code with text "
            f"of your own at {_accept_hint()}."
        )
    if code < 400 and code not in ACCEPT_CODES.get(stage, ()):
        if stage in ACCEPT_CODES:
            allowed = f"{', '.join(map(str, ACCEPT_CODES[stage]))} (the usual success reply, with your text)"
        else:
            allowed = "none: the server can only refuse or delay it"
        raise InvalidArgument(
            f"Reply code {code} makes no sense at {stage}: give 4xx to refuse for now (e.g. 451) or 5xx to refuse "
            f"for good (e.g. 554). Success codes accepted at {stage}: {allowed}."
        )
    if text is None:
        text = DEFAULT_TEXTS.get(code) or ("Temporary failure" if code < 500 else "Permanent failure")
    text = str(text)
    for line in text.split("\n"):
        if not all(" " <= char <= "~" or char == "\t" for char in line):
            raise InvalidArgument(
                f"The reply text must be printable ASCII (SMTP replies are 7-bit; a newline starts another line "
                f"of a multi-line reply), got {text!r}."
            )
        if len(line) + 4 > MAX_REPLY_LINE:
            raise InvalidArgument(
                f"A reply line may be at most {MAX_REPLY_LINE} characters with its code (RFC 5321 4.5.3.1.5); "
                f"this one has {len(line) + 4}. Split it with newlines."
            )
    return Reply(code, text)


def make_delay(delay: float | timedelta | str) -> Delay:
    value = seconds(delay, "The delay")
    if not math.isfinite(value):
        raise InvalidArgument(f"The delay must be a finite time, got {delay!r}.")
    return Delay(value)


class Faults:
    """The fault rules of one server, in the order they were added; its rate limits, chaos and
    stalls (see :mod:`.ratelimit`, :mod:`.chaos`, :mod:`.stall`)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._rules: list[Rule] = []
        # Read on the server's loop thread at each stage without the lock: replaced whole, never changed in place.
        self.rate_limits: tuple[RateLimit, ...] = ()
        self.chaos_rules: tuple[Chaos, ...] = ()
        self.stalls: tuple[Stall, ...] = ()

    # -- the test thread ------------------------------------------------------

    def add(
        self,
        stage: str,
        action: Action,
        count: int = 1,
        sender: str | TextMatcher | None = None,
        recipient: str | TextMatcher | None = None,
    ) -> Rule:
        """Add a rule; ``sender``/``recipient`` are regular expressions (or ``EQUALS:``... prefixed, or matchers)."""
        stage = normalize_stage(stage)
        _check_conditions(stage, sender, recipient)
        rule = Rule(stage, action, _check_count(count), _matcher(sender, "sender"), _matcher(recipient, "recipient"))
        with self._lock:
            self._rules.append(rule)
        return rule

    def reply(self, stage: str, code: int, text: str | None = None, count: int = 1, **conditions) -> Rule:
        """Answer ``code`` (``text`` defaults to the RFC 5321 wording) instead of the normal reply."""
        stage = normalize_stage(stage, ("stage", "code", "text", "count", *CONDITIONS))
        return self.add(stage, make_reply(stage, code, text), count, **conditions)

    def delay(self, stage: str, delay: float | timedelta | str, count: int = 1, **conditions) -> Rule:
        """Wait ``delay`` (seconds, a ``timedelta`` or a time string such as ``"500 ms"``) before the normal
        reply (or before a reply or disconnect rule of the same stage)."""
        stage = normalize_stage(stage, ("stage", "delay", "count", *CONDITIONS))
        return self.add(stage, make_delay(delay), count, **conditions)

    def disconnect(self, stage: str, count: int = 1, **conditions) -> Rule:
        """Close the connection instead of replying; nothing of an unfinished message is stored."""
        stage = normalize_stage(stage, ("stage", "count", *CONDITIONS))
        return self.add(stage, Disconnect(), count, **conditions)

    def rate_limit(
        self, messages: int, per: float, code: int = 421, text: str | None = None, scope: str = "connection"
    ) -> RateLimit:
        """Refuse MAIL with ``code`` once ``messages`` were accepted within ``per`` seconds (a number,
        a ``timedelta`` or text such as ``1 minute``), per connection, sender or for the whole server."""
        from .ratelimit import RateLimit

        limit = RateLimit(messages, per, code, text, scope)
        with self._lock:
            self.rate_limits = (*self.rate_limits, limit)
        return limit

    def chaos(
        self,
        probability: float | str,
        codes: int | str | Sequence[int | str] = 451,
        stages: str | Sequence[str] = "RCPT",
        seed: int | None = None,
    ) -> Chaos:
        """Fail each command at ``stages`` with ``probability`` (0 to 1), answering one of ``codes``,
        drawn from ``random.Random(seed)``; the seed, chosen at random when not given, is ``.seed``."""
        from .chaos import Chaos

        chaos = Chaos(probability, codes, stages, seed)
        with self._lock:
            self.chaos_rules = (*self.chaos_rules, chaos)
        return chaos

    def stall(self, after_bytes: int, duration: float | None = None, then: str = "disconnect", count: int = 1) -> Stall:
        """Inside DATA, once ``after_bytes`` of the message arrived, stop reading for ``duration`` seconds
        (``None``: until the client gives up), then ``disconnect`` or ``continue``; for ``count``
        messages (0: every one until cleared). Nothing of an interrupted message is stored."""
        from .stall import Stall

        rule = Stall(after_bytes, duration, then, count)
        with self._lock:
            self.stalls = (*self.stalls, rule)
        return rule

    def spend_stall(self, rule: Stall) -> None:
        """``rule`` started a stall: one time less, and gone when it has none left."""
        with self._lock:
            if rule.remaining is not None:
                rule.remaining -= 1
                if rule.remaining <= 0:
                    self.stalls = tuple(stall for stall in self.stalls if stall is not rule)

    def clear(self) -> None:
        """Remove every rule, rate limit, chaos and stall."""
        with self._lock:
            self._rules.clear()
            self.rate_limits = self.chaos_rules = self.stalls = ()

    def describe(self) -> list[str]:
        """Every rule, rate limit, chaos and stall in words, in the order each kind was added."""
        return [str(item) for item in (*self.rules, *self.rate_limits, *self.chaos_rules, *self.stalls)]

    def __bool__(self) -> bool:
        """Whether any rule is set (rate limits, chaos and stalls included): a connection skips the
        rules' lock when none is (a rule added before a client sends a command is seen by it)."""
        return bool(self._rules or self.rate_limits or self.chaos_rules or self.stalls)

    @property
    def rules(self) -> list[Rule]:
        """The rules still to fire, in the order they were added."""
        with self._lock:
            return list(self._rules)

    # -- the server's loop thread -----------------------------------------------

    def take(self, stage: str, delay: bool, sender: str | None = None, recipient: str | None = None) -> Action | None:
        """The action of the first rule for ``stage`` that matches, counting it as fired (a rule
        that has fired ``count`` times is removed).

        ``delay`` picks delay rules, otherwise reply and disconnect rules."""
        with self._lock:
            for rule in self._rules:
                if isinstance(rule.action, Delay) == delay and rule.matches(stage, sender, recipient):
                    if rule.remaining is not None:
                        rule.remaining -= 1
                        if rule.remaining == 0:
                            self._rules.remove(rule)
                    return rule.action
        return None

    def __repr__(self) -> str:
        return f"<Faults {self.rules!r}>"
