"""The SMTP server: its options, the thread and event loop it runs on, the engine that speaks
the protocol (aiosmtpd), TLS and logins, and the faults and transcript of its dialogues."""

from .client import as_source, compose, dial_host, send, send_to
from .faults import (
    SCOPES,
    STAGES,
    THEN,
    Attempt,
    Chaos,
    Faults,
    RateLimit,
    Session,
    Stall,
    Transcript,
    Verdict,
    find_attempts,
)
from .handshakes import certificate_words
from .loop import LOOP_VARIABLE, bind, cannot_listen, event_loop_kind
from .options import DEFAULT_HOST, DEFAULT_SIZE_LIMIT, HIDEABLE, TLS_VERSIONS, ServerOptions
from .server import SMTPCapture
from .stats import Snapshot, Statistics

__all__ = [
    "DEFAULT_HOST",
    "DEFAULT_SIZE_LIMIT",
    "HIDEABLE",
    "LOOP_VARIABLE",
    "SCOPES",
    "STAGES",
    "THEN",
    "TLS_VERSIONS",
    "Attempt",
    "Chaos",
    "Faults",
    "RateLimit",
    "SMTPCapture",
    "ServerOptions",
    "Session",
    "Snapshot",
    "Stall",
    "Statistics",
    "Transcript",
    "Verdict",
    "as_source",
    "bind",
    "cannot_listen",
    "certificate_words",
    "compose",
    "dial_host",
    "event_loop_kind",
    "find_attempts",
    "send",
    "send_to",
]
