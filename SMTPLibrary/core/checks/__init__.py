"""Is this mail right? Checks of a received message that need no network.

* Authentication: DKIM (RFC 6376, every signature), SPF (RFC 7208), DMARC
  (RFC 7489) and ARC (RFC 8617), with results in RFC 8601's words and the
  Authentication-Results field a receiver would add. Every record comes from
  a :class:`TestDNS` the test fills; no lookup ever reaches a resolver.
* Standards and bulk-sender rules: :func:`problems`, each with a stable code
  (:data:`CODES`), a severity, where it is and what it is.
* :func:`create_dkim_key`: a key pair for the application under test to sign with,
  its public key published in a :class:`TestDNS`.

Reads a :class:`~SMTPLibrary.core.mail.ReceivedMessage` and nothing else.
Importing this package needs none of the check libraries (the ``checks``
extra): each check makes sure they are installed when it runs.
"""

from .authentication import METHODS, Authentication, expected_results, passing
from .extra import INSTALL, require_extra
from .keys import ALGORITHMS, DKIMKey
from .results import RESULT_WORDS, ARCResult, ARCSet, DKIMResult, DMARCResult, SPFResult
from .run import (
    authenticate,
    check_authentication,
    check_well_formed,
    create_dkim_key,
    problems,
    require_authentication,
    require_well_formed,
)
from .standards import CODES, Code, Problem, documentation_table, ignored_warnings
from .zone import RECORD_TYPES, NameNotFound, Record, TestDNS

__all__ = [
    "ALGORITHMS",
    "CODES",
    "INSTALL",
    "METHODS",
    "RECORD_TYPES",
    "RESULT_WORDS",
    "ARCResult",
    "ARCSet",
    "Authentication",
    "Code",
    "DKIMKey",
    "DKIMResult",
    "DMARCResult",
    "NameNotFound",
    "Problem",
    "Record",
    "SPFResult",
    "TestDNS",
    "authenticate",
    "check_authentication",
    "check_well_formed",
    "create_dkim_key",
    "documentation_table",
    "expected_results",
    "ignored_warnings",
    "passing",
    "problems",
    "require_authentication",
    "require_extra",
    "require_well_formed",
]
