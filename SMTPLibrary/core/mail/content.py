"""What a message says: its text and HTML as a mail reader shows them, its
attachments, its links, and what could not be decoded.

The MIME tree is read the way mail readers read it: in ``multipart/alternative``
the richest alternative of the wanted kind, in ``multipart/related`` the root
part, in ``multipart/mixed`` every part in order (a mailing list footer is part
of the text), ``message/*`` parts never entered (a bounced message is an
attachment, not the bounce's text). Every other leaf part is an attachment.
Nothing here raises on malformed mail: what cannot be decoded is kept as the
raw bytes and listed in :attr:`MessageContent.problems`.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable, Iterator
from email.message import EmailMessage
from pathlib import Path
from typing import TYPE_CHECKING

from ..wording import plural
from . import decode
from .decode import Problem
from .files import save_into
from .links import html_links, text_links

if TYPE_CHECKING:
    from .message import ReceivedMessage

# Makes the message enclosed in a message/rfc822 part: the class of the message that holds it.
Enclose = Callable[[bytes], "ReceivedMessage"]

_STRUCTURE_DEFECTS = {
    "NoBoundaryInMultipartDefect": "multipart without a boundary: its body is kept as the raw bytes",
    "StartBoundaryNotFoundDefect": "the multipart boundary never appears: the body is kept as the raw bytes",
    "CloseBoundaryNotFoundDefect": "the closing multipart boundary is missing (truncated message?)",
    "MissingHeaderBodySeparatorDefect": "a header line is malformed: the rest was read as the body",
    "MultipartConversionError": "a multipart could not be read",
}


class Attachment:
    """A part of a message that is not its text or HTML body: a file, an inline image, a forwarded message.

    ``filename`` is decoded (RFC 2047 and RFC 2231) exactly as the mail gives
    it, ``None`` when it gives none: use :func:`files.safe_filename` before
    writing it anywhere. ``content`` is the decoded bytes, or the raw bytes
    when they could not be decoded (then ``decoded`` is false and
    ``problems`` says why).
    """

    __slots__ = (
        "_data",
        "_enclose",
        "_part",
        "_problems",
        "content_id",
        "content_type",
        "filename",
        "inline",
        "location",
    )

    def __init__(self, part: EmailMessage, location: str, inline: bool, enclose: Enclose) -> None:
        self._part = part
        self._enclose = enclose
        self._data: bytes | None = None
        self._problems: list[Problem] = []
        self.location = location
        self.content_type = part.get_content_type()
        self.filename = _filename(part)
        self.inline = inline
        content_id = part.get("Content-ID")
        self.content_id = decode.clean(str(content_id)).strip().strip("<>") or None if content_id else None

    @property
    def content(self) -> bytes:
        """The decoded bytes (for ``message/*`` parts: the enclosed message or report as it was sent)."""
        if self._data is None:
            if self._part.get_content_maintype() == "message" or self._part.is_multipart():
                self._data = _enclosed_bytes(self._part)
            else:
                self._data, self._problems = decode.payload_bytes(self._part)
        return self._data

    @property
    def size(self) -> int:
        """The size of :attr:`content`, in bytes."""
        return len(self.content)

    @property
    def problems(self) -> list[Problem]:
        """What went wrong decoding this part; empty when nothing did."""
        self.content  # noqa: B018 - decoding is what finds the problems
        return list(self._problems)

    @property
    def decoded(self) -> bool:
        """False when :attr:`content` holds the raw bytes because they could not be decoded."""
        return not any(problem.kept_raw for problem in self.problems)

    @property
    def text(self) -> str | None:
        """The content decoded as text, for ``text/*`` attachments (``None`` for others)."""
        if self._part.get_content_maintype() != "text":
            return None
        return decode.part_text(self._part)

    @property
    def message(self) -> ReceivedMessage | None:
        """The enclosed message of a ``message/rfc822`` attachment (a bounce, a forward), else ``None``.

        It has no envelope; every keyword that takes a message takes it."""
        if self.content_type not in ("message/rfc822", "message/global"):
            return None
        return self._enclose(self.content)

    def save(self, directory: str | Path) -> Path:
        """Write :attr:`content` into ``directory`` under a safe version of :attr:`filename`; returns the path."""
        return save_into(Path(directory), self.filename or "attachment", self.content)

    def __repr__(self) -> str:
        inline = " inline" if self.inline else ""
        return f"<Attachment {self.filename!r} {self.content_type}{inline} {plural(self.size, 'byte')}>"


class MessageContent:
    """The text, HTML, attachments, links and problems of one parsed message."""

    def __init__(self, parsed: EmailMessage, enclose: Enclose) -> None:
        self.problems: list[str] = []
        tree = _Tree()
        plain = tree.displayed(parsed, "plain")
        html = tree.displayed(parsed, "html")[:1]
        self.text = self._join(plain, tree) if plain else None
        self.html = self._join(html, tree) if html else None
        body = {id(part) for part in plain + html}
        self.attachments: list[Attachment] = []
        for part, location, parent in tree.leaves(parsed, "", "", self.problems):
            kind = tree.kind(part)
            if id(part) in body or kind[0] == "multipart":
                continue  # an unparsed multipart is a problem already noted; its bytes are in the source
            if parent == "alternative" and kind[0] == "text" and kind[1] != "calendar":
                continue  # another rendering of the body (text/watch-html, a second HTML): not a file
            self.attachments.append(Attachment(part, location, _inline(part, parent == "related"), enclose))
        self._links: list[str] | None = None

    def _join(self, parts: list[EmailMessage], tree: _Tree) -> str:
        joined = ""
        for part in parts:
            text, problems = decode.part_text_and_problems(part)
            self.problems += [f"{'/'.join(tree.kind(part))} body: {problem}" for problem in problems]
            joined += "\n" + text if joined and not joined.endswith("\n") else text
        return joined

    @property
    def links(self) -> list[str]:
        """URLs in the text, then the ``href`` of links in the HTML, in document order, each once."""
        if self._links is None:
            found = text_links(self.text or "") + html_links(self.html or "")
            self._links = list(dict.fromkeys(found))
        return list(self._links)

    def all_problems(self) -> list[str]:
        """Problems of the body and of every attachment (those are found when the attachment is decoded)."""
        problems = list(self.problems)
        for attachment in self.attachments:
            name = f" {attachment.filename!r}" if attachment.filename else ""
            problems += [
                f"attachment{name} ({attachment.content_type}, part {attachment.location}): {problem}"
                for problem in attachment.problems
            ]
        return problems


# -- reading the MIME tree ---------------------------------------------------------


class _Tree:
    """Walks a MIME tree. Each part's headers are parsed once: the email package parses
    Content-Type again on every question asked about it, most of the time of a walk."""

    def __init__(self) -> None:
        self._kinds: dict[int, tuple[str, str]] = {}
        self._attachments: dict[int, bool] = {}

    def kind(self, part: EmailMessage) -> tuple[str, str]:
        """``(maintype, subtype)``."""
        kind = self._kinds.get(id(part))
        if kind is None:
            maintype, _, subtype = part.get_content_type().partition("/")
            kind = self._kinds[id(part)] = (maintype, subtype)
        return kind

    def is_attachment(self, part: EmailMessage) -> bool:
        flag = self._attachments.get(id(part))
        if flag is None:
            try:
                flag = part.get_content_disposition() == "attachment" or part.get_filename() is not None
            except Exception:  # noqa: BLE001 - an unreadable disposition: treat the part as a file
                flag = True
            self._attachments[id(part)] = flag
        return flag

    def subparts(self, part: EmailMessage) -> list[EmailMessage]:
        if self.kind(part)[0] != "multipart" or not part.is_multipart():
            return []
        payload = part.get_payload()
        return [sub for sub in payload if isinstance(sub, EmailMessage)] if isinstance(payload, list) else []

    def displayed(self, part: EmailMessage, subtype: str) -> list[EmailMessage]:
        """The ``text/<subtype>`` parts a mail reader shows as the body, in order."""
        if self.kind(part)[0] == "message" or self.is_attachment(part):
            return []
        subparts = self.subparts(part)
        if not subparts:
            return [part] if self.kind(part) == ("text", subtype) else []
        kind = self.kind(part)[1]
        if kind == "alternative":
            for alternative in reversed(subparts):  # the last alternative is the preferred one
                found = self.displayed(alternative, subtype)
                if found:
                    return found
            return []
        if kind == "related":
            return self.displayed(_related_root(part, subparts), subtype)
        if kind in ("signed", "encrypted"):
            return self.displayed(subparts[0], subtype)
        return [found for sub in subparts for found in self.displayed(sub, subtype)]

    def leaves(
        self, part: EmailMessage, location: str, parent: str, problems: list[str]
    ) -> Iterator[tuple[EmailMessage, str, str]]:
        """Every leaf part with its position as IMAP numbers it (``2.1``) and the subtype of the
        multipart holding it; structural defects the parser met on the way are added to ``problems``."""
        for defect in part.defects:
            why = _STRUCTURE_DEFECTS.get(type(defect).__name__)
            if why:
                where = f"part {location}" if location else "message"
                problems.append(f"{where} ({'/'.join(self.kind(part))}): {why}")
        subparts = self.subparts(part)
        if not subparts:
            yield part, location or "1", parent
            return
        for number, sub in enumerate(subparts, 1):
            yield from self.leaves(
                sub, f"{location}.{number}" if location else str(number), self.kind(part)[1], problems
            )


def _related_root(part: EmailMessage, subparts: list[EmailMessage]) -> EmailMessage:
    start = part.get_param("start")
    if isinstance(start, str):
        for sub in subparts:
            if str(sub.get("Content-ID", "")).strip() == start.strip():
                return sub
    return subparts[0]


def _inline(part: EmailMessage, in_related: bool) -> bool:
    try:
        disposition = part.get_content_disposition()
    except Exception:  # noqa: BLE001
        return False
    if disposition is not None:
        return disposition == "inline"
    return in_related and part.get("Content-ID") is not None


def _filename(part: EmailMessage) -> str | None:
    try:
        name = part.get_filename()
    except Exception:  # noqa: BLE001 - a broken parameter is no name
        return None
    if name is None:
        return None
    return decode.clean(str(name)) or None


def _enclosed_bytes(part: EmailMessage) -> bytes:
    """The body of a ``message/*`` part, regenerated from what the parser read, CRLF line ends."""
    try:
        whole = part.as_bytes(policy=part.policy.clone(linesep="\r\n", refold_source="none"))
    except Exception:  # noqa: BLE001
        payload = part.get_payload()
        return payload.encode("utf-8", "surrogateescape") if isinstance(payload, str) else b""
    if whole.startswith(b"\r\n"):
        return whole[2:]
    return whole.partition(b"\r\n\r\n")[2]


# -- per message, cached ----------------------------------------------------------------

_cache: weakref.WeakKeyDictionary[EmailMessage, MessageContent] = weakref.WeakKeyDictionary()
_cache_lock = threading.Lock()


def of(message: ReceivedMessage) -> MessageContent:
    """The content of ``message``, analysed once per parsed message."""
    parsed = message.message
    with _cache_lock:
        content = _cache.get(parsed)
    if content is None:
        # An enclosed message (a bounce's original, say) is made like the one that holds it.
        content = MessageContent(parsed, lambda raw: type(message)(raw, "", []))
        with _cache_lock:
            content = _cache.setdefault(parsed, content)
    return content
