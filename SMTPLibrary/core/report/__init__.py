"""What a message looks like in a test report: the HTML card of the log."""

from .card import frame, render

__all__ = ["frame", "render"]
