"""The Authentication-Results header field (RFC 8601) a receiving server would add for the results.

One clause per DKIM signature, then SPF, DMARC and ARC; a result that is not
``pass`` carries ``reason=``. Values are tokens where RFC 2045 allows, else
quoted strings; comments are escaped. The field parses with ``authres`` (a test
checks it), and dkimpy's ARC signer reads it.
"""

from __future__ import annotations

from collections.abc import Sequence

from .results import ARCResult, DKIMResult, DMARCResult, SPFResult

_TSPECIALS = set('()<>@,;:\\"/[]?=') | {" ", "\t"}
# How many characters of b= identify a signature (RFC 6008 recommends at least 8).
SIGNATURE_SHOWN = 8


def authentication_results(
    authserv_id: str, dkim: Sequence[DKIMResult], spf: SPFResult, dmarc: DMARCResult, arc: ARCResult
) -> str:
    """The whole field, ``Authentication-Results: ...``, folded with CRLF and a tab, no final CRLF."""
    clauses = [_dkim(signature) for signature in dkim] or ["dkim=none"]
    clauses += [_spf(spf), _dmarc(dmarc), _arc(arc)]
    return "Authentication-Results: " + ";\r\n\t".join([_value(authserv_id or "localhost"), *clauses])


def _value(text: str) -> str:
    """A ``value`` (RFC 2045 token or quoted-string) for a property or reason."""
    if text and not any(ch in _TSPECIALS or not 33 <= ord(ch) <= 126 for ch in text):
        return text
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _pvalue(text: str) -> str:
    # A pvalue may be an addr-spec or a domain name as it is; anything else is a value.
    if text and all(ch.isalnum() or ch in "-._+@" for ch in text):
        return text
    return _value(text)


def _reason(reason: str) -> str:
    return f" reason={_value(reason)}" if reason else ""


def _comment(text: str) -> str:
    return " (" + text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ")"


def _dkim(signature: DKIMResult) -> str:
    properties = [
        f"{name}={_pvalue(value)}"
        for name, value in (
            ("header.d", signature.domain),
            ("header.i", signature.identity),
            ("header.s", signature.selector),
            ("header.a", signature.algorithm),
            ("header.b", signature.signature[:SIGNATURE_SHOWN]),
        )
        if value
    ]
    return " ".join([f"dkim={signature.result}{_reason(signature.reason)}", *properties])


def _spf(result: SPFResult) -> str:
    properties = []
    if result.identity == "mailfrom" and result.sender:
        properties.append(f"smtp.mailfrom={_pvalue(result.sender)}")
    if result.helo:
        properties.append(f"smtp.helo={_pvalue(result.helo)}")
    if result.result == "none":
        said = _reason(result.reason)
    else:
        said = _comment(result.reason) if result.reason else ""
    return " ".join([f"spf={result.result}{said}", *properties])


def _dmarc(result: DMARCResult) -> str:
    comment = _comment(f"p={result.policy} dis={result.disposition}") if result.policy else ""
    reason = _reason(result.reason) if not result.passed else ""
    header_from = f" header.from={_pvalue(result.from_domain)}" if result.from_domain else ""
    return f"dmarc={result.result}{reason}{comment}{header_from}"


def _arc(result: ARCResult) -> str:
    comment = _comment(f"i={result.instances}") if result.sets else ""
    return f"arc={result.result}{_reason(result.reason)}{comment}"
