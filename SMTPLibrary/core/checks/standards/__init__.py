"""Standards and bulk-sender checks: the problems of a message, each with a stable code.

The codes, their severity and the rule each comes from are in :mod:`.codes`
(the keyword reference's table is made from it). The checks read one
``policy.default`` parse of the message, its raw bytes where the parser hides
things (line ends and lengths, 8-bit header bytes), and a compat32 view where
only it tells (RFC 2231 charsets); HTML goes through ``html.parser``. This
package exports the plain values; :mod:`.problems` runs the checks (they need
the ``checks`` extra, for organisational domains).
"""

from .codes import CODES, Code, documentation_table
from .ignoring import ignored_warnings, not_ignored
from .message import Envelope, Problem

__all__ = [
    "CODES",
    "Code",
    "Envelope",
    "Problem",
    "documentation_table",
    "ignored_warnings",
    "not_ignored",
]
