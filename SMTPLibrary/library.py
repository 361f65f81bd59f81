"""The Robot Framework library: keyword mixins over the capture core."""

from __future__ import annotations

from datetime import timedelta

from robot.api.deco import library

from .keywords.mailbox import MailboxKeywords
from .keywords.security import SecurityKeywords
from .keywords.server import ServerKeywords
from .version import __version__


@library(scope="GLOBAL", version=__version__, doc_format="ROBOT", listener="SELF")
class SMTPLibrary(ServerKeywords, MailboxKeywords, SecurityKeywords):
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
    | authenticated_as | The user name the client logged in with, ``None`` without login. |
    | tls            | ``None`` without TLS, else a dictionary with ``version``, ``cipher``, ``bits`` and ``mode``. |
    | mail_options   | ESMTP parameters of ``MAIL FROM``, as a list: ``SIZE=1234``, ``BODY=8BITMIME``, ``SMTPUTF8``. |
    | rcpt_options   | ESMTP parameters of the ``RCPT TO`` commands, as a list. |
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
    | authenticated_as | The user name the client logged in with; a message sent without login never matches. |
    | tls           | ``yes``: the message came over TLS (STARTTLS or implicit); ``no``: it did not. |

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

    = TLS and authentication =

    The server speaks TLS and checks logins, so the application under test
    keeps the configuration it uses in production.

    == TLS ==

    ``tls=starttls`` offers STARTTLS; ``require_tls=True`` then refuses mail
    sent before it with ``530``. ``tls=implicit`` speaks TLS from the first
    byte, like port 465 (SMTPS). Unless ``certificate`` and ``key`` give the
    server's own PEM files, it presents a certificate for ``localhost``,
    ``127.0.0.1`` and ``::1`` issued by a test certificate authority that is
    made once per test run (TLS servers start in milliseconds). `Get SMTP Server CA Certificate`
    returns that authority's PEM file: give it to the client, so that it
    verifies the server instead of turning verification off.

    | ${port} =    Start SMTP Server    tls=starttls    require_tls=True
    | ${ca} =    Get SMTP Server CA Certificate
    | Run Process    curl    --ssl-reqd    --cacert    ${ca}    smtp://localhost:${port}
    | ...    --mail-from    app@example.com    --mail-rcpt    alice@example.com    --upload-file    mail.eml
    | ${msg} =    Message Should Be Received Matching    tls=yes
    | Should Be Equal    ${msg.tls}[version]    TLSv1.3

    The ``mode`` of ``${msg.tls}`` is ``starttls`` or ``implicit``; ``cipher`` and
    ``bits`` are what the connection negotiated.

    == Login ==

    ``credentials`` lists the users who may log in with AUTH PLAIN or AUTH
    LOGIN: ``alice:s3cret``, several separated by commas, a list of such
    strings, or a dictionary. A wrong user name or password gets ``535`` at
    once. ``auth_required=True`` refuses mail sent before logging in with
    ``530``. Logins are accepted, and AUTH advertised, only over TLS
    (STARTTLS or implicit): on a plain connection AUTH gets ``538``, unless
    ``allow_plaintext_auth=True``. A server without credentials offers no
    AUTH at all.

    | `Start SMTP Server` | tls=starttls | credentials=alice:s3cret | auth_required=True |
    | `Start SMTP Server` | credentials=${{ {'alice': 's3cret', 'bob': 'a,b:c'} }} | allow_plaintext_auth=True |
    | `Message Should Be Received Matching` | authenticated_as=alice | tls=yes |

    Passwords are never logged by this library nor shown in its error
    messages. Robot Framework itself logs the arguments of every keyword at
    the ``TRACE`` log level: with Robot Framework 7.4 or newer, pass the
    credentials as a ``Secret`` (for example from an environment variable,
    ``${PASSWORD: Secret}``) to keep them out of the log at every level.

    == Size and international mail ==

    ``size_limit`` (bytes, 32 MiB by default, ``0`` for none) is advertised
    as ``SIZE``; a client that announces a larger message gets ``552`` at
    ``MAIL FROM``, and a larger message sent anyway gets ``552`` at its end.
    SMTPUTF8 and 8BITMIME are advertised, so addresses like
    ``jörg@bücher.example`` are accepted, and every message is stored byte
    for byte as it arrived; ``smtputf8=False`` makes a server that offers
    neither and refuses non-ASCII addresses.

    Each message records how it arrived: ``${msg.tls}``,
    ``${msg.authenticated_as}``, ``${msg.helo}``, ``${msg.mail_options}``
    (such as ``SIZE=1234``, ``BODY=8BITMIME``, ``SMTPUTF8``) and
    ``${msg.rcpt_options}``; see `Received messages`.

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

    Servers with TLS or login, and how a message arrived:

    | Given an SMTP server is running with STARTTLS
    | Given an SMTP server is running with implicit TLS
    | Given an SMTP server is running that requires login as "alice" with password "s3cret"
    | Then the message should have been sent over TLS
    | Then the message should have been sent by user "alice"

    The login step's server offers STARTTLS and accepts the login only over
    it. Other combinations: ``SMTPLibrary.bdd.fixtures.use_smtp_server(context, tls=..., credentials=...)``
    takes every argument of `Start SMTP Server`. The library's own sending
    steps use TLS when the server has it, verifying its certificate.

    Each scenario gets its own server on a free port (``context.smtp_port``),
    stopped when the scenario ends. Waits last 5 seconds unless
    ``-D smtp_timeout=SECONDS`` says otherwise. Steps using ``matching`` take
    regular expressions; all other quoted values are literal. A failing step
    reads as the corresponding keyword's failure.
    """

    def __init__(self, timeout: timedelta = timedelta(seconds=5)) -> None:
        """``timeout`` is the default wait of keywords that wait for mail; see `Time format`.

        | Library    SMTPLibrary
        | Library    SMTPLibrary    timeout=10 s
        """
        super().__init__(timeout)
