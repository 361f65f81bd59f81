"""Which problems a "well formed" assertion may let pass: warnings the test names, never an error."""

from __future__ import annotations

import difflib
import fnmatch
from collections.abc import Iterable

from ...errors import InvalidArgument
from .codes import CODES
from .message import Problem


def ignored_warnings(ignore: str | Iterable[str] | None) -> frozenset[str]:
    """The warning codes ``ignore`` names: codes, or families such as ``html.*``, as a list or in one
    text separated by commas or spaces.

    Only warnings can be ignored: an error makes a message not well formed whatever the test
    says. A code that does not exist fails naming the nearest ones, so that a typo cannot
    quietly ignore nothing."""
    if isinstance(ignore, str):
        ignore = ignore.replace(",", " ").split()
    chosen: set[str] = set()
    for given in ignore or ():
        pattern = given.strip()
        if not pattern:
            continue
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
    return frozenset(chosen)


def not_ignored(found: list[Problem], ignored: frozenset[str]) -> list[Problem]:
    """The problems of ``found`` that make the message not well formed: every error, and the
    warnings not in ``ignored`` (see :func:`ignored_warnings`)."""
    return [item for item in found if item.code not in ignored]
