"""Header values read straight from a message's raw bytes, without parsing it.

The server indexes the Subject this way when it stores a message, so that a
search by subject over thousands of messages never runs the ``email``
parser. The scan only answers when it is sure to agree with the parser:
when the header block is made of well-formed ``Name: value`` lines (with
their continuation lines) ending at an empty line. Anything else, a lone CR,
a line without a colon, a continuation line first, gets :data:`UNKNOWN` and
the caller parses the message as before.
"""

from __future__ import annotations

import re

from .decode import decode_text

UNKNOWN = object()

# What email.feedparser accepts as header lines (its headerRE), each with its continuation lines.
_HEADER_BLOCK = re.compile(rb"(?:[\x21-\x39\x3b-\x7e]+:[^\r\n]*\r?\n(?:[ \t][^\r\n]*\r?\n)*)*")
_SEPARATORS = (b"\r\n", b"\n")
_PATTERNS: dict[bytes, re.Pattern[bytes]] = {}


def _header_end(raw: bytes) -> int | None:
    """Where the header block ends (at its empty line, or the end of ``raw``); ``None``
    when it is not a block of well-formed header lines the scan can vouch for."""
    end = _HEADER_BLOCK.match(raw).end()
    if end != len(raw) and not raw.startswith(_SEPARATORS, end):
        return None
    return end


def _pattern(name: bytes) -> re.Pattern[bytes]:
    pattern = _PATTERNS.get(name)
    if pattern is None:
        pattern = _PATTERNS[name] = re.compile(
            rb"(?:^|\n)" + re.escape(name) + rb":([^\r\n]*\r?\n(?:[ \t][^\r\n]*\r?\n)*)", re.IGNORECASE
        )
    return pattern


def raw_header(raw: bytes, name: bytes) -> bytes | object | None:
    """The raw value of the first header called ``name`` (lower case): the bytes after
    its colon, continuation lines included; ``None`` when there is no such header;
    :data:`UNKNOWN` when the header block is not one the scan can vouch for."""
    end = _header_end(raw)
    if end is None:
        return UNKNOWN
    found = _pattern(name).search(raw, 0, end)
    return None if found is None else found.group(1)


_PLAIN_TYPE = re.compile(rb'[ \t]*text/plain[ \t]*(?:;[ \t]*charset[ \t]*=[ \t]*("?)([A-Za-z0-9_.:-]+)\1[ \t]*)?\r?\n',
                         re.IGNORECASE)  # fmt: skip
_IDENTITY_ENCODINGS = frozenset({b"7bit", b"8bit", b"binary"})


def plain_body(raw: bytes) -> str | None:
    """The text of a message that is one plain-text part, as ``message.text`` gives it
    (decoded by :func:`.decode.decode_text` with the declared charset, line ends as
    ``\n``), read without parsing the message. ``None`` for any other message (MIME
    parts, HTML, transfer encodings, attachments, format=flowed, unusual headers):
    then the caller parses it."""
    end = _header_end(raw)
    if end is None or end == len(raw):
        return None
    content_type = _pattern(b"content-type").findall(raw, 0, end)
    charset = None
    if content_type:
        plain = _PLAIN_TYPE.fullmatch(content_type[0]) if len(content_type) == 1 else None
        if plain is None:
            return None
        if plain.group(2):
            charset = plain.group(2).decode("ascii")
    encoding = _pattern(b"content-transfer-encoding").findall(raw, 0, end)
    if encoding and (len(encoding) > 1 or encoding[0].strip().lower() not in _IDENTITY_ENCODINGS):
        return None
    if _pattern(b"content-disposition").search(raw, 0, end):
        return None
    start = end + (2 if raw.startswith(b"\r\n", end) else 1)
    text, _note = decode_text(raw[start:], charset)
    return text.replace("\r\n", "\n").replace("\r", "\n")


def source_value(raw_value: bytes) -> str:
    """The value as ``email.policy.default`` holds it before decoding: bytes read as
    ASCII with surrogate escapes, leading blanks and the final line end removed."""
    return raw_value.decode("ascii", "surrogateescape").lstrip(" \t").rstrip("\r\n")


def plain_value(raw_value: bytes | object | None) -> str | None:
    """The decoded value of a :func:`raw_header` result when decoding cannot change it
    (no header: ``''``; printable ASCII on one line without encoded words: the text
    itself, without the blanks around it, as mail readers show it), else ``None``: then
    the ``email`` package must decode it."""
    if raw_value is None:
        return ""
    if raw_value is UNKNOWN:
        return None
    value = source_value(raw_value)
    if value.isascii() and value.isprintable() and "=?" not in value:
        return value.rstrip(" \t")
    return None
