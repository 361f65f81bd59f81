"""What a message looks like in a test report (the HTML card of the log) and in a terminal (text)."""

from .card import frame, render
from .text import as_text

__all__ = ["as_text", "frame", "render"]
