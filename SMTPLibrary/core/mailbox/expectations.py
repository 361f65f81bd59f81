"""What a test expects of one message's content, with the failure when it is not there:
its text, its HTML, a header, a link, an attachment. Robot keywords and behave steps both
ask these, so a failure reads the same in both."""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..errors import ContentMismatch, InvalidArgument
from ..mail import Attachment, ReceivedMessage
from ..mail import content_of as of
from ..values import refuse_misnamed
from ..wording import label, quoted_list
from .matching import TextMatcher

# A failure quotes this many links or attachment names and counts the rest.
LISTED_NAMES = 10


def require_text(message: ReceivedMessage) -> str:
    text = of(message).text
    if text is None:
        raise ContentMismatch(f"{label(message)} has no text/plain part{_parts_hint(message)}.")
    return text


def require_html(message: ReceivedMessage) -> str:
    html = of(message).html
    if html is None:
        raise ContentMismatch(f"{label(message)} has no text/html part{_parts_hint(message)}.")
    return html


def require_html_containing(message: ReceivedMessage, text: str) -> str:
    """The HTML of ``message``, which must contain ``text`` literally (in its source); fails showing the HTML."""
    html = require_html(message)
    matcher = TextMatcher("CONTAINS", text, "html")
    if not matcher.matches(html):
        raise ContentMismatch(f"{label(message)} does not match: {matcher.describe_miss('HTML', html)}.")
    return html


def _parts_hint(message: ReceivedMessage) -> str:
    content = of(message)
    kinds = []
    if content.text is not None:
        kinds.append("text/plain")
    if content.html is not None:
        kinds.append("text/html")
    kinds += [attachment.content_type for attachment in content.attachments]
    hint = f"; its parts: {', '.join(kinds)}" if kinds else "; it has no decodable part"
    if content.problems:
        hint += f"; problems: {'; '.join(content.problems)}"
    return hint


def header(message: ReceivedMessage, name: str, all: bool = False) -> str | list[str] | None:
    """The decoded value of header ``name`` (``None`` when absent); with ``all``, the list of every value."""
    refuse_misnamed(name, "name", ("message", "name", "all"))
    if not isinstance(name, str) or not name.strip() or re.search(r"[\s:]", name.strip()):
        raise InvalidArgument(f"Header name must be a name like 'Subject', without spaces or colon, got {name!r}.")
    values = message.headers.get_all(name.strip())
    if all:
        return values
    return values[0] if values else None


def links(message: ReceivedMessage, pattern: str | None = None) -> list[str]:
    """The links of ``message``; with ``pattern``, only those the regular expression finds a match in."""
    found = of(message).links
    if pattern is None:
        return found
    matcher = TextMatcher("REGEXP", pattern, "pattern")
    return [link for link in found if matcher.matches(link)]


def find_link(message: ReceivedMessage, pattern: str) -> str:
    """The first link matching the regular expression ``pattern``; fails naming the links there are."""
    matcher = TextMatcher("REGEXP", pattern, "pattern")
    found = of(message).links
    for link in found:
        if matcher.matches(link):
            return link
    if not found:
        raise ContentMismatch(f"{label(message)} has no link matching {pattern!r}: it has no links.")
    raise ContentMismatch(
        f"{label(message)} has no link matching {pattern!r}. Its links: {quoted_list(found, LISTED_NAMES)}."
    )


def find_attachment(message: ReceivedMessage, filename: str, arguments: Sequence[str] = ()) -> Attachment:
    """The first attachment whose decoded file name is ``filename``; fails naming the ones there are.
    ``arguments``: the names of the caller's arguments, when a misspelled one may have landed in ``filename``."""
    attachments = of(message).attachments
    for attachment in attachments:
        if attachment.filename == filename:
            return attachment
    refuse_misnamed(filename, "filename", arguments)
    names = [attachment.filename for attachment in attachments if attachment.filename]
    if not names:
        raise ContentMismatch(f"{label(message)} has no attachment named {filename!r}: it has no named attachments.")
    raise ContentMismatch(
        f"{label(message)} has no attachment named {filename!r}. Its attachments: {quoted_list(names, LISTED_NAMES)}."
    )
