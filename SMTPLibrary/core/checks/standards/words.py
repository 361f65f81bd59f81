"""Checks of header bytes and words: 8-bit bytes without SMTPUTF8 (RFC 6531, 6532) and
malformed RFC 2047 encoded words."""

from __future__ import annotations

import re
from collections.abc import Iterator
from email.headerregistry import UnstructuredHeader

from ..raw import has_8bit, parse_field
from .addresses import ADDRESS_FIELDS
from .fields import bytes_text, defects_text, is_encoded_word_defect, place
from .message import Message, Problem, problem

# Fields whose values are not text a person reads: RFC 2047 does not apply to them (RFC 2047 5).
NOT_TEXT = frozenset(
    name.lower()
    for name in (
        "Received", "Return-Path", "Message-ID", "In-Reply-To", "References", "Date", "Resent-Date",
        "Resent-Message-ID", "MIME-Version", "Content-Type", "Content-Disposition", "Content-Transfer-Encoding",
        "Content-ID", "DKIM-Signature", "ARC-Seal", "ARC-Message-Signature", "ARC-Authentication-Results",
        "Authentication-Results", "Received-SPF", "List-Unsubscribe", "List-Unsubscribe-Post", "List-Id",
        "List-Post", "List-Help", "List-Subscribe", "List-Archive", "List-Owner",
    )
)  # fmt: skip
# An RFC 2047 encoded word as a token: =?charset?encoding?text?= (RFC 2047 2).
_ENCODED_WORD = re.compile(r"=\?([^?\s]+)\?([^?\s]*)\?([^?\s]*)\?=")
ENCODED_WORD_MAX = 75


def check(message: Message) -> Iterator[Problem]:
    yield from _eight_bit(message)
    yield from _encoded_words(message)


def _eight_bit(message: Message) -> Iterator[Problem]:
    smtputf8 = message.envelope.smtputf8
    for index, (part, path, _type) in enumerate(message.parts):
        for key, value in part.raw_items():
            if not has_8bit(value):
                continue
            where, name = place(key, path, index == 0)
            data = value.encode("ascii", "surrogateescape")
            if smtputf8 is False:
                text = f"{name} holds 8-bit bytes but the message was sent without SMTPUTF8: {bytes_text(data)}"
                yield problem("header.8bit", where, text)
                continue
            try:
                data.decode("utf-8")
            except UnicodeDecodeError:
                yield problem(
                    "header.utf8.invalid", where, f"{name} holds bytes that are not UTF-8: {bytes_text(data)}"
                )


def _encoded_words(message: Message) -> Iterator[Problem]:
    for index, (part, path, _type) in enumerate(message.parts):
        for key, value in part.raw_items():
            if "=?" not in value or key.lower() in NOT_TEXT:
                continue
            where, name = place(key, path, index == 0)
            text = "".join(value.splitlines())
            for match in _ENCODED_WORD.finditer(text):
                word, encoding = match.group(0), match.group(2)
                if encoding.upper() not in ("B", "Q"):
                    yield problem(
                        "header.encoded-word",
                        where,
                        f"{name}: {word!r} names encoding {encoding!r}; only B and Q exist",
                    )
                elif len(word) > ENCODED_WORD_MAX:
                    yield problem(
                        "header.encoded-word.length",
                        where,
                        f"{name}: an encoded word of {len(word)} characters (at most 75)",
                    )
            if has_8bit(text):
                continue  # the 8-bit check reports these bytes; the parser's defects would say it again
            defects = [defect for defect in _defects(key, text) if is_encoded_word_defect(defect)]
            if defects:
                yield problem(
                    "header.encoded-word",
                    where,
                    f"{name} has a malformed encoded word ({defects_text(defects)}): {text[:80]!r}",
                )


def _defects(key: str, text: str) -> list:
    # policy.default's header objects keep no defects for unstructured fields (Subject and the
    # like): the registry's own parser of unstructured text has them.
    if key.lower() in ADDRESS_FIELDS:
        return list(parse_field(key, text).defects)
    return list(UnstructuredHeader.value_parser(text).all_defects)
