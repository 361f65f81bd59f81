"""Keywords that read what a message says: text, HTML, headers, links, attachments, and save it."""

from __future__ import annotations

from pathlib import Path

from robot.api import logger
from robot.api.deco import keyword

from ..core import Attachment, InvalidArgument, ReceivedMessage, mailbox
from ..core.mail import content_of, is_message_fields, message_from_fields, save_message
from ..core.values import refuse_misnamed
from ..core.wording import plural, shorten
from .context import LibraryContext


def as_message(value: object, arguments: tuple[str, ...] = ("message",)) -> ReceivedMessage:
    """A message from what a keyword was given: a message, the dictionary a remote keyword
    returns for one, a list of exactly one (what `Get Messages` returns), or the bytes of a
    message (read from an ``.eml``). ``arguments``: the keyword's, named when a misspelled one
    (``mesage=${msg}``, which Robot hands over as a string) landed in ``message``."""
    refuse_misnamed(value, "message", arguments)
    if isinstance(value, ReceivedMessage):
        return value
    if is_message_fields(value):
        return message_from_fields(value)
    if isinstance(value, (bytes, bytearray)):
        return ReceivedMessage(bytes(value), "", [])
    if isinstance(value, (list, tuple)):
        if len(value) == 1 and _is_message(value[0]):
            return as_message(value[0])
        if not value:
            raise InvalidArgument("Argument message must be one message, got an empty list: no message was found.")
        if all(_is_message(item) for item in value):
            raise InvalidArgument(
                f"Argument message must be one message, got a list of {len(value)}: "
                "pick one, for example ${messages}[0]."
            )
    raise InvalidArgument(
        "Argument message must be a message (as returned by Message Should Be Received Matching "
        f"or Get Messages) or the bytes of one, got {type(value).__name__} {shorten(repr(value))}."
    )


def _is_message(value: object) -> bool:
    return isinstance(value, ReceivedMessage) or is_message_fields(value)


class ContentKeywords(LibraryContext):
    @keyword("Get Message Text")
    def get_message_text(self, message: ReceivedMessage) -> str:
        """Returns the decoded plain-text body of ``message``; fails when it has none.

        ``message`` is a message returned by `Message Should Be Received Matching`,
        a list of one message as `Get Messages` returns, or the bytes of a
        message; through the Remote library, the dictionary a keyword returned
        for a message (see `Parallel and remote runs`). So is it for every
        keyword that takes a ``message``. The text is decoded as described in `Message content`: several
        inline text parts (a mailing list footer, say) are joined in order;
        line ends are ``\\n``. The failure names the parts the message does have.

        | Register User   | alice@example.com |
        | ${msg} =        | Message Should Be Received Matching | subject=Welcome |
        | ${text} =       | Get Message Text | ${msg} |
        | Should Contain  | ${text} | Hello Alice |
        """
        return mailbox.require_text(as_message(message))

    @keyword("Get Message HTML")
    def get_message_html(self, message: ReceivedMessage) -> str:
        """Returns the decoded HTML body of ``message``, as source; fails when it has none.

        In a ``multipart/related`` message (HTML with inline images) this is the
        HTML document; its images are among the `Get Attachments` with
        ``inline`` true.

        | ${html} =       | Get Message HTML | ${msg} |
        | Should Contain  | ${html} | <a href="https://example.com/orders/42 |
        """
        return mailbox.require_html(as_message(message))

    @keyword("Get Message Header")
    def get_message_header(self, message: ReceivedMessage, name: str, all: bool = False) -> str | list[str] | None:
        """Returns the decoded value of header ``name`` of ``message``, ``None`` when it is absent.

        ``name`` is matched without regard to case. Encoded words (RFC 2047) are
        decoded in every header, whatever their charset. With ``all=True``,
        returns the list of every value of a repeated header (such as
        ``Received``), in message order, empty when it is absent.

        | ${from} =        | Get Message Header | ${msg} | From |
        | Should Be Equal  | ${from} | Bücherladen Müller <shop@example.com> |
        | ${received} =    | Get Message Header | ${msg} | Received | all=True |
        """
        return mailbox.header(as_message(message, ("message", "name", "all")), name, all)

    @keyword("Get Links From Message")
    def get_links_from_message(self, message: ReceivedMessage, pattern: str | None = None) -> list[str]:
        """Returns the links of ``message``: URLs in its text, then ``href`` targets of its HTML.

        Links are in document order, each once, with HTML entities decoded
        (``&amp;`` becomes ``&``) and quoted-printable line breaks joined.
        ``pattern`` is a regular expression: only links it matches (anywhere)
        are returned. An empty list is returned when none is found.

        | ${links} =       | Get Links From Message | ${msg} |
        | ${tracking} =    | Get Links From Message | ${msg} | pattern=^https://example\\\\.com/orders/\\\\d+\\\\? |
        | Should Be Equal  | ${tracking}[0] | https://example.com/orders/42?track=1 |
        """
        links = mailbox.links(as_message(message, ("message", "pattern")), pattern)
        logger.info(f"{plural(len(links), 'link')}{'' if pattern is None else f' matching {pattern!r}'}.")
        return links

    @keyword("Get Attachments")
    def get_attachments(self, message: ReceivedMessage) -> list[Attachment]:
        """Returns the attachments of ``message``: every part that is not its text or HTML body.

        Each one has these attributes:

        | = Attribute =  | = Content = |
        | filename       | Decoded file name, exactly as the mail gives it (``None`` when it gives none). |
        | content_type   | Such as ``application/pdf``, lower case. |
        | size           | Size of ``content`` in bytes. |
        | content        | The decoded content, as bytes. |
        | inline         | True for parts shown inside the message, like images of an HTML mail. |
        | content_id     | The ``Content-ID`` without ``<>``, which HTML refers to as ``cid:...``. |
        | text           | The content decoded as text, for ``text/*`` parts; ``None`` for others. |
        | message        | For an enclosed ``message/rfc822`` (a bounce, a forward): that message. |
        | decoded        | False when ``content`` holds the raw bytes because they could not be decoded. |
        | problems       | What went wrong decoding the part, as a list of texts. |

        | ${attachments} =   | Get Attachments | ${msg} |
        | Length Should Be   | ${attachments} | 1 |
        | Should Be Equal    | ${attachments[0].filename} | Rechnung März.pdf |
        | Should Be Equal    | ${attachments[0].content_type} | application/pdf |
        """
        attachments = content_of(as_message(message)).attachments
        logger.info(f"{plural(len(attachments), 'attachment')}: {', '.join(map(repr, attachments)) or 'none'}.")
        return list(attachments)

    @keyword("Save Attachment")
    def save_attachment(self, message: ReceivedMessage, filename: str, directory: str) -> str:
        """Saves the attachment of ``message`` named ``filename`` into ``directory`` and returns the file's path.

        ``filename`` is the decoded name, as `Get Attachments` shows it; when
        several attachments have it, the first is saved. The directory is
        created when missing; a file of that name is replaced.
        The file is named after the attachment, made safe first: a name from a
        mail can never write outside ``directory`` (see `Message content`).
        Fails naming the attachments the message has when none has that name.

        | ${path} =      | Save Attachment | ${msg} | Rechnung März.pdf | ${OUTPUT DIR}/attachments |
        | File Should Exist | ${path} |
        """
        arguments = ("message", "filename", "directory")
        refuse_misnamed(directory, "directory", arguments, "To use such a directory, write it as ./" + directory + ".")
        attachment = mailbox.find_attachment(as_message(message, arguments), filename, arguments)
        path = attachment.save(Path(directory))
        logger.info(f"Saved attachment {filename!r} ({plural(attachment.size, 'byte')}) to {path}.")
        return str(path)

    @keyword("Save Message")
    def save_message(self, message: ReceivedMessage, path: str) -> str:
        """Saves ``message`` to ``path`` as an ``.eml`` file, byte for byte as received, and returns the path.

        Parent directories are created. The file opens in any mail reader.

        | ${path} =      | Save Message | ${msg} | ${OUTPUT DIR}/welcome.eml |
        """
        arguments = ("message", "path")
        refuse_misnamed(path, "path", arguments, f"To use such a file name, write it as ./{path}.")
        received = as_message(message, arguments)
        saved = save_message(path, received.raw)
        logger.info(f"Saved message #{received.seq} ({plural(received.size, 'byte')}) to {saved}.")
        return str(saved)
