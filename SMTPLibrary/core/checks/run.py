"""The checks a test runs on a message: authentication results, problems, and the assertions on them.

Each entry point makes sure the ``checks`` extra is installed before it imports
the libraries that do the work, so that importing the package costs nothing
and a missing extra fails at the first check, naming the command that installs it.
"""

from __future__ import annotations

import os
from collections.abc import Iterable

from ..errors import ContentMismatch
from ..mail import ReceivedMessage
from ..wording import label, plural
from .authentication import Authentication, expected_results
from .extra import require_extra
from .keys import DKIMKey
from .keys import create_dkim_key as make_dkim_key
from .standards import Envelope, Problem, ignored_warnings, not_ignored
from .zone import TestDNS

DEFAULT_AUTHSERV_ID = "localhost"


def authenticate(message: ReceivedMessage, dns: TestDNS, *, authserv_id: str = DEFAULT_AUTHSERV_ID) -> Authentication:
    """DKIM (every signature), SPF (the envelope sender, from the client's address and HELO name),
    DMARC and ARC of ``message``, every record looked up in ``dns`` and nowhere else."""
    require_extra()
    from . import lookups
    from .arc import verify_arc
    from .dkim import verify_dkim
    from .dmarc import evaluate_dmarc, from_domains
    from .spf import check_spf

    raw = bytes(message.raw)
    with lookups.using(dns):
        dkim = verify_dkim(raw)
        spf = check_spf(message.sender, message.peer, message.helo)
        dmarc = evaluate_dmarc(from_domains(raw), dkim, spf)
        arc = verify_arc(raw)
    return Authentication(dkim, spf, dmarc, arc, authserv_id)


def check_authentication(
    message: ReceivedMessage, authentication: Authentication, expected: dict[str, str | None]
) -> None:
    """Raise :class:`ContentMismatch` naming each check whose result differs from :func:`expected_results`."""
    lines = authentication.differences(**expected)
    if lines:
        wanted = ", ".join(f"{name}={word}" for name, word in expected.items() if word is not None)
        raise ContentMismatch(f"{label(message)} did not authenticate as expected ({wanted}):\n" + "\n".join(lines))


def require_authentication(
    message: ReceivedMessage,
    dns: TestDNS,
    *,
    dkim: str | None = None,
    spf: str | None = None,
    dmarc: str | None = None,
    arc: str | None = None,
) -> Authentication:
    """The results of :func:`authenticate`; raises :class:`ContentMismatch` naming each check whose
    result differs from the one given (``dkim`` is expected of every signature)."""
    expected = expected_results(dkim, spf, dmarc, arc)
    authentication = authenticate(message, dns)
    check_authentication(message, authentication, expected)
    return authentication


def problems(message: ReceivedMessage, *, bulk: bool = False) -> list[Problem]:
    """Every problem of ``message``, errors first. ``bulk``: treat it as bulk mail even without
    ``List-Id`` or ``Precedence: bulk`` (one-click unsubscription is then expected)."""
    require_extra()
    from .standards.problems import problems as find

    return find(message.raw, Envelope.of(message, bulk=bulk))


def check_well_formed(message: ReceivedMessage, found: list[Problem], ignored: frozenset[str]) -> None:
    """Raise :class:`ContentMismatch`, a problem a line, when ``found`` has an error or a warning
    not in ``ignored`` (see :func:`.standards.ignored_warnings`)."""
    failing = not_ignored(found, ignored)
    if failing:
        errors = sum(item.severity == "error" for item in failing)
        kinds = ((errors, "error"), (len(failing) - errors, "warning"))
        counts = " and ".join(plural(count, kind) for count, kind in kinds if count)
        raise ContentMismatch(
            f"{label(message)} is not well formed: {counts}.\n" + "\n".join(str(item) for item in failing)
        )


def require_well_formed(
    message: ReceivedMessage, *, ignore: str | Iterable[str] | None = None, bulk: bool = False
) -> list[Problem]:
    """Every problem of ``message``; raises :class:`ContentMismatch`, a problem a line, when it has
    an error, or a warning ``ignore`` does not name: codes, or families such as ``html.*``, as a
    list or in one text separated by commas or spaces."""
    ignored = ignored_warnings(ignore)  # a wrong code fails before anything is checked
    found = problems(message, bulk=bulk)
    check_well_formed(message, found, ignored)
    return found


def create_dkim_key(
    domain: str,
    selector: str = "test",
    algorithm: str = "rsa-sha256",
    *,
    dns: TestDNS | None = None,
    directory: str | os.PathLike | None = None,
) -> DKIMKey:
    """A new DKIM key pair, its public key published in ``dns`` (see :func:`.keys.create_dkim_key`)."""
    require_extra()
    return make_dkim_key(domain, selector, algorithm, dns=dns, directory=directory)
