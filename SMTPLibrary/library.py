"""The Robot Framework library: keyword mixins over the capture core."""

from __future__ import annotations

from datetime import timedelta

from robot.api.deco import library

from .keywords.content import ContentKeywords
from .keywords.mailbox import MailboxKeywords
from .keywords.server import ServerKeywords
from .version import __version__


@library(scope="GLOBAL", version=__version__, doc_format="ROBOT", listener="SELF")
class SMTPLibrary(ServerKeywords, MailboxKeywords, ContentKeywords):
    """SMTPLibrary starts a real SMTP server inside the test run and checks the mail it receives.

    The application under test sends mail to the server as it would to any
    mail server; the test then asserts on what arrived: envelope, headers,
    body. Nothing is delivered anywhere.

    %TOC%

    = Introduction =

    | *** Settings ***
    | Library    SMTPLibrary
    |
    | *** Test Cases ***
    | Sign-up sends a welcome mail
    |     ${port} =    Start SMTP Server
    |     Register User    alice@example.com    smtp_port=${port}
    |     ${msg} =    Message Should Be Received Matching    recipient=alice@example.com    subject=Welcome
    |     Should Contain    ${msg.text}    Hello Alice
    |     [Teardown]    Stop SMTP Server

    `Start SMTP Server` listens on ``127.0.0.1`` and, by default, on a free
    port chosen by the operating system, which it returns: hand that port to
    the application. Several servers can run at once, each with its own
    mailbox, named by an alias (see `Switch SMTP Server`). Servers still
    running when the run ends are stopped.

    = Received messages =

    Keywords that find messages return them as objects with these attributes,
    usable with the extended variable syntax (``${msg.subject}``):

    | = Attribute =  | = Content = |
    | sender         | Envelope sender (``MAIL FROM``). |
    | recipients     | Every envelope recipient (``RCPT TO``), Bcc included, as a list. |
    | subject        | Decoded ``Subject`` header, empty when missing. |
    | text           | Decoded plain-text body, ``None`` when the message has none. See `Message content`. |
    | html           | Decoded HTML body, ``None`` when the message has none. |
    | attachments    | The attachments, as `Get Attachments` returns them. |
    | links          | The links, as `Get Links From Message` returns them. |
    | body           | The plain-text body, or the text of the HTML body when there is no plain one. |
    | headers        | Decoded headers: ``${msg.headers}[Subject]``; case does not matter. |
    | raw            | The message exactly as received, as bytes. |
    | peer           | Client address as ``(host, port)``. |
    | helo           | The name the client gave in ``HELO``/``EHLO``. |
    | received_at    | When it was stored, a ``datetime``. |
    | message        | The parsed Python ``email.message.EmailMessage``. |

    ``${msg}`` converted to a string is the message source with ``X-Peer``,
    ``X-MailFrom`` and ``X-RcptTo`` headers added.

    = Criteria =

    Keywords that look for messages take these criteria. All given criteria
    must hold; none given matches every message.

    | = Criterion = | = Tested against = |
    | pattern       | The whole message source, headers and body, as text with ``\\n`` line endings. |
    | sender        | The envelope sender. |
    | recipient     | Each envelope recipient: one match is enough. |
    | subject       | The decoded subject. |
    | body          | The decoded plain-text body (the text of the HTML body if there is no plain one). |
    | header        | ``Name: value``: the decoded value of each header called ``Name``. |
    | attachment    | The decoded file name of each attachment: one match is enough. |
    | link          | Each link of the message (see `Get Links From Message`): one match is enough. |

    Each value is a Python regular expression, searched anywhere in the
    text (``re.search``), unless it starts with one of these prefixes, the
    ones ``Run Keyword And Expect Error`` uses, plus ``CONTAINS``:

    | = Prefix = | = Meaning =                                   | = Example = |
    | EQUALS:    | The whole value equals the text.              | ``subject=EQUALS:Your order (#42)`` |
    | STARTS:    | The value starts with the text.               | ``subject=STARTS:Re:`` |
    | CONTAINS:  | The text appears in the value, literally.     | ``recipient=CONTAINS:alice+test@`` |
    | GLOB:      | Glob pattern over the whole value (``*``, ``?``, ``[chars]``). | ``sender=GLOB:*@example.com`` |
    | REGEXP:    | Regular expression searched in the value (the default). | ``subject=REGEXP:^Welcome`` |

    Spaces right after the prefix are ignored. Regular expressions follow
    Python's ``re`` syntax: escape ``+``, ``(``, ``.`` and friends, or use a
    literal prefix. Robot's own escaping applies first, so a backslash is
    written twice: ``subject=Order \\\\(#42\\\\)``.

    = Message content =

    Mail is decoded the way mail readers decode it, for real mail from real
    clients (the test corpus holds Outlook, Gmail, Apple Mail, Thunderbird,
    mailing list, newsletter and bounce messages, among others):

    - Headers: RFC 2047 encoded words in any header and charset, Q or B
      encoded, and raw UTF-8 (RFC 6532). `Get Message Header` returns them.
    - Text and HTML: quoted-printable and base64 bodies in their declared
      charset. Labels are read as browsers read them (``iso-8859-1`` means
      ``windows-1252``); text declared in a single-byte charset that is
      valid UTF-8 is UTF-8; an unknown or wrong charset falls back to UTF-8,
      then windows-1252. ``format=flowed`` text is unwrapped. In
      ``multipart/alternative`` the richest part of each kind is used; in
      ``multipart/related`` (HTML with inline images) the root part;
      in ``multipart/mixed`` every inline text part, in order, so a mailing
      list footer is part of the text. Line ends are ``\n``.
    - Attachments: every other part, named by their decoded file name
      (RFC 2231 and RFC 2047 names included); inline images are flagged
      ``inline``; an enclosed message (``message/rfc822``, as in a bounce or
      a forward) is an attachment whose ``message`` attribute is that message.
    - Links: URLs written in the text, then the targets of the HTML's links.

    Malformed mail never makes a keyword fail by itself: what cannot be
    decoded (base64 of an impossible length, an unknown transfer encoding, a
    multipart without boundary) is kept as the raw bytes, and the message's
    card in the log lists each problem. The raw message is always in
    ``${msg.raw}``.

    A file name from a mail never writes outside the directory it is saved
    into: `Save Attachment` keeps only its last path component and
    neutralises what is special to a file system on any platform (``../``,
    absolute paths, drive letters, NUL and control characters, characters
    Windows forbids, device names such as ``CON``, ``NUL`` or ``COM1``,
    trailing dots and spaces, invisible direction marks). Any other name,
    non-ASCII letters and spaces included, is kept exactly.

    = Time format =

    Timeouts accept Robot Framework time strings such as ``5 s``,
    ``500 ms``, ``1 minute 30 seconds``, or plain numbers of seconds. The
    default for keywords that wait is set when importing the library:

    | Library    SMTPLibrary    timeout=10 s

    Waiting is event-driven: a keyword returns as soon as the mail is there,
    not at the next poll, and a Robot test timeout can interrupt it.

    = Logging =

    Keywords that find messages log each one as a card: the envelope, the
    decoded headers, the text, the HTML part rendered, the attachments with
    their sizes, the links, any decoding problem, the source, and a link to
    the message saved as an ``.eml`` file under ``${OUTPUT DIR}/mail/``,
    which opens in any mail reader.

    Nothing from a message can run in the log: everything is escaped, and
    the HTML part is shown inside a sandboxed frame that runs no script,
    submits no form, cannot navigate the log and loads nothing from the
    network (remote images stay blank; inline images are shown). Links are
    listed as text, not as links.

    When a wait fails, the failure lists the messages that did arrive,
    closest to the criteria first, each with the criteria it failed on, and
    the log shows their cards in the same order.

    = behave =

    The same server and assertions are available to behave as step
    definitions. In ``features/steps/smtp.py``:

    | import SMTPLibrary.bdd.steps  # noqa: F401  (registers the steps)

    Then, in a feature:

    | Scenario: Sign-up sends a welcome mail
    |   Given an SMTP server is running
    |   When a message is sent from "app@example.com" to "alice@example.com" with subject "Welcome"
    |   Then a message with subject "Welcome" should be received
    |   And the message body should contain "alice@example.com"

    Each scenario gets its own server on a free port (``context.smtp_port``),
    stopped when the scenario ends. Waits last 5 seconds unless
    ``-D smtp_timeout=SECONDS`` says otherwise. Steps using ``matching`` take
    regular expressions; all other quoted values are literal. A failing step
    reads as the corresponding keyword's failure. Steps that find a message
    attach its card (and the ``.eml``) to the report of formatters that keep
    attachments, such as ``--format json``.
    """

    def __init__(self, timeout: timedelta = timedelta(seconds=5)) -> None:
        """``timeout`` is the default wait of keywords that wait for mail; see `Time format`.

        | Library    SMTPLibrary
        | Library    SMTPLibrary    timeout=10 s
        """
        super().__init__(timeout)
