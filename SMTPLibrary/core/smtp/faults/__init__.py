"""Misbehaving on purpose, and the record of it: fault rules, what each connection met,
the transcript of the dialogues, the retries a client made, and what it made of the certificate."""

from .certificates import Verdict, verdict, wait_for_rejection
from .dialogue import Dialogue
from .retries import Attempt, find_attempts, wait_for_retries
from .rules import STAGES, Delay, Disconnect, Faults, Reply, Rule, make_reply
from .transcript import Entry, Session, Transcript

__all__ = [
    "STAGES",
    "Attempt",
    "Delay",
    "Dialogue",
    "Disconnect",
    "Entry",
    "Faults",
    "Reply",
    "Rule",
    "Session",
    "Transcript",
    "Verdict",
    "find_attempts",
    "make_reply",
    "verdict",
    "wait_for_rejection",
    "wait_for_retries",
]
