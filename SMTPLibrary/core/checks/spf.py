"""SPF (RFC 7208) of the envelope sender, from the client's address and HELO name, evaluated by pyspf.

pyspf takes no DNS function: its module-level lookup is pointed at the test DNS
once, when this module is imported (see :mod:`.lookups`). The server stores the
null reverse path (``MAIL FROM:<>``) as ``''``, which is what pyspf wants: it then
checks the HELO identity (``postmaster@<helo>``, RFC 7208 2.4).
"""

from __future__ import annotations

import ipaddress

import spf as pyspf

from ..errors import InvalidArgument
from . import lookups
from .domains import clean
from .results import SPFResult

lookups.install_spf_lookup()

# pyspf's limit on a whole check (RFC 7208 4.6.4 recommends 20 s); lookups here are in memory.
_QUERY_SECONDS = 20


def envelope_address(sender: str | None) -> str:
    """The MAIL FROM address as SPF takes it: without angle brackets, '' for the null reverse path."""
    text = (sender or "").strip()
    if text.startswith("<") and text.endswith(">"):
        text = text[1:-1].strip()
    return text


def _client_ip(peer: object) -> str:
    """The client's IP address from ``'192.0.2.1'`` or a ``(address, port, ...)`` peer; '' for none."""
    if isinstance(peer, (tuple, list)):
        peer = peer[0] if peer else ""
    text = str(peer or "").strip().strip("[]")
    if text.lower().startswith("ipv6:"):
        text = text[5:]
    if not text:
        return ""
    try:
        address = ipaddress.ip_address(text.split("%", 1)[0])
    except ValueError:
        raise InvalidArgument(f"The client address {peer!r} is not an IP address.") from None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return str(address)


def check_spf(sender: str | None, peer: object, helo: str | None) -> SPFResult:
    """The SPF result for ``sender`` sent from ``peer`` after ``HELO helo``, per the test DNS in use."""
    address = envelope_address(sender)
    ip = _client_ip(peer)
    helo = clean(helo)
    identity = "mailfrom" if address else "helo"
    # The domain pyspf checks, not domains.address_domain: a reverse path without '@' (aiosmtpd
    # takes MAIL FROM:<example.com>) is checked as a domain, where address_domain finds none.
    domain = address.rpartition("@")[2].lower() if address else helo

    def result(word: str, reason: str) -> SPFResult:
        return SPFResult(word, reason, domain, identity, address, ip, helo)

    if not ip:
        return result("none", "no client IP address to check")
    if not domain:
        return result("none", "no domain to check: a null reverse path and no HELO name")
    try:
        word, _code, explanation = pyspf.query(i=ip, s=address, h=helo, querytime=_QUERY_SECONDS).check()
    except pyspf.TempError as error:  # raised outside check()'s own handling
        return result("temperror", str(error))
    if word == "none" and not explanation:
        explanation = f"no SPF record at {domain}"
    return result(word, explanation or "")
