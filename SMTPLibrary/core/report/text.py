"""A message as text for a terminal: what ``smtplibrary serve --verbose`` prints.

The same facts as the card of a log (envelope, TLS and login, the headers a
reader shows, the decoded text, links, attachments, problems), decoded, one
line each. Control characters from the mail are replaced: a hostile subject
must not drive the terminal it is printed on.
"""

from __future__ import annotations

import re

from ..mail import ReceivedMessage, content_of
from ..wording import plural
from .card import SHOWN_HEADERS, attachment_row, envelope_rows

# C0 and C1 control characters but tab and line feed, and DEL: ESC above all.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def as_text(message: ReceivedMessage) -> str:
    """``message`` decoded, for a terminal, between ``--- message N ---`` and ``--- end of message N ---``."""
    content = content_of(message)
    lines = [f"--- message {message.seq} ---"]
    lines += [f"{label}: {value}" for label, value in envelope_rows(message)]
    lines += [f"{name}: {value}" for name, value in message.headers.items_all() if name.lower() in SHOWN_HEADERS]
    if content.text is not None:
        lines += ["Text:", *_indented(content.text)]
    if content.html is not None:
        if content.text is None:
            lines += ["Text of the HTML part:", *_indented(message.body)]
        lines.append(f"HTML part: {plural(len(content.html), 'character', spec=',')}")
    if content.links:
        lines += ["Links:", *(f"  {number}) {link}" for number, link in enumerate(content.links, 1))]
    if content.attachments:
        rows = [", ".join(cell for cell in attachment_row(attachment) if cell) for attachment in content.attachments]
        lines += ["Attachments:", *(f"  {row}" for row in rows)]
    problems = content.all_problems()
    if problems:
        lines += ["Problems:", *(f"  {problem}" for problem in problems)]
    lines.append(f"--- end of message {message.seq} ---")
    return _CONTROL.sub("\ufffd", "\n".join(lines))


def _indented(text: str) -> list[str]:
    return [f"  {line}" if line else "" for line in text.rstrip("\n").split("\n")]
