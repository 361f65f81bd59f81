"""Checks of the parameters of Content-Type and Content-Disposition (RFC 2045 5.1, RFC 2231):
syntax, repeated names, broken continuations, and extended values in a known charset with valid %-escapes."""

from __future__ import annotations

import email.errors
import email.message
import re
from collections.abc import Iterator
from email.message import EmailMessage

from .charsets import codec
from .message import Problem, problem

FIELDS = ("Content-Type", "Content-Disposition")
# The value of an extended parameter (name*= or name*0*=), as written.
_EXTENDED_VALUE = re.compile(r"""\*\s*=\s*("[^"]*"|[^;\s]*)""")
_PERCENT_BAD = re.compile(r"%(?![0-9A-Fa-f]{2})")


def check(part: EmailMessage, path: str) -> Iterator[Problem]:
    for name in FIELDS:
        header = part.get(name)
        if header is None:
            continue
        # Undecodable bytes are the 8-bit header and RFC 2231 checks' to report, with more to say.
        defects = [
            str(defect).strip() or type(defect).__name__
            for defect in getattr(header, "defects", ())
            if not isinstance(defect, email.errors.UndecodableBytesDefect)
        ]
        if defects:
            yield problem("mime.parameter", path, f"{name} {str(header)[:80]!r}: {'; '.join(dict.fromkeys(defects))}")
        raw = next((value for key, value in part.raw_items() if key.lower() == name.lower()), "")
        yield from _rfc2231(name, "".join(raw.splitlines()), path)


def _rfc2231(name: str, raw: str, path: str) -> Iterator[Problem]:
    if "*" not in raw:
        return
    for written in _EXTENDED_VALUE.findall(raw):
        if _PERCENT_BAD.search(written.strip('"')):
            yield problem(
                "mime.parameter.encoding", path, f"{name}: {written!r} has a % not followed by two hex digits"
            )
    # The email package accepts an unknown charset without a word; compat32 gives each
    # RFC 2231 value as (charset, language, value with the %-escapes undone as latin-1).
    legacy = email.message.Message()
    legacy[name] = raw
    for param, value in legacy.get_params(header=name, failobj=[])[1:]:
        if not isinstance(value, tuple) or not value[0]:
            continue
        charset, _language, text = value
        python_codec = codec(charset)
        if python_codec is None:
            yield problem("mime.parameter.charset", path, f"{name} parameter {param}: unknown charset {charset!r}")
            continue
        try:
            text.encode("latin-1").decode(python_codec)
        except (UnicodeError, LookupError):
            yield problem(
                "mime.parameter.encoding", path, f"{name} parameter {param}: the value is not valid {charset}"
            )
