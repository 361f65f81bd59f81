"""Every DKIM signature of a message (RFC 6376), verified by dkimpy against the test DNS.

``dkim.verify()`` checks only the first signature and answers a bare bool, and
dkimpy answers the same ``False`` for a missing, revoked or unusable key as for
a signature that does not verify (the cause only in a log line). So each
signature is taken in turn with ``DKIM(...).verify(idx=i, dnsfunc=...)``, and
its key record is classified here first, with dkimpy's own ``evaluate_pk``.
dkimpy does all the canonicalisation and cryptography.

Reasons are RFC 6376's (sections 6.1.1 to 6.1.3, "PERMFAIL (...)"); results RFC 8601's:

=============================================  ==========
reason                                         result
=============================================  ==========
(verified)                                     pass
body hash did not verify                       fail
signature did not verify                       fail
key revoked (``p=`` empty)                     fail: RFC 6376 6.1.2 "treat this as a failed signature check"
no key for signature                           permerror: it cannot be verified at all (RFC 8601 2.7.1)
key syntax error, inappropriate key algorithm  permerror
inappropriate hash algorithm (rsa-sha1)        permerror: RFC 8301 3.1 (dkimpy itself still passes it)
From field not signed                          permerror: RFC 6376 6.1.1 (dkimpy does not check it)
signature syntax error, missing tag, expired   permerror
key unavailable (no test DNS in use)           temperror
=============================================  ==========
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator

import dkim as dkimpy
from dkim.util import InvalidTagValueList, parse_tag_value

from . import lookups
from .raw import has_field
from .results import DKIMResult


def dkimpy_logger(name: str) -> logging.Logger:
    """A logger for dkimpy whose lines go nowhere: dkimpy logs a refused key at ERROR
    level, and the reason is in the result instead."""
    logger = logging.getLogger(name)
    logger.addHandler(logging.NullHandler())
    logger.propagate = False
    return logger


def text(value: object) -> str:
    """What dkimpy gives (bytes, or an exception) as text."""
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)


_LOGGER = dkimpy_logger("smtplibrary.checks.dkimpy")

_MANDATORY = (b"v", b"a", b"b", b"bh", b"d", b"h", b"s")
_WHITESPACE = re.compile(rb"\s+")
# dkimpy verifies keys of 1024 bits and more, as RFC 8301 3.2 asks of verifiers.
MIN_KEY_BITS = 1024


def verify_dkim(raw: bytes) -> tuple[DKIMResult, ...]:
    """Every DKIM-Signature of ``raw``, in header order, against the test DNS in use."""
    return tuple(_verify_all(raw))


def _verify_all(raw: bytes) -> Iterator[DKIMResult]:
    try:
        verifier = dkimpy.DKIM(raw, logger=_LOGGER, minkey=MIN_KEY_BITS)
    except (dkimpy.DKIMException, IndexError) as error:
        # dkimpy cannot split the header: a line neither a field nor a continuation
        # (MessageFormatError), or a continuation line first (IndexError).
        if has_field(raw, "DKIM-Signature"):
            why = text(error) or type(error).__name__
            yield DKIMResult("permerror", f"message header cannot be parsed: {why}", "", "")
        return
    signatures = [value for name, value in verifier.headers if name.lower() == b"dkim-signature"]
    for index, value in enumerate(signatures):
        yield _verify_one(verifier, index, value)


def _verify_one(verifier: dkimpy.DKIM, index: int, value: bytes) -> DKIMResult:
    try:
        tags = parse_tag_value(value)
    except InvalidTagValueList as error:
        return DKIMResult("permerror", f"signature syntax error: {text(error)}", "", "")
    facts = {
        "domain": text(tags.get(b"d", b"")).lower(),
        "selector": text(tags.get(b"s", b"")),
        "algorithm": text(tags.get(b"a", b"")).lower(),
        "canonicalization": text(tags.get(b"c", b"")),
        "identity": text(tags.get(b"i", b"")),
        "signature": text(_WHITESPACE.sub(b"", tags.get(b"b", b"")))[:12],
    }

    def result(word: str, reason: str = "") -> DKIMResult:
        return DKIMResult(word, reason, **facts)

    missing = [tag.decode() for tag in _MANDATORY if tag not in tags]
    if missing:
        return result("permerror", f"signature missing required tag ({', '.join(missing)}=)")
    if b"from" not in [name.strip().lower() for name in tags[b"h"].split(b":")]:
        return result("permerror", "From field not signed")
    if facts["algorithm"] == "rsa-sha1":
        return result("permerror", "inappropriate hash algorithm (rsa-sha1 is not accepted, RFC 8301 3.1)")
    refusal = _key_refusal(tags)
    if refusal is not None:
        return result(*refusal)
    try:
        verified = verifier.verify(idx=index, dnsfunc=lookups.dkim_txt)
    except dkimpy.ValidationError as error:
        message = text(error)
        # dkimpy's wording is the only place it says which check failed (a test pins these prefixes).
        if message.startswith("body hash mismatch"):
            return result("fail", "body hash did not verify")
        if message.startswith("x= value is past"):
            return result("permerror", "signature expired")
        return result("permerror", f"signature syntax error: {message}")
    except dkimpy.DnsTimeoutError as error:
        return result("temperror", f"key unavailable: {text(error)}")
    except dkimpy.DKIMException as error:  # KeyFormatError (key too small), MessageFormatError, ...
        return result("permerror", text(error))
    return result("pass") if verified else result("fail", "signature did not verify")


def _key_refusal(tags: dict[bytes, bytes]) -> tuple[str, str] | None:
    """Why the key record cannot verify this signature, or ``None`` when it can be used."""
    name = tags[b"s"] + b"._domainkey." + tags[b"d"] + b"."
    try:
        record = lookups.dkim_txt(name)
    except dkimpy.DnsTimeoutError as error:
        return "temperror", f"key unavailable: {text(error)}"
    if record is None:
        return "permerror", "no key for signature"
    try:
        key = parse_tag_value(record)
    except InvalidTagValueList as error:
        return "permerror", f"key syntax error: {text(error)}"
    if b"p" in key and not _WHITESPACE.sub(b"", key[b"p"]):
        return "fail", "key revoked"
    try:
        dkimpy.evaluate_pk(name, record)
    except dkimpy.DKIMException as error:
        return "permerror", f"key syntax error: {text(error)}"
    key_type = key.get(b"k", b"rsa").lower()
    if key_type != tags[b"a"].lower().split(b"-")[0]:
        return "permerror", f"inappropriate key algorithm (k={text(key_type)} for a={text(tags[b'a'])})"
    return None
