"""What a failed TLS handshake says, read off the error the server met: the alert the client sent.

A client that does not trust the server's certificate ends the handshake with
an alert (RFC 8446 6.2): OpenSSL reports the alert it received as the
``SSLError``'s ``reason``, ``TLSV1_ALERT_UNKNOWN_CA`` for ``unknown_ca``.
Measured with smtplib, curl and swaks against a server presenting an
untrusted, expired or wrong-host certificate: ``unknown ca``, ``certificate
expired``, ``bad certificate``. Engine-free: an engine hands the error over.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_ALERT = re.compile(r"^(?:SSLV3|TLSV1|TLSV13)_ALERT_([A-Z_]+)$")
# The alerts by which a client refuses the server's certificate (RFC 8446 6.2, RFC 5246 7.2.2).
CERTIFICATE_ALERTS = frozenset(
    {
        "bad certificate",
        "unsupported certificate",
        "certificate revoked",
        "certificate expired",
        "certificate unknown",
        "unknown ca",
        "bad certificate status response",
    }
)


@dataclass(frozen=True)
class HandshakeFailure:
    """``alert``: what the client said, in words (``unknown ca``), ``None`` when it sent no alert;
    ``error``: the failure as the server met it."""

    alert: str | None
    error: str

    @property
    def certificate_refused(self) -> bool:
        return self.alert in CERTIFICATE_ALERTS

    def __str__(self) -> str:
        if self.alert is not None:
            return f"the client ended the TLS handshake with the alert '{self.alert}'"
        return f"the TLS handshake failed: {self.error}"


def read_failure(error: BaseException) -> HandshakeFailure:
    """The alert in ``error`` (an ``SSLError``, or the error that stood for it), if any."""
    reason = getattr(error, "reason", None)
    found = _ALERT.match(reason) if isinstance(reason, str) else None
    alert = found.group(1).replace("_", " ").lower() if found else None
    text = reason if isinstance(reason, str) and reason else (str(error) or type(error).__name__)
    return HandshakeFailure(alert, text)


def certificate_words(certificate: str) -> str:
    """How a failure names what the server presented, for ``certificate=`` of ``Start SMTP Server``."""
    return {
        "trusted": "the trusted test certificate",
        "untrusted": "the untrusted certificate",
        "wrong_host": "the certificate for another host",
        "expired": "the expired certificate",
    }.get(certificate, f"the certificate {certificate}")
