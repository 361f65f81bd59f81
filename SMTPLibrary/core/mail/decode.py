"""Turning the bytes of a MIME part into text, the way mail readers do.

The ``email`` package decodes transfer encodings and RFC 2047/2231; what it
leaves to the reader is what to do when the declared charset is unknown,
missing or wrong, and ``format=flowed``. The rules here:

* Labels are read as the WHATWG Encoding Standard (what browsers and mail
  readers use) reads them: ``iso-8859-1`` and ``us-ascii`` mean
  ``windows-1252``, ``gb2312`` means ``gbk``, and so on.
* Text declared in a single-byte charset that is valid UTF-8 (and not plain
  ASCII) is UTF-8: the most common mislabelling by far, and real Latin-1 text
  almost never forms valid UTF-8 sequences by chance.
* A charset that is unknown or does not fit the bytes falls back to UTF-8,
  then windows-1252, which decodes anything: text never fails, and each
  guess is reported as a problem of the part.
"""

from __future__ import annotations

import codecs
import re
from email.message import EmailMessage


class Problem(str):
    """What went wrong decoding a part, in words, with ``kept_raw`` telling whether the part's
    content is its raw bytes because of it (a ``str``, so that it reads and compares as its text)."""

    kept_raw: bool

    def __new__(cls, text: str, kept_raw: bool = False) -> Problem:
        problem = super().__new__(cls, text)
        problem.kept_raw = kept_raw
        return problem


# Labels Python knows by a narrower charset than mail means by them: what readers (and
# browsers, WHATWG) decode them as.
_WIDER = {
    "us-ascii": "windows-1252",
    "ascii": "windows-1252",
    "iso-8859-1": "windows-1252",
    "latin1": "windows-1252",
    "latin-1": "windows-1252",
    "iso-8859-9": "windows-1254",
    "tis-620": "windows-874",
    "iso-8859-11": "windows-874",
    "gb2312": "gbk",
    "x-gbk": "gbk",
    "ks_c_5601-1987": "cp949",
    "euc-kr": "cp949",
}
# Registered labels Python does not know, for the charset they name.
_ALIASES = {
    "iso-8859-8-i": "iso-8859-8",
    "iso-8859-6-i": "iso-8859-6",
    "x-mac-roman": "mac-roman",
    "macintosh": "mac-roman",
    "x-sjis": "shift_jis",
    "unicode-1-1-utf-7": "utf-7",
}
# Charsets that use one byte per character: where mislabelled UTF-8 shows up.
_SINGLE_BYTE = re.compile(r"^(windows-125\d|cp125\d|iso-?8859-\d+|latin-?\d|koi8-[ru]|mac-roman|windows-874|cp874)$")
_FALLBACKS = ("utf-8", "windows-1252")


def codec_name(label: str | None, *, strict: bool = False) -> str | None:
    """The Python codec for a charset label as found in mail, ``None`` when unknown.

    Read as mail readers read it (``us-ascii`` as ``windows-1252``), or, ``strict``, as
    exactly the charset it names (what a check of the message's correctness wants)."""
    if not label:
        return None
    label = label.strip().strip("\"'").lower()
    label = _ALIASES.get(label, label if strict else _WIDER.get(label, label))
    for candidate in (label, label[2:] if label.startswith("x-") else None):
        if candidate:
            try:
                info = codecs.lookup(candidate)
            except LookupError:
                continue
            # "hex", "rot13", "zlib" and the like are codecs, but not charsets.
            if getattr(info, "_is_text_encoding", True):
                return info.name
    return None


def decode_text(data: bytes, declared: str | None) -> tuple[str, str | None]:
    """``data`` as text, and a note when the declared charset was not (only) what was used."""
    codec = codec_name(declared)
    if codec is not None:
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            pass
        else:
            if data.isascii() or not _SINGLE_BYTE.match(codec.replace("_", "-")):
                return text, None
            try:
                return data.decode("utf-8"), f"declared charset {declared} but the text is UTF-8"
            except UnicodeDecodeError:
                return text, None
    if data.isascii():
        return data.decode("ascii"), None
    if not declared:
        why = "8-bit text without a declared charset"
    elif codec is None:
        why = f"unknown charset {declared!r}"
    else:
        why = f"the text is not valid {declared}"
    for fallback in _FALLBACKS:
        try:
            return data.decode(fallback), f"{why}: decoded as {fallback}"
        except UnicodeDecodeError:
            continue
    # Five bytes are undefined in windows-1252; latin-1 decodes every byte.
    return data.decode("latin-1"), f"{why}: decoded as latin-1"


_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.IGNORECASE)


def html_charset(data: bytes) -> str | None:
    """The charset an HTML document declares in a ``<meta>`` near its start."""
    found = _META_CHARSET.search(data[:4096])
    return found.group(1).decode("ascii") if found else None


def unflow(text: str, delsp: bool) -> str:
    """Plain text from ``format=flowed`` text (RFC 3676): soft line breaks joined, space-stuffing removed."""
    lines: list[str] = []
    pending: str | None = None
    pending_depth = -1
    for line in text.split("\n"):
        stripped = line.lstrip(">")
        depth = len(line) - len(stripped)
        if stripped.startswith(" "):
            stripped = stripped[1:]
        if pending is not None and depth != pending_depth:
            lines.append(">" * pending_depth + (" " if pending_depth else "") + pending)
            pending = None
        flowed = stripped.endswith(" ") and stripped != "-- "
        if flowed and delsp:
            stripped = stripped[:-1]
        joined = stripped if pending is None else pending + stripped
        if flowed:
            pending, pending_depth = joined, depth
        else:
            lines.append(">" * depth + (" " if depth and joined else "") + joined)
            pending = None
    if pending is not None:
        lines.append(">" * pending_depth + (" " if pending_depth else "") + pending)
    return "\n".join(lines)


def payload_bytes(part: EmailMessage) -> tuple[bytes, list[Problem]]:
    """The decoded body of a leaf part, and what went wrong decoding it.

    What cannot be decoded is returned as it is in the message: base64 of an
    impossible length, an unknown transfer encoding."""
    before = len(part.defects)
    try:
        data = part.get_payload(decode=True)
    except Exception as error:  # noqa: BLE001 - a broken part must not break the message
        data = None
        problems = [Problem(f"could not be decoded ({type(error).__name__}: {error}): kept as the raw bytes", True)]
    else:
        problems = []
    new_defects = part.defects[before:]
    del part.defects[before:]  # decoding again must not pile them up on the cached message
    names = {type(defect).__name__ for defect in new_defects}
    if "InvalidBase64LengthDefect" in names:
        problems.append(Problem("base64 of an impossible length could not be decoded: kept as the raw bytes", True))
    elif "InvalidBase64CharactersDefect" in names:
        problems.append(Problem("base64 with characters outside its alphabet: those were ignored"))
    elif "InvalidBase64PaddingDefect" in names:
        problems.append(Problem("base64 with wrong padding"))
    encoding = str(part.get("Content-Transfer-Encoding", "")).strip().lower()
    if encoding and encoding not in ("7bit", "8bit", "binary", "base64", "quoted-printable", "x-uuencode", "uuencode"):
        problems.append(Problem(f"unknown transfer encoding {encoding!r}: kept as the raw bytes", True))
    if data is None:
        data = _raw_payload(part)
    return data, problems


def _raw_payload(part: EmailMessage) -> bytes:
    payload = part.get_payload()
    if isinstance(payload, str):
        return payload.encode("utf-8", "surrogateescape")
    return b""


def part_text(part: EmailMessage) -> str:
    """The decoded text of a text part; never fails (see :func:`part_text_and_problems`)."""
    return part_text_and_problems(part)[0]


def part_text_and_problems(part: EmailMessage) -> tuple[str, list[Problem]]:
    """The decoded text of a text part, line ends as ``\\n``, with what had to be guessed or kept raw."""
    data, problems = payload_bytes(part)
    charset = part.get_param("charset")
    declared = charset if isinstance(charset, str) else None
    if declared is None and part.get_content_subtype() == "html":
        declared = html_charset(data)
    text, note = decode_text(data, declared)
    if note:
        problems.append(Problem(note))
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if str(part.get_param("format", "")).lower() == "flowed":
        text = unflow(text, str(part.get_param("delsp", "")).lower() == "yes")
    return text, problems


def clean(text: str) -> str:
    """``text`` without lone surrogates (bytes the email package could not decode), each replaced."""
    if text.isascii():
        return text
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        try:
            return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
        except UnicodeEncodeError:
            return text.encode("utf-8", "replace").decode("utf-8")
    return text
