"""A received message: the envelope and the raw bytes, parsed only when asked."""

from __future__ import annotations

import email
import email.errors
import email.headerregistry
import email.parser
import email.policy
import re
from collections import deque
from collections.abc import Iterator, Mapping
from datetime import datetime
from email.message import EmailMessage
from typing import TYPE_CHECKING, Any

from . import content, headerscan
from .decode import clean
from .htmltext import html_to_text

if TYPE_CHECKING:
    from .content import Attachment

# Errors the email package raises on mail it cannot make sense of. The parser
# itself is lenient; these come from accessors (charsets, header values).
DECODE_ERRORS = (
    LookupError,
    UnicodeError,
    ValueError,
    TypeError,
    IndexError,
    AttributeError,
    RecursionError,
    email.errors.MessageError,
)


class Headers(Mapping):
    """Decoded header values, looked up without regard to case.

    ``headers['Subject']`` gives the first value; :meth:`get_all` gives every
    value of a repeated header, in order.
    """

    __slots__ = ("_pairs",)

    def __init__(self, pairs: list[tuple[str, str]]) -> None:
        self._pairs = pairs

    def __getitem__(self, name: str) -> str:
        wanted = name.lower()
        for key, value in self._pairs:
            if key.lower() == wanted:
                return value
        raise KeyError(name)

    def get_all(self, name: str) -> list[str]:
        wanted = name.lower()
        return [value for key, value in self._pairs if key.lower() == wanted]

    def __iter__(self) -> Iterator[str]:
        seen: set[str] = set()
        for key, _ in self._pairs:
            if key.lower() not in seen:
                seen.add(key.lower())
                yield key

    def __len__(self) -> int:
        return len({key.lower() for key, _ in self._pairs})

    def items_all(self) -> list[tuple[str, str]]:
        """Every ``(name, value)`` pair in the order of the message, repeats included."""
        return list(self._pairs)

    def __repr__(self) -> str:
        return f"Headers({self._pairs!r})"


# Two encoded words (RFC 2047) with only white space between them, folds included; the first one
# a word of its own (a phrase begins with it, or white space or a delimiter comes before it).
_ADJACENT_ENCODED_WORDS = re.compile(
    r"(?<![^\s\",:(<])(=\?[^?\s]+\?[qQbB]\?[^?\s]*\?=)[ \t\r\n]+(?==\?[^?\s]+\?[qQbB]\?[^?\s]*\?=)"
)
# RFC 5322 white space: what unfolding leaves around a value. Not str.strip()'s idea of it, which
# would also eat a no-break space that an encoded word put at the end on purpose.
_WSP = " \t\r\n"


def _is_address_header(policy: Any, name: str) -> bool:
    # Unstructured headers (Subject) already drop that white space; only address phrases need it gone.
    factory = getattr(policy, "header_factory", None)
    return factory is not None and issubclass(factory[name], email.headerregistry.AddressHeader)


def _header_value(message: EmailMessage | None, name: str, raw_value: Any) -> str:
    """A header's value as mail readers show it: unfolded, decoded, without white space around it.

    Python's ``email`` leaves the white space of a value that starts on a continuation line
    (``Subject:`` CRLF SP ``=?utf-8?q?...?=``, as Django writes long subjects; CPython
    gh-124452, fixed in 3.12.8 and 3.13.1 only) and puts a space between adjacent encoded
    words in address headers (``Söhne Gmb H``: gh-128110). RFC 2047 6.2 says the white space
    between adjacent encoded words is not part of the text: in address headers it is removed
    before parsing (unstructured ones, such as Subject, are decoded that way already)."""
    policy = email.policy.default if message is None else message.policy
    if isinstance(raw_value, str) and "=?" in raw_value and _is_address_header(policy, name):
        raw_value = _ADJACENT_ENCODED_WORDS.sub(r"\1", raw_value)
    try:
        value = str(policy.header_fetch_parse(name, raw_value))
    except DECODE_ERRORS:
        value = str(raw_value)
    return clean(value).strip(_WSP)


PARSED_KEPT = 64
_recently_parsed: deque[ReceivedMessage] = deque()


class ReceivedMessage:
    """One message as the server received it.

    ``raw`` holds the bytes exactly as sent (after SMTP dot-unstuffing): nothing
    is decoded or added at store time. Everything else is derived from it
    on first access and cached.
    """

    __slots__ = (
        "__weakref__",
        "_parsed",
        "_subject",
        "authenticated_as",
        "helo",
        "mail_options",
        "peer",
        "raw",
        "rcpt_options",
        "recipients",
        "sender",
        "seq",
        "timestamp",
        "tls",
    )

    def __init__(
        self,
        raw: bytes,
        sender: str,
        recipients: list[str],
        *,
        peer: Any = None,
        helo: str | None = None,
        mail_options: list[str] | None = None,
        rcpt_options: list[str] | None = None,
        authenticated_as: str | None = None,
        tls: dict | None = None,
        timestamp: float = 0.0,
    ) -> None:
        self.raw = raw
        self.sender = sender
        self.recipients = recipients
        self.peer = peer
        self.helo = helo
        self.mail_options = mail_options or []
        self.rcpt_options = rcpt_options or []
        self.authenticated_as = authenticated_as
        self.tls = tls
        self.timestamp = timestamp
        self.seq = 0
        self._parsed: EmailMessage | None = None
        # The subject index: a plain Subject (most are) is read off the raw header
        # block when the message is stored, a scan of a few microseconds that spares
        # every later search by subject; an encoded one is decoded on first use.
        self._subject: str | None = headerscan.plain_value(headerscan.raw_header(raw, b"subject"))

    # -- parsed views -------------------------------------------------------

    @property
    def message(self) -> EmailMessage:
        """The parsed :class:`email.message.EmailMessage` (``email.policy.default``).

        Parsed on first use; only the :data:`PARSED_KEPT` most recently parsed
        messages keep their parse, so that a search through the bodies of
        thousands of messages does not leave them all parsed (several times
        their size in memory)."""
        parsed = self._parsed
        if parsed is None:
            try:
                parsed = email.message_from_bytes(self.raw, policy=email.policy.default)
            except DECODE_ERRORS as error:
                # Only pathological mail gets here (parts nested ~1,000 deep exhaust
                # the recursion limit). Keep the headers; the body stays unparsed text.
                parsed = email.parser.BytesHeaderParser(policy=email.policy.default).parsebytes(self.raw)
                parsed.defects.append(email.errors.MessageDefect(f"body not parsed: {type(error).__name__}: {error}"))
            self._parsed = parsed
            _recently_parsed.append(self)
            if len(_recently_parsed) > PARSED_KEPT:
                _recently_parsed.popleft()._parsed = None
        return parsed

    @property
    def subject(self) -> str:
        """The decoded Subject header, ``''`` when there is none."""
        subject = self._subject
        if subject is None:
            raw = headerscan.raw_header(self.raw, b"subject")
            # A plain subject (most are) needs no decoding; a header block the scan
            # cannot vouch for is parsed.
            subject = headerscan.plain_value(raw)
            if subject is None and raw is headerscan.UNKNOWN:
                subject = self.headers.get("Subject", "")
            elif subject is None:
                subject = _header_value(None, "Subject", headerscan.source_value(raw))
            self._subject = subject
        return subject

    @property
    def headers(self) -> Headers:
        message = self.message
        return Headers([(name, _header_value(message, name, value)) for name, value in message.raw_items()])

    @property
    def text(self) -> str | None:
        """The decoded plain-text body, ``None`` when the message has no text/plain part."""
        return content.of(self).text

    @property
    def html(self) -> str | None:
        """The decoded HTML body, ``None`` when the message has no text/html part."""
        return content.of(self).html

    @property
    def attachments(self) -> list[Attachment]:
        """Every part that is not the text or HTML body: files, inline images, enclosed messages."""
        return list(content.of(self).attachments)

    @property
    def links(self) -> list[str]:
        """URLs of the text and ``href`` of the HTML, in document order, each once."""
        return content.of(self).links

    @property
    def body(self) -> str:
        """The text used by the ``body`` criterion: the plain part, else the HTML part's text."""
        text = self.text
        if text is not None:
            return text
        html = self.html
        return "" if html is None else html_to_text(html)

    @property
    def source(self) -> str:
        """The whole message as text, line endings normalised to ``\\n`` (the ``pattern`` criterion)."""
        return self.raw.decode("utf-8", "replace").replace("\r\n", "\n")

    @property
    def received_at(self) -> datetime:
        """When the message was stored, as a local, timezone-aware datetime."""
        return datetime.fromtimestamp(self.timestamp).astimezone()

    @property
    def size(self) -> int:
        return len(self.raw)

    def as_dict(self) -> dict[str, Any]:
        """``{'peer', 'mail_from', 'rcpt_tos', 'data'}``, the shape the old ``smtpd``-based mock servers gave.

        ``data`` is text, as those servers gave it: the message decoded as UTF-8
        (undecodable bytes replaced) with ``\n`` line ends. :attr:`raw` has the exact bytes.
        """
        return {"peer": self.peer, "mail_from": self.sender, "rcpt_tos": list(self.recipients), "data": self.source}

    # -- presentation -------------------------------------------------------

    def envelope_header(self) -> str:
        """The envelope as ``X-Peer``, ``X-MailFrom`` and ``X-RcptTo`` header lines, the way
        aiosmtpd's ``Message`` handler adds it: in ``str(message)`` and in the disk copies."""
        # The null reverse path (a bounce) is written as SMTP writes it.
        return f"X-Peer: {self.peer}\nX-MailFrom: {self.sender or '<>'}\nX-RcptTo: {', '.join(self.recipients)}\n"

    def __str__(self) -> str:
        """The message as text with its :meth:`envelope_header` added."""
        added = self.envelope_header()
        source = self.source
        if source.startswith("\n"):
            return added + source
        head, separator, body = source.partition("\n\n")
        if not separator:
            return head.rstrip("\n") + "\n" + added
        return head + "\n" + added + "\n" + body

    def __repr__(self) -> str:
        return f"<ReceivedMessage #{self.seq} from {self.sender!r} to {self.recipients!r} subject {self.subject!r}>"
