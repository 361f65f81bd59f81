"""How the check libraries read the test DNS: the DNS in use for a check, and the glue.

The test DNS a check consults is held in a context variable, set by
:func:`using` for the length of the check (so that threads checking at the
same time each read their own):

* dkimpy takes a DNS function: :func:`dkim_txt` is given to every call.
* pyspf takes none: its module-level ``spf.DNSLookup`` is replaced once, by
  :func:`install_spf_lookup`, with :func:`spf_lookup`, which reads the test
  DNS in use. Outside a check (someone else's pyspf call in this process) it
  hands the query to pyspf's own lookup, as if nothing had been replaced.

The checks always run with a test DNS in use, so none of their lookups can
reach a resolver. Without one, dkimpy's lookup fails as a DNS timeout (a
``temperror``), never as a query sent.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from ..errors import InvalidArgument
from .zone import NameNotFound, TestDNS

NO_DNS = "no test DNS is in use, and the checks never ask a real resolver"

_current: ContextVar[TestDNS | None] = ContextVar("smtplibrary_test_dns", default=None)


@contextmanager
def using(dns: TestDNS) -> Iterator[TestDNS]:
    """Make ``dns`` the one DKIM, ARC, SPF and DMARC lookups read inside the block."""
    token = _current.set(dns)
    try:
        yield dns
    finally:
        _current.reset(token)


def current() -> TestDNS | None:
    return _current.get()


def _lookup(name: str | bytes, type_: str) -> tuple | None:
    """The values at ``name`` in the test DNS in use; ``None`` for NXDOMAIN or a name no DNS could hold."""
    dns = _current.get()
    if dns is None:
        raise LookupError(NO_DNS)
    try:
        return dns.lookup(name, type_)
    except (NameNotFound, InvalidArgument):
        return None


def txt_records(name: str | bytes) -> tuple[str, ...]:
    """Every TXT record at ``name``, each one's strings joined (NXDOMAIN: none). DMARC reads these."""
    values = _lookup(name, "TXT") or ()
    return tuple(b"".join(parts).decode("utf-8", "replace") for parts in values)


def dkim_txt(name: bytes | str, timeout: float = 5) -> bytes | None:
    """dkimpy's ``dnsfunc``: the first TXT record at ``name`` (bytes ending in a dot), strings joined.

    ``None`` is NXDOMAIN or no TXT record, which dkimpy reports as a missing key. Of
    several TXT records the first is given, as dkimpy's own resolver glue does."""
    import dkim  # dkimpy

    try:
        values = _lookup(name, "TXT")
    except LookupError as error:
        raise dkim.DnsTimeoutError(str(error)) from None
    return b"".join(values[0]) if values else None


_pyspf_lookup = None


def spf_lookup(name: str, qtype: str, strict: object = True, timeout: object = None) -> list:
    """pyspf's ``DNSLookup`` over the test DNS in use: ``[((name, type), value), ...]``.

    The shapes are those of pyspf's own glue: TXT a tuple of bytes, A and AAAA the
    address, MX ``(preference, exchange)``, PTR a name. Asked for a type a name
    lacks, a name holding a CNAME answers the CNAME, which pyspf follows. NXDOMAIN and
    "no data" are both ``[]``, as in pyspf's glue."""
    if _current.get() is None:
        return _pyspf_lookup(name, qtype, strict, timeout)  # type: ignore[misc]
    qtype = qtype.upper()
    values = _lookup(name, qtype)
    if values == () and qtype != "CNAME":
        return [((name, "CNAME"), target) for target in _lookup(name, "CNAME") or ()]
    return [((name, qtype), value) for value in values or ()]


_install_lock = threading.Lock()


def install_spf_lookup() -> None:
    """Point pyspf's module-level ``DNSLookup`` at :func:`spf_lookup`, once per process."""
    global _pyspf_lookup
    import spf  # pyspf

    with _install_lock:
        if spf.DNSLookup is not spf_lookup:
            _pyspf_lookup = spf.DNSLookup
            spf.DNSLookup = spf_lookup
