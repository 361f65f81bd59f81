"""The results of message checks on a card: authentication results and problems, escaped."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from ..checks import Authentication, Problem


def authentication_section(authentication: Authentication) -> str:
    """A row per DKIM signature, then SPF, DMARC and ARC, each with its facts, and the header a receiver would add."""
    rows = [
        (
            "DKIM",
            signature.result,
            _facts(f"d={signature.domain}", f"s={signature.selector}", signature.algorithm, signature.reason),
        )
        for signature in authentication.dkim
    ] or [("DKIM", "none", "no DKIM-Signature")]
    spf, dmarc, arc = authentication.spf, authentication.dmarc, authentication.arc
    rows.append(("SPF", spf.result, _facts(f"{spf.identity} {spf.sender or spf.helo}", f"from {spf.ip}", spf.reason)))
    aligned = [name for name, flag in (("DKIM", dmarc.dkim_aligned), ("SPF", dmarc.spf_aligned)) if flag]
    rows.append(
        (
            "DMARC",
            dmarc.result,
            _facts(
                f"header.from={dmarc.from_domain}",
                dmarc.policy and f"p={dmarc.policy}",
                aligned and f"aligned: {', '.join(aligned)}",
                dmarc.reason,
            ),
        )
    )
    rows.append(("ARC", arc.result, _facts(arc.sets and f"{len(arc.sets)} sets", arc.reason)))
    body = "".join(
        f"<tr><th>{escape(check)}</th><td{'' if result == 'pass' else _BAD}>{escape(result)}</td>"
        f"<td>{escape(facts)}</td></tr>"
        for check, result, facts in rows
    )
    header = escape(authentication.header.replace("\r\n", "\n"))
    return f"<h4>Authentication</h4><table>{body}</table><pre>{header}</pre>"


def problems_section(problems: Sequence[Problem]) -> str:
    """The problems the standards checks found, errors first; a line saying so when there is none."""
    if not problems:
        return "<h4>Message checks</h4><p>No problem found.</p>"
    body = "".join(
        f"<tr><th>{escape(item.code)}</th><td{_BAD if item.severity == 'error' else ''}>{escape(item.severity)}</td>"
        f"<td>{escape(item.where)}</td><td>{escape(item.text)}</td></tr>"
        for item in problems
    )
    return f"<h4>Message checks</h4><table>{body}</table>"


_BAD = " class='bad'"


def _facts(*parts: object) -> str:
    return ", ".join(str(part) for part in parts if part)
