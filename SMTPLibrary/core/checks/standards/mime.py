"""Checks of the MIME structure (RFC 2045, 2046): MIME-Version, boundaries, transfer encodings,
and 8-bit bytes where neither the part nor the envelope allows them (RFC 6152)."""

from __future__ import annotations

import email.errors
import re
from collections.abc import Iterator
from email.message import EmailMessage

from . import charsets, parameters
from .message import Message, Problem, problem

IDENTITY_ENCODINGS = ("7bit", "8bit", "binary")
ENCODINGS = (*IDENTITY_ENCODINGS, "quoted-printable", "base64")
# RFC 2046 5.1.1: bcharsnospace, and space (not last).
_BCHARS = set("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'()+_,-./:=? ")
BOUNDARY_MAX = 70
_STRUCTURE_DEFECTS = {
    email.errors.NoBoundaryInMultipartDefect: (
        "mime.boundary.missing", "the multipart part has no boundary parameter",
    ),
    email.errors.StartBoundaryNotFoundDefect: (
        "mime.boundary.not-found", "the boundary {boundary} never appears in the body",
    ),
    email.errors.CloseBoundaryNotFoundDefect: (
        "mime.boundary.unclosed", "the body has no close-delimiter --{boundary}--",
    ),
    email.errors.MultipartInvariantViolationDefect: (
        "mime.multipart.invalid", "declared multipart but not readable as multipart",
    ),
    email.errors.InvalidMultipartContentTransferEncodingDefect: (
        "mime.transfer-encoding.composite",
        "a multipart part is transfer-encoded {cte}; only 7bit, 8bit or binary are allowed",
    ),
}  # fmt: skip
_BASE64_DEFECTS = (
    email.errors.InvalidBase64PaddingDefect,
    email.errors.InvalidBase64CharactersDefect,
    email.errors.InvalidBase64LengthDefect,
)
_MIME_FIELDS = ("content-type", "content-transfer-encoding", "content-disposition", "content-id", "content-description")
# A quoted-printable '=' starts a soft line break or an octet =XY (RFC 2045 6.7 (1), (5)).
_QP_BAD_ESCAPE = re.compile(r"=(?![0-9A-Fa-f]{2}|[ \t]*(?:\r?\n|$))")
QP_LINE_MAX = 76


def check(message: Message) -> Iterator[Problem]:
    yield from _mime_version(message)
    yield from _eight_bit_envelope(message)
    for part, path, content_type in message.parts:
        yield from _structure(part, path, content_type)
        yield from parameters.check(part, path)
        if part.is_multipart():
            continue
        decoded, found = _transfer_encoding(part, path)
        yield from found
        if decoded is not None and content_type.startswith("text/"):
            yield from charsets.check(part, path, content_type, decoded)


def _mime_version(message: Message) -> Iterator[Problem]:
    top = message.parsed
    if top.get("MIME-Version") is not None:
        return
    used = [key for key in top.keys() if key.lower() in _MIME_FIELDS]
    if used:
        yield problem("mime.version.missing", "MIME-Version", f"{', '.join(used)} without MIME-Version: 1.0")


def _eight_bit_envelope(message: Message) -> Iterator[Problem]:
    if message.envelope.eight_bit_mime is not False or message.raw[message.header_end :].isascii():
        return
    yield problem("mime.8bit.envelope", "body", "the body holds 8-bit bytes but MAIL FROM had no BODY=8BITMIME")


def _structure(part: EmailMessage, path: str, content_type: str) -> Iterator[Problem]:
    boundary = part.get_boundary() if content_type.startswith("multipart/") else None
    cte = str(part.get("Content-Transfer-Encoding", "7bit")).strip().lower()
    for defect in part.defects:
        for kind, (code, text) in _STRUCTURE_DEFECTS.items():
            if isinstance(defect, kind):
                yield problem(code, path, text.format(boundary=repr(boundary), cte=cte))
    if boundary is not None:
        why = _boundary_faults(boundary)
        if why:
            yield problem("mime.boundary.syntax", path, f"boundary {boundary!r}: {', '.join(why)}")
    # A message/* part with an encoding the parser accepted without a word.
    if content_type.startswith("message/") and cte not in IDENTITY_ENCODINGS and cte in ENCODINGS:
        yield problem("mime.transfer-encoding.composite", path, f"a {content_type} part is transfer-encoded {cte}")


def _boundary_faults(boundary: str) -> list[str]:
    why = []
    if not boundary:
        why.append("empty")
    if len(boundary) > BOUNDARY_MAX:
        why.append(f"{len(boundary)} characters (at most {BOUNDARY_MAX})")
    bad = sorted(set(boundary) - _BCHARS)
    if bad:
        why.append(f"characters outside bchars: {''.join(bad)!r}")
    if boundary.endswith(" "):
        why.append("ends with a space")
    return why


def _transfer_encoding(part: EmailMessage, path: str) -> tuple[bytes | None, list[Problem]]:
    """The decoded content of a leaf part (``None`` when it cannot be decoded), and its encoding's problems."""
    found: list[Problem] = []
    declared = part.get("Content-Transfer-Encoding")
    cte = str(declared).strip().lower() if declared is not None else "7bit"
    if cte not in ENCODINGS:
        found.append(
            problem("mime.transfer-encoding.unknown", path, f"Content-Transfer-Encoding {cte!r} is not a MIME encoding")
        )
        return None, found
    payload = part.get_payload()
    if not isinstance(payload, str):
        return None, found
    before = len(part.defects)
    decoded = part.get_payload(decode=True)  # records base64 decoding defects on the part
    if cte == "base64":
        defects = [defect for defect in part.defects[before:] if isinstance(defect, _BASE64_DEFECTS)]
        if defects:
            kinds = ", ".join(dict.fromkeys(type(defect).__name__.replace("Defect", "") for defect in defects))
            found.append(problem("mime.base64", path, f"the base64 content is not valid ({kinds})"))
    elif cte == "quoted-printable":
        bad = _QP_BAD_ESCAPE.search(payload)
        if bad:
            sample = payload[max(0, bad.start() - 10) : bad.start() + 6]
            found.append(problem("mime.quoted-printable", path, f"an '=' that is no escape: {sample!r}"))
        longest = max((len(line) for line in payload.splitlines()), default=0)
        if longest > QP_LINE_MAX:
            text = f"a quoted-printable line of {longest} characters (at most {QP_LINE_MAX})"
            found.append(problem("mime.quoted-printable.line-length", path, text))
    elif cte == "7bit" and isinstance(decoded, bytes) and not decoded.isascii():
        # get_payload() gives text already decoded by the charset; the bytes as sent come
        # from decode=True, which for 7bit changes nothing.
        how = "declares 7bit" if declared is not None else "declares no transfer encoding (so 7bit)"
        found.append(problem("mime.8bit.undeclared", path, f"the part holds 8-bit bytes but {how}"))
    return decoded, found
