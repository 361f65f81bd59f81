"""DMARC (RFC 7489): the From domain's policy, and whether a passing DKIM or SPF identity aligns with it.

Written here over :mod:`.domains` (publicsuffixlist) rather than taken from
authheaders, whose organisational domain of ``foo.test`` is ``test`` (so that a
mail from ``foo.test`` signed by ``evil.test`` passes there).

Policy discovery (6.6.3): the TXT record at ``_dmarc.<From domain>``, else at
``_dmarc.<organisational domain>``; only records starting ``v=DMARC1`` count.
No record: ``none``. A record that cannot be used (no valid ``p=``, a bad
``sp=``, ``adkim=`` or ``aspf=``) or several records: ``permerror``, RFC 8601
2.7.7's "syntactically incorrect DMARC record"; the reason says which.
``pct`` is reported, not applied: a test wants the verdict on every message.
"""

from __future__ import annotations

from email import policy as email_policy
from email.parser import BytesHeaderParser

from . import lookups
from .domains import aligned, field_domains, organisational_domain
from .results import DKIMResult, DMARCResult, SPFResult

POLICIES = ("none", "quarantine", "reject")
_MODES = ("r", "s")
_MODE_WORDS = {"r": "relaxed", "s": "strict"}


def from_domains(raw: bytes) -> list[str]:
    """The domain of every address in every From field of ``raw``.

    8-bit bytes are read as UTF-8 where valid, whether or not the message came with
    SMTPUTF8: the domain they spell is the one whose record DMARC looks up (that they
    came without it is the standards checks' ``header.8bit``)."""
    headers = BytesHeaderParser(policy=email_policy.default).parsebytes(raw)
    return [
        domain
        for name, value in headers.raw_items()
        if name.lower() == "from"
        for domain in field_domains(name, value, None)
    ]


def evaluate_dmarc(from_domain_list: list[str], dkim: tuple[DKIMResult, ...], spf: SPFResult) -> DMARCResult:
    """The DMARC result of a message whose From domains are ``from_domain_list``, per the test DNS in use."""
    distinct = sorted({domain for domain in from_domain_list if domain})
    if not distinct:
        return DMARCResult("permerror", "no From domain", "")
    if len(distinct) > 1:
        return DMARCResult("permerror", f"several From domains ({', '.join(distinct)})", distinct[0])
    from_domain = distinct[0]
    org = organisational_domain(from_domain)
    try:
        found = _discover(from_domain, org)
    except LookupError as error:
        return DMARCResult("temperror", str(error), from_domain, organisational_domain=org)
    if found is None:
        return DMARCResult("none", "no DMARC record", from_domain, organisational_domain=org)
    record_domain, records = found
    base = {"from_domain": from_domain, "organisational_domain": org, "record_domain": record_domain}
    if len(records) > 1:
        return DMARCResult("permerror", f"{len(records)} DMARC records at _dmarc.{record_domain}", **base)
    record = records[0]
    tags, problem = _parse(record)
    if problem:
        reason = f"invalid DMARC record at _dmarc.{record_domain}: {problem}"
        return DMARCResult("permerror", reason, record=record, **base)
    policy = tags["sp"] if record_domain != from_domain and "sp" in tags else tags["p"]
    adkim, aspf = tags.get("adkim", "r"), tags.get("aspf", "r")
    dkim_domain = next(
        (signature.domain for signature in dkim if signature.passed and aligned(signature.domain, from_domain, adkim)),
        "",
    )
    spf_aligned = spf.passed and aligned(spf.domain, from_domain, aspf)
    passed = bool(dkim_domain) or spf_aligned
    try:
        pct = max(0, min(100, int(tags.get("pct", "100"))))
    except ValueError:
        pct = 100
    return DMARCResult(
        "pass" if passed else "fail",
        "" if passed else _why_not(from_domain, dkim, spf, adkim, aspf),
        policy=policy,
        adkim=adkim,
        aspf=aspf,
        dkim_aligned=bool(dkim_domain),
        spf_aligned=spf_aligned,
        dkim_domain=dkim_domain,
        spf_domain=spf.domain if spf_aligned else "",
        record=record,
        pct=pct,
        **base,
    )


def _discover(from_domain: str, org: str) -> tuple[str, list[str]] | None:
    for domain in dict.fromkeys((from_domain, org)):
        records = [text.strip() for text in lookups.txt_records(f"_dmarc.{domain}") if _is_dmarc(text)]
        if records:
            return domain, records
    return None


def _is_dmarc(text: str) -> bool:
    return "".join(text.split(";", 1)[0].split()) == "v=DMARC1"


def _parse(record: str) -> tuple[dict[str, str], str]:
    """The tags of ``record`` (names lower case, first of each kept), and what makes it unusable ('' if nothing)."""
    tags: dict[str, str] = {}
    for spec in record.split(";"):
        if not spec.strip():
            continue
        key, sep, value = spec.partition("=")
        if not sep:
            return tags, f"{spec.strip()!r} is not a tag=value pair"
        tags.setdefault(key.strip().lower(), value.strip())
    for name in ("p", "sp"):
        if name in tags:
            tags[name] = tags[name].lower()
            if tags[name] not in POLICIES:
                return tags, f"{name}={tags[name]} is not none, quarantine or reject"
    if "p" not in tags:
        return tags, "no p= tag"
    for mode in ("adkim", "aspf"):
        if mode in tags:
            tags[mode] = tags[mode].lower()
            if tags[mode] not in _MODES:
                return tags, f"{mode}={tags[mode]} is not r or s"
    return tags, ""


def _why_not(from_domain: str, dkim: tuple[DKIMResult, ...], spf: SPFResult, adkim: str, aspf: str) -> str:
    passing = [signature.domain for signature in dkim if signature.passed]
    if passing:
        dkim_part = f"DKIM passed for d={', '.join(passing)}, not aligned ({_MODE_WORDS[adkim]}) with {from_domain}"
    else:
        dkim_part = "no DKIM signature passed" if dkim else "no DKIM signature"
    if spf.passed:
        spf_part = f"SPF passed for {spf.domain}, not aligned ({_MODE_WORDS[aspf]}) with {from_domain}"
    else:
        spf_part = f"SPF {spf.result}"
    return f"{dkim_part}; {spf_part}"
