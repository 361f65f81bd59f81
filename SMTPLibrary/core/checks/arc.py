"""ARC (RFC 8617) chain validation by dkimpy's ``arc_verify``, against the test DNS in use."""

from __future__ import annotations

import dkim as dkimpy

from . import lookups
from .dkim import dkimpy_logger, text
from .raw import has_field
from .results import ARCResult, ARCSet

_LOGGER = dkimpy_logger("smtplibrary.checks.dkimpy.arc")

_WORDS = {b"pass": "pass", b"fail": "fail", b"none": "none"}
_ARC_FIELDS = ("ARC-Seal", "ARC-Message-Signature", "ARC-Authentication-Results")


def verify_arc(raw: bytes) -> ARCResult:
    try:
        chain, results, reason = dkimpy.arc_verify(raw, logger=_LOGGER, dnsfunc=lookups.dkim_txt)
    except (dkimpy.DKIMException, IndexError) as error:
        # arc_verify parses the message before its own error handling starts.
        if not any(has_field(raw, name) for name in _ARC_FIELDS):
            return ARCResult("none", "")
        return ARCResult("fail", f"message header cannot be parsed: {text(error) or type(error).__name__}")
    sets = tuple(
        ARCSet(
            instance=int(item.get("instance", 0)),
            domain=text(item.get("as-domain", b"")),
            selector=text(item.get("as-selector", b"")),
            chain=text(item.get("cv", b"")).lower(),
            seal_valid=bool(item.get("as-valid")),
            signature_valid=bool(item.get("ams-valid")),
        )
        for item in results
    )
    if chain is None:  # a seal saying cv=fail ends the chain: dkimpy answers None
        return ARCResult("fail", text(reason), sets)
    word = _WORDS.get(chain, "permerror")
    return ARCResult(word, "" if word in ("pass", "none") else text(reason), sets)
