"""Organisational domains (RFC 7489 3.2) and identifier alignment, over the Public Suffix List.

``publicsuffixlist`` carries the list in the package (nothing is downloaded)
and applies the list's default rule ``*``: a name under a top-level domain the
list does not know, such as ``foo.test``, is its own organisational domain.
(authheaders' own table makes ``test`` the organisational domain of every
``*.test`` name, so that ``foo.test`` and ``evil.test`` would align: a false
pass on exactly the domains tests use.)
"""

from __future__ import annotations

import email.utils
import functools

from publicsuffixlist import PublicSuffixList

from .raw import parse_field, unfolded


@functools.cache
def _list() -> PublicSuffixList:
    # Parsing the bundled list takes 40 to 160 ms: once per process, when first needed.
    return PublicSuffixList()


def clean(domain: str | None) -> str:
    """``domain`` lower case, without a trailing dot or surrounding brackets; '' for nothing."""
    if not domain:
        return ""
    return domain.strip().strip("[]").rstrip(".").lower()


@functools.lru_cache(maxsize=1024)
def organisational_domain(domain: str) -> str:
    """The registered domain of ``domain`` (``mail.example.co.uk`` -> ``example.co.uk``);
    a domain that is itself a public suffix is its own."""
    domain = clean(domain)
    if not domain:
        return ""
    return _list().privatesuffix(domain) or domain


def aligned(a: str, b: str, mode: str = "r") -> bool:
    """Whether two domains align: the same name (``mode='s'``, strict) or organisational domain (``'r'``)."""
    a, b = clean(a), clean(b)
    if not a or not b:
        return False
    if mode == "s":
        return a == b
    return organisational_domain(a) == organisational_domain(b)


def address_domain(address: str | None) -> str:
    """The domain of an address (``<a@b>``, ``a@b``); '' for the null reverse path or none."""
    if not address:
        return ""
    address = address.strip()
    _, parsed = email.utils.parseaddr(address)
    parsed = parsed or address.strip("<>")
    if "@" not in parsed:
        return ""
    return clean(parsed.rpartition("@")[2])


def field_domains(name: str, value: str, smtputf8: bool | None) -> list[str]:
    """The domain of every address in the raw (folded) value of the address field ``name``, cleaned;
    8-bit bytes are read as UTF-8 unless ``smtputf8`` is False (see :func:`.raw.unfolded`)."""
    header = parse_field(name, unfolded(value, smtputf8))
    return [clean(address.domain) for address in header.addresses if address.domain]
