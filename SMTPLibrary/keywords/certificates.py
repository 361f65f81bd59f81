"""The keyword that tells whether the application under test checks the server's certificate."""

from __future__ import annotations

from datetime import timedelta

from robot.api import logger
from robot.api.deco import keyword

from .context import LibraryContext


class CertificateKeywords(LibraryContext):
    @keyword("SMTP Client Should Have Rejected Certificate")
    def smtp_client_should_have_rejected_certificate(self, timeout: timedelta | None = None) -> None:
        """Waits until a client rejected the current server's certificate, and fails at once if one accepted it.

        Start the server with ``certificate=untrusted``, ``wrong_host`` or ``expired``
        (see `Certificate checks`): an application that checks the certificate
        refuses it, and sends nothing. A client rejected it when it ended the TLS
        handshake with an alert (``unknown ca``, ``bad certificate``,
        ``certificate expired``...), or completed the handshake and closed the
        connection without a command, as curl does for a certificate of another
        host. A client that sends anything over TLS accepted the certificate: a
        security bug in the application; the failure says what it sent. Waits up
        to ``timeout`` (the library's default when not given); the failure then
        names what each session did. The transcript is logged on failure.
        A client that gives up TLS and sends over a plain connection instead
        rejected the certificate all the same: `Message Should Not Be Received Matching`
        with ``tls=no`` tells whether it did.

        | Start SMTP Server | tls=starttls | certificate=untrusted |
        | Run Keyword And Expect Error | STARTS:SSLCertVerificationError | Send The Newsletter |
        | SMTP Client Should Have Rejected Certificate |
        | Message Count Should Be | 0 |
        """
        server = self.server()
        try:
            verdict = server.wait_for_certificate_rejection(self.seconds(timeout))
        except AssertionError:
            self.log_sessions(server.transcript.sessions())
            raise
        logger.info(f"The client rejected the certificate: {verdict}.")
