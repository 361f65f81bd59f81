"""aiosmtpd's log (the ``mail.log`` logger): quiet unless asked, and without credentials.

aiosmtpd logs every command at INFO, and each odd command a test sends on
purpose at WARNING. Test runners that capture logging (behave, pytest) would
print all of it with each failure, and Python prints warnings to stderr when
logging is not configured: the level is ERROR unless the user set one.
Errors in the server thread are reported by the next keyword instead.

aiosmtpd masks the initial response of an ``AUTH`` command line itself, but
at DEBUG level it logs the client's answers to AUTH challenges that are not
base64 (a client that sends its password raw), and answers in general when
asked to. Whoever turns ``mail.log`` up to look at a session must not find a
password there: every value those records carry, but the peer, is masked.
"""

from __future__ import annotations

import logging

from ..faults.transcript import MASK

LOGGER = "mail.log"
# The aiosmtpd function that reads the answers to AUTH challenges.
_CHALLENGE_READER = "challenge_auth"


class CredentialFilter(logging.Filter):
    """Masks what aiosmtpd logs of the answers to AUTH challenges (the peer stays)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.funcName == _CHALLENGE_READER and isinstance(record.args, tuple) and len(record.args) > 1:
            record.args = (record.args[0], *(MASK for _ in record.args[1:]))
        return True


def install(logger: logging.Logger) -> None:
    """Add the filter to ``logger`` once."""
    if not any(isinstance(existing, CredentialFilter) for existing in logger.filters):
        logger.addFilter(CredentialFilter())


def quiet() -> None:
    """Set aiosmtpd's logger to ERROR unless its level was set, and mask credentials in it."""
    logger = logging.getLogger(LOGGER)
    if logger.level == logging.NOTSET:
        logger.setLevel(logging.ERROR)
    install(logger)
