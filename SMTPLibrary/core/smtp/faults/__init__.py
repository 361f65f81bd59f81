"""Misbehaving on purpose, and the record of it: fault rules, what each connection met,
the transcript of the dialogues, and the retries a client made."""

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
    "find_attempts",
    "make_reply",
    "wait_for_retries",
]
