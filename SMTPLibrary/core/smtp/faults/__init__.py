"""Misbehaving on purpose, and the record of it: fault rules, rate limits, chaos and stalls,
what each connection met, the transcript of the dialogues, the retries a client made, and what
it made of the certificate."""

from .certificates import Verdict, verdict, wait_for_rejection
from .chaos import Chaos
from .dialogue import Connection, Dialogue
from .ratelimit import SCOPES, RateLimit
from .retries import Attempt, find_attempts, wait_for_retries
from .rules import STAGES, Delay, Disconnect, Faults, Reply, Rule, make_reply
from .stall import THEN, Stall
from .transcript import Entry, Session, Transcript

__all__ = [
    "SCOPES",
    "STAGES",
    "THEN",
    "Attempt",
    "Chaos",
    "Connection",
    "Delay",
    "Dialogue",
    "Disconnect",
    "Entry",
    "Faults",
    "RateLimit",
    "Reply",
    "Rule",
    "Session",
    "Stall",
    "Transcript",
    "Verdict",
    "find_attempts",
    "make_reply",
    "verdict",
    "wait_for_rejection",
    "wait_for_retries",
]
