"""Did the client refuse the server's certificate? Read from the transcript: what ``SMTP Client Should
Have Rejected Certificate`` waits for.

A session with a TLS handshake is, for the certificate:

* ``rejected``: the client ended the handshake with an alert refusing the certificate
  (``unknown ca``, ``bad certificate``, ``certificate expired``...), or completed the
  handshake and closed the connection without a command (curl does that when the
  certificate names another host: it checks the name once the handshake is over);
* ``accepted``: the client sent a command over TLS: it went on as if the certificate were good;
* ``failed``: the handshake failed otherwise (no alert, or one about something else);
* ``pending``: the handshake completed and the client has said nothing yet.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ...errors import CertificateNotRejected
from ...wording import format_duration, plural
from ..handshakes import CERTIFICATE_ALERTS
from .transcript import Session, Transcript

REJECTED, ACCEPTED, FAILED, PENDING = "rejected", "accepted", "failed", "pending"
LISTED_SESSIONS = 10


@dataclass(frozen=True)
class Verdict:
    """What one session's client made of the certificate, and the words for it."""

    session: Session
    outcome: str
    text: str

    def __str__(self) -> str:
        return f"session {self.session.number} from {self.session.address}: {self.text}"


def verdict(session: Session) -> Verdict | None:
    """What the client of ``session`` made of the certificate; ``None`` when it attempted no TLS."""
    if session.tls == "failed":
        if session.tls_alert in CERTIFICATE_ALERTS:
            return Verdict(
                session, REJECTED, f"the client rejected the certificate with the alert '{session.tls_alert}'"
            )
        if session.tls_alert is not None:
            return Verdict(session, FAILED, f"the TLS handshake failed with the alert '{session.tls_alert}'")
        return Verdict(session, FAILED, f"the TLS handshake failed without an alert: {session.tls_error}")
    if session.tls != "completed":
        return None
    if session.commands_after_tls:
        went_on = f"after the TLS handshake it sent {session.first_command_after_tls}"
        if session.messages_after_tls:
            went_on += f", and {plural(session.messages_after_tls, 'message')}"
        return Verdict(session, ACCEPTED, went_on)
    if session.ended is not None:
        text = "the client completed the TLS handshake, then closed the connection without a command"
        return Verdict(session, REJECTED, text)
    return Verdict(session, PENDING, "the TLS handshake completed; the client has sent nothing since")


def wait_for_rejection(transcript: Transcript, timeout: float, certificate: str, server: str) -> Verdict:
    """Wait until a client rejected the certificate (see :func:`verdict`); fail at once when one
    accepted it, and after ``timeout`` seconds when none rejected it. ``certificate`` names what the
    server presents and ``server`` the server, in the failure. Returns the rejection."""

    def decided(sessions: list[Session]) -> Verdict | None:
        verdicts = [found for found in map(verdict, sessions) if found is not None]
        accepted = [found for found in verdicts if found.outcome == ACCEPTED]
        if accepted:
            raise CertificateNotRejected(_accepted(accepted, certificate, server))
        return next((found for found in verdicts if found.outcome == REJECTED), None)

    found = transcript.wait(decided, timeout).result
    if found is None:
        raise CertificateNotRejected(_none_rejected(transcript.sessions(), certificate, server, timeout))
    return found


def _accepted(accepted: Sequence[Verdict], certificate: str, server: str) -> str:
    sent_mail = any(found.session.messages_after_tls for found in accepted)
    what = "sent a message" if sent_mail else "went on with the session"
    lines = [str(found) for found in accepted[:LISTED_SESSIONS]]
    return "\n".join(
        [
            f"The client accepted {certificate} of the SMTP server on {server} and {what}: a security bug "
            "in the application under test, which does not check whom it talks to.",
            *lines,
        ]
    )


def _none_rejected(sessions: Sequence[Session], certificate: str, server: str, waited: float) -> str:
    head = f"No client rejected {certificate} of the SMTP server on {server} in {format_duration(waited)}"
    if not sessions:
        return f"{head}: no client connected."
    lines = []
    for session in sessions[-LISTED_SESSIONS:]:
        found = verdict(session)
        lines.append(
            str(found) if found is not None else f"session {session.number} from {session.address}: {_plain(session)}"
        )
    return "\n".join([f"{head}. {plural(len(sessions), 'session')}:", *lines])


def _plain(session: Session) -> str:
    commands = session.commands
    if not commands:
        return "no TLS; the client sent no command"
    shown = ", ".join(commands[:3]) + (", ..." if len(commands) > 3 else "")
    return f"no TLS handshake; the client sent {shown}"
