"""The Robot Framework library: keyword mixins over the capture core."""

from __future__ import annotations

from datetime import timedelta

from robot.api.deco import library

from .keywords.mailbox import MailboxKeywords
from .keywords.server import ServerKeywords
from .version import __version__


@library(scope="GLOBAL", version=__version__, doc_format="ROBOT", listener="SELF")
class SMTPLibrary(ServerKeywords, MailboxKeywords):
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
    | text           | Decoded plain-text body, ``None`` when the message has none. |
    | html           | Decoded HTML body, ``None`` when the message has none. |
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

    = Time format =

    Timeouts accept Robot Framework time strings such as ``5 s``,
    ``500 ms``, ``1 minute 30 seconds``, or plain numbers of seconds. The
    default for keywords that wait is set when importing the library:

    | Library    SMTPLibrary    timeout=10 s

    Waiting is event-driven: a keyword returns as soon as the mail is there,
    not at the next poll, and a Robot test timeout can interrupt it.

    = Logging =

    Keywords that find messages log each one into the log file as a summary:
    envelope, headers and body, escaped, so nothing from a message can run
    in the log. When a wait fails, the messages that did arrive are logged
    the same way, and the failure lists them, closest to the criteria first.

    = Persistent mailboxes =

    Messages are kept in memory, where the keywords find them.
    `Start SMTP Server` can also write each one to disk, to look at after
    the run or from another program:

    | = Argument = | = Writes = |
    | maildir      | A Maildir directory, created if missing: one file per message. Opens with ``mutt -f``. |
    | mbox         | One mbox file, every message after the other. |
    | latest       | One file that always holds the newest message only, for scripts. |

    | Start SMTP Server    maildir=${OUTPUT DIR}/mail

    Each message on disk starts with ``X-Peer``, ``X-MailFrom`` and
    ``X-RcptTo`` headers holding the envelope, and has ``LF`` line ends.
    Writes are atomic: a message appears whole or not at all, even if the
    run is killed. They happen in the background, in arrival order: keywords
    that wait return as soon as a message is in memory, and the disk copy
    is complete once `Stop SMTP Server` or `Reset Mailbox` returns.
    `Reset Mailbox` empties the disk mailboxes too.

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
    reads as the corresponding keyword's failure. ``-D smtp_maildir=DIR``
    (and ``smtp_mbox``, ``smtp_latest``) keeps every scenario's mail on
    disk, see `Persistent mailboxes`.
    """

    def __init__(self, timeout: timedelta = timedelta(seconds=5)) -> None:
        """``timeout`` is the default wait of keywords that wait for mail; see `Time format`.

        | Library    SMTPLibrary
        | Library    SMTPLibrary    timeout=10 s
        """
        super().__init__(timeout)
