"""The Robot Framework library: keyword mixins over the capture core."""

from __future__ import annotations

from datetime import timedelta

from robot.api.deco import library

from .keywords.isolation import IsolationKeywords
from .keywords.mailbox import MailboxKeywords
from .keywords.server import ServerKeywords
from .version import __version__


@library(scope="GLOBAL", version=__version__, doc_format="ROBOT", listener="SELF")
class SMTPLibrary(ServerKeywords, MailboxKeywords, IsolationKeywords):
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

    = Isolation =

    Every test starts with empty mailboxes, whatever the tests before it
    received: the library is its own listener and resets each server it
    knows when a test starts. A server started inside a test is stopped when
    the test ends (after its teardown); a server started in a suite setup
    lives until the suite ends. The import argument ``auto_reset`` chooses
    the unit:

    | = auto_reset = | = Mailboxes emptied = | = Servers started in a test stop = | = Suite setup servers stop = |
    | ``test`` (default) | when each test starts | when the test ends | when the suite ends |
    | ``suite`` | when each suite starts | when the suite ends | when the suite ends |
    | ``none``  | never by themselves | when stopped, or when the run ends | when stopped, or when the run ends |

    | Library    SMTPLibrary    auto_reset=suite

    When the current server is stopped this way, the server that was current
    when the test started is current again.

    Tests that share a server and must not see each other's mail, in one
    process or in parallel ones, send to `Get Unique Address` and look for
    ``recipient=${address}``.

    = Parallel and remote runs =

    Under [https://pabot.org|pabot] every process starts its own servers on
    free ports, so nothing needs configuring: hand the port that
    `Start SMTP Server` returns to the application under test.

    ``smtplibrary remote --host 127.0.0.1 --port 8270`` serves these keywords
    through Robot Framework's remote library interface, so the server can run
    on the machine next to the application:

    | Library    Remote    http://sut-host:8270

    Remote keywords take the same arguments and fail with the same messages.
    A message comes back as a dictionary with the same fields as
    `Received messages` (``${msg.subject}`` works), with these differences:
    ``raw`` is bytes, ``peer`` a list, ``received_at`` an ISO 8601 string,
    a missing ``text`` or ``html`` an empty string; ``headers`` holds the
    first value of each header, as spelt in the message; there is no
    ``message`` attribute, but ``source`` holds the message as text; control
    characters XML cannot carry become U+FFFD in texts (``raw`` keeps them). The
    remote server does not see tests: there, reset with `Reset Mailbox` in a
    ``Test Setup``. See ``docs/parallel-and-remote.md`` for recipes.

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

    Each scenario gets its own server on a free port (``context.smtp_port``),
    stopped when the scenario ends. In a feature tagged ``@smtp.per_feature``
    the server is started once, by the first scenario, and shared by the
    scenarios of the feature: each one finds it running with an empty
    mailbox, and it stops when the feature ends. Put the step in the
    ``Background``:

    | @smtp.per_feature
    | Feature: Password reset
    |   Background:
    |     Given an SMTP server is running

    Waits last 5 seconds unless
    ``-D smtp_timeout=SECONDS`` says otherwise. Steps using ``matching`` take
    regular expressions; all other quoted values are literal. A failing step
    reads as the corresponding keyword's failure.
    """

    def __init__(self, timeout: timedelta = timedelta(seconds=5), auto_reset: str = "test") -> None:
        """``timeout`` is the default wait of keywords that wait for mail; see `Time format`.

        ``auto_reset`` is ``test``, ``suite`` or ``none``: when mailboxes are
        emptied and servers stopped by themselves; see `Isolation`.

        | Library    SMTPLibrary
        | Library    SMTPLibrary    timeout=10 s
        | Library    SMTPLibrary    auto_reset=suite
        """
        super().__init__(timeout, auto_reset)
