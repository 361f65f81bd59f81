"""``smtplibrary serve`` options that make the server misbehave: per-stage replies, rate limits, chaos, stalls.

An application in another container or process can then be tested against a
misbehaving server with no Robot in between. Each option's text is split
here (a usage error, exit 2, when it does not parse); its values are checked
by the core when the rules are set, before the server starts (one line, exit 2).
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass

from ..core import InvalidArgument, SMTPServer, values

FAULT_HELP = "answer CODE at STAGE (CONNECT, EHLO, MAIL, RCPT, DATA, DATA_END, AUTH, STARTTLS), COUNT times "
FAULT_HELP += "(default 1; 0: every time); repeatable"


@dataclass(frozen=True)
class FaultOption:
    stage: str
    code: int
    count: int


@dataclass(frozen=True)
class RateLimitOption:
    messages: int
    per: str
    code: int
    scope: str


@dataclass(frozen=True)
class ChaosOption:
    probability: str
    codes: str
    stages: str


@dataclass(frozen=True)
class StallOption:
    after_bytes: int
    seconds: float | None
    then: str


def _number(text: str, what: str, spec: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid {what} {text!r} in {spec!r}") from None


def fault(spec: str) -> FaultOption:
    """``--fault STAGE:CODE[:COUNT]``."""
    parts = spec.split(":")
    if len(parts) not in (2, 3):
        raise argparse.ArgumentTypeError(f"invalid fault {spec!r}: expected STAGE:CODE[:COUNT], such as RCPT:451:2")
    count = _number(parts[2], "count", spec) if len(parts) == 3 else 1
    return FaultOption(parts[0], _number(parts[1], "code", spec), count)


def rate_limit(spec: str) -> RateLimitOption:
    """``--rate-limit N/PERIOD[:CODE[:SCOPE]]``: ``10/1m``, ``2/10s:450:sender``."""
    messages, slash, rest = spec.partition("/")
    parts = rest.split(":")
    if not slash or not parts[0] or len(parts) > 3:
        raise argparse.ArgumentTypeError(
            f"invalid rate limit {spec!r}: expected N/PERIOD[:CODE[:SCOPE]], such as 10/1m or 2/10s:450:sender"
        )
    code = _number(parts[1], "code", spec) if len(parts) > 1 else 421
    return RateLimitOption(_number(messages, "number of messages", spec), parts[0], code, (parts[2:] or ["server"])[0])


def chaos(spec: str) -> ChaosOption:
    """``--chaos PROBABILITY[:CODES[:STAGES]]``: ``0.2:451:RCPT``, ``0.1:451,452:RCPT,DATA_END``."""
    parts = spec.split(":")
    if len(parts) > 3 or not parts[0]:
        raise argparse.ArgumentTypeError(
            f"invalid chaos {spec!r}: expected PROBABILITY[:CODES[:STAGES]], such as 0.2:451:RCPT"
        )
    return ChaosOption(parts[0], parts[1] if len(parts) > 1 else "451", parts[2] if len(parts) > 2 else "RCPT")


def stall(spec: str) -> StallOption:
    """``--stall AFTER_BYTES[:SECONDS[:THEN]]``: ``1000``, ``1000:2:continue``."""
    parts = spec.split(":")
    if len(parts) > 3:
        raise argparse.ArgumentTypeError(
            f"invalid stall {spec!r}: expected AFTER_BYTES[:SECONDS[:disconnect|continue]], such as 1000:2:continue"
        )
    seconds = None
    if len(parts) > 1 and parts[1] not in ("", "forever"):
        try:
            seconds = values.seconds(parts[1], "seconds")  # read as the core reads times: 2, 2s, 500ms
        except InvalidArgument:
            raise argparse.ArgumentTypeError(f"invalid seconds {parts[1]!r} in {spec!r}") from None
    then = parts[2] if len(parts) > 2 else "disconnect"
    return StallOption(_number(parts[0], "number of bytes", spec), seconds, then)


def seed(text: str) -> int:
    number = _number(text, "seed", text)
    if number < 0:
        raise argparse.ArgumentTypeError(f"invalid seed {text!r}: expected a whole number, 0 or more")
    return number


def add_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("misbehaving on purpose (see docs/fault-injection.md)")
    group.add_argument(
        "--fault", type=fault, action="append", default=[], metavar="STAGE:CODE[:COUNT]", help=FAULT_HELP
    )
    group.add_argument(
        "--rate-limit",
        type=rate_limit,
        action="append",
        default=[],
        metavar="N/PERIOD[:CODE[:SCOPE]]",
        help="refuse MAIL once N messages were accepted within PERIOD (10s, 1m, 1h), with CODE "
        "(default 421, which closes the connection), for the whole server or per SCOPE (connection, sender)",
    )
    group.add_argument(
        "--chaos",
        type=chaos,
        action="append",
        default=[],
        metavar="PROBABILITY[:CODES[:STAGES]]",
        help="fail each command at STAGES (default RCPT) with PROBABILITY (0 to 1), answering one of CODES "
        "(default 451); the seed is printed",
    )
    group.add_argument(
        "--seed", type=seed, metavar="N", help="seed of the first --chaos (the next ones get N+1, N+2...), to replay"
    )
    group.add_argument(
        "--stall",
        type=stall,
        metavar="AFTER_BYTES[:SECONDS[:THEN]]",
        help="inside DATA, stop reading after AFTER_BYTES of every message, for SECONDS (default: until the "
        "client gives up), THEN disconnect (default) or continue",
    )


def apply(server: SMTPServer, options: argparse.Namespace) -> list[str]:
    """Set the rules the options ask for on ``server``; the lines that say what was set.
    Raises the core's :class:`~SMTPLibrary.core.InvalidArgument` for a value it cannot use."""
    if options.seed is not None and not options.chaos:
        raise InvalidArgument("--seed seeds --chaos: give --chaos too.")
    faults = server.faults
    for option in options.fault:
        faults.reply(option.stage, option.code, count=option.count)
    for option in options.rate_limit:
        faults.rate_limit(option.messages, option.per, option.code, scope=option.scope)
    for number, option in enumerate(options.chaos):
        first = None if options.seed is None else options.seed + number
        faults.chaos(option.probability, option.codes, option.stages, first)
    if options.stall is not None:
        faults.stall(options.stall.after_bytes, options.stall.seconds, options.stall.then, count=0)
    return [f"Fault: {rule}." for rule in faults.describe()]
