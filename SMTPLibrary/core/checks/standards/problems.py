"""Every standards and bulk-sender check over one message, and which problems make it not well formed."""

from __future__ import annotations

import difflib
import fnmatch
from collections.abc import Iterable

from ...errors import InvalidArgument
from . import addresses, bulk, content, headers, lines, mime, words
from .codes import CODES
from .message import Envelope, Message, Problem

_CHECKS = (lines.check, headers.check, addresses.check, words.check, mime.check, content.check, bulk.check)


def problems(raw: bytes, envelope: Envelope) -> list[Problem]:
    """Every problem of ``raw`` (the message as received), errors first, each kind in the order found."""
    message = Message(bytes(raw), envelope)
    found = [item for check in _CHECKS for item in check(message)]
    return sorted(found, key=lambda item: item.severity != "error")


def ignored_codes(ignore: Iterable[str]) -> set[str]:
    """The warning codes ``ignore`` names: codes, or families such as ``html.*``.

    Only warnings can be ignored: an error makes a message not well formed whatever
    the test says. A code that does not exist fails naming the nearest ones, so that
    a typo cannot quietly ignore nothing."""
    chosen: set[str] = set()
    for given in ignore:
        pattern = given.strip()
        matched = [code for code in CODES if fnmatch.fnmatchcase(code, pattern)]
        if not matched:
            near = difflib.get_close_matches(pattern, CODES, n=3, cutoff=0.6)
            hint = f" Did you mean {', '.join(near)}?" if near else " The keyword reference lists every code."
            raise InvalidArgument(f"ignore: {pattern!r} is no problem code.{hint}")
        errors = [code for code in matched if CODES[code].severity == "error"]
        if errors:
            shown = ", ".join(errors[:3]) + (f" and {len(errors) - 3} more" if len(errors) > 3 else "")
            warnings = [code for code in matched if code not in errors]
            hint = f" Name the warnings instead: {', '.join(warnings)}." if warnings else ""
            raise InvalidArgument(
                f"ignore: {pattern!r} names errors ({shown}), and an error cannot be ignored: a message that "
                f"has one is not well formed.{hint}"
            )
        chosen.update(matched)
    return chosen


def not_ignored(found: list[Problem], ignore: Iterable[str]) -> list[Problem]:
    """The problems of ``found`` that make the message not well formed: every error, and the
    warnings ``ignore`` does not name (see :func:`ignored_codes`)."""
    skipped = ignored_codes(ignore)
    return [item for item in found if item.code not in skipped]
