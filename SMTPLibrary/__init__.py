"""SMTPLibrary: a real SMTP server inside the test process, and assertions on what it received.

``Library    SMTPLibrary`` in Robot Framework, ``import SMTPLibrary.bdd.steps``
in behave, ``from SMTPLibrary import SMTPServer`` in Python.
"""

from typing import TYPE_CHECKING, Any

from .core import Criteria, Mailbox, ReceivedMessage, SMTPServer
from .version import __version__

if TYPE_CHECKING:
    from .library import SMTPLibrary

__all__ = ["Criteria", "Mailbox", "ReceivedMessage", "SMTPLibrary", "SMTPServer", "__version__"]


def __getattr__(name: str) -> Any:
    # Robot Framework is imported only when the Robot library itself is asked
    # for, so that pytest and behave users never pay for it.
    if name == "SMTPLibrary":
        from .library import SMTPLibrary

        return SMTPLibrary
    raise AttributeError(f"module 'SMTPLibrary' has no attribute {name!r}")
