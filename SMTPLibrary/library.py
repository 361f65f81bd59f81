"""The Robot Framework library: keyword mixins over the capture core."""

from __future__ import annotations

from datetime import timedelta

from robot.api.deco import library

from .core import DEFAULT_TIMEOUT
from .core.checks import documentation_table
from .keywords.certificates import CertificateKeywords
from .keywords.checks import CheckKeywords
from .keywords.content import ContentKeywords
from .keywords.converters import CONVERTERS
from .keywords.faults import FaultKeywords
from .keywords.imap import IMAPKeywords
from .keywords.isolation import IsolationKeywords
from .keywords.mailbox import MailboxKeywords
from .keywords.misbehaviour import MisbehaviourKeywords
from .keywords.security import SecurityKeywords
from .keywords.server import ServerKeywords
from .version import __version__


@library(scope="GLOBAL", version=__version__, doc_format="ROBOT", listener="SELF", converters=CONVERTERS)
class SMTPLibrary(
    ServerKeywords,
    MailboxKeywords,
    ContentKeywords,
    SecurityKeywords,
    FaultKeywords,
    IMAPKeywords,
    MisbehaviourKeywords,
    IsolationKeywords,
    CheckKeywords,
    CertificateKeywords,
):
    r"""SMTPLibrary starts a real SMTP server inside the test run and checks the mail it receives.

    The application under test sends mail to the server as it would to any
    mail server; the test then asserts on what arrived: envelope, headers,
    body. Nothing is delivered anywhere.

    %TOC%

    = Introduction =

    Install it with ``pip install robotframework-smtplibrary`` and import it
    as ``SMTPLibrary``. In this example, ``Register User`` stands for the
    application under test: a keyword of your own that makes it send its mail
    to the port the server listens on.

    | ``*** Settings ***``
    | Library    SMTPLibrary
    |
    | ``*** Test Cases ***``
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
    | sender         | Envelope sender (``MAIL FROM``); empty for ``MAIL FROM:<>`` (bounces, delivery reports). |
    | recipients     | Every envelope recipient (``RCPT TO``), Bcc included, as a list. |
    | subject        | Decoded ``Subject`` header, unfolded, without white space around it; empty when missing. |
    | text           | Decoded plain-text body, ``None`` when the message has none. See `Message content`. |
    | html           | Decoded HTML body, ``None`` when the message has none. |
    | attachments    | The attachments, as `Get Attachments` returns them. |
    | links          | The links, as `Get Links From Message` returns them. |
    | body           | The plain-text body, or the text of the HTML body when there is no plain one. |
    | headers        | Decoded headers, as mail readers show them: ``${msg.headers}[Subject]``; case does not matter. |
    | raw            | The message exactly as received, as bytes: the decoded attributes never change it. |
    | source         | The message as text, ``\n`` line endings (what ``pattern`` searches). |
    | size           | The size of ``raw`` in bytes. |
    | seq            | Its number on its server, from 1; failures name messages by it. |
    | peer           | Client address as ``(host, port)``. |
    | helo           | The name the client gave in ``HELO`` or ``EHLO``. |
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
    | pattern       | The whole message source, headers and body, as text with ``\n`` line endings. |
    | sender        | The envelope sender. |
    | recipient     | Each envelope recipient: one match is enough. |
    | subject       | The decoded subject. |
    | body          | The decoded plain-text body (the text of the HTML body if there is no plain one). |
    | header        | ``Name: value``: the decoded value of each header called ``Name``. |
    | attachment    | The decoded file name of each attachment: one match is enough. |
    | link          | Each link of the message (see `Get Links From Message`): one match is enough. |
    | authenticated_as | The user name the client logged in with; a message sent without login never matches. |
    | tls           | ``yes``: the message came over TLS (STARTTLS or implicit); ``no``: it did not. |

    Each value is compared this way:

    | = Value =              | = Matches =                                            | = Example = |
    | A whole e-mail address | That address only, ignoring case, never in a longer one. | ``recipient=bob@shop.test`` |
    | Any other text         | Where it occurs as written, or as a regular expression. | ``subject=Order #42 (paid)`` |
    | ``EQUALS:`` text       | The whole value equals the text.                       | ``subject=EQUALS:Re: (#42)`` |
    | ``STARTS:`` text       | The value starts with the text.                        | ``subject=STARTS:Re:`` |
    | ``CONTAINS:`` text     | The text appears in the value, as written.             | ``recipient=CONTAINS:+test@`` |
    | ``GLOB:`` pattern      | Glob pattern over the whole value: ``*``, ``?``, ``[a-z]``. | ``sender=GLOB:*.test`` |
    | ``REGEXP:`` expression | A regular expression only; an invalid one fails at once. | ``subject=REGEXP:^Welcome`` |

    A whole address never matches a longer one: ``recipient=alice@example.com``
    finds neither ``malice@example.com`` nor ``alice@example.com.evil``, in any
    field (``header=To: alice@example.com`` finds ``To: Alice <alice@example.com>``).
    Other text is searched with ``re.search`` when it is a regular expression:
    ``sender=^shop@``, ``recipient=alice@`` and ``recipient=.*@example.com``
    work as they always did.

    A whole e-mail address is a local part of letters, digits and
    ``._%+-'``, an ``@``, and a domain of letters, digits and hyphens with at
    least one dot, nothing else: ``alice@``, ``^shop@`` and ``.*@example.com``
    are not addresses, but text that matches as a regular expression. Spaces
    right after a prefix are ignored. Regular expressions follow Python's
    ``re`` syntax; Robot's own escaping applies first, so a backslash is
    written twice: ``subject=^Order \\d+``.

    Text that is not a valid regular expression (``subject=Order (#42``) is
    looked for as written only; when nothing matches, the failure says that
    it is not a valid regular expression, why, and how to write it instead.
    When a criterion holds only through a part of an address
    (``recipient=alice@`` on a mail to ``malice@example.com``), the keyword
    logs it at ``INFO``, and `Message Should Not Be Received Matching` says
    it in its failure.

    Bounces and delivery reports are sent with the null reverse path
    (``MAIL FROM:<>``): their ``sender`` is empty, so ``sender=EQUALS:``
    (or ``sender=^$``) finds them.

    A ``pattern`` given first and written like ``name=value``
    (``Message Should Be Received Matching    to=alice@example.com``) is a
    misspelled argument name: the keyword fails at once, naming it and the
    arguments it takes. To search the source for such text, prefix it:
    ``CONTAINS:to=alice@example.com``. So do the other keywords whose first
    argument such a name would land in.

    = Message content =

    Mail is decoded the way mail readers decode it, for real mail from real
    clients (the test corpus holds Outlook, Gmail, Apple Mail, Thunderbird,
    mailing list, newsletter and bounce messages, among others):

    - Headers: RFC 2047 encoded words in any header and charset, Q or B
      encoded, and raw UTF-8 (RFC 6532), unfolded and without the white space
      around them, as mail readers show them: a long subject that a client
      folds onto the next line (``Subject:`` then ``=?utf-8?q?...?=`` on a
      line of its own, as Django writes it) matches ``subject=EQUALS:...``.
      `Get Message Header` returns them; ``${msg.raw}`` keeps the bytes.
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
    | Run Process    curl    --ssl-reqd    --cacert    ${ca}    smtp://127.0.0.1:${port}
    | ...    --mail-from    app@example.com    --mail-rcpt    alice@example.com    --upload-file    mail.eml
    | ${msg} =    Message Should Be Received Matching    tls=yes
    | Should Be Equal    ${msg.tls}[version]    TLSv1.3

    The test certificate names each loopback address twice, as an IP
    address and as a DNS name, so that clients that compare a host with DNS
    names only (Jakarta Mail 2.0 on Java 9 and newer, s-nail) verify it on
    ``127.0.0.1`` and ``::1`` as well as on ``localhost``. A client that still
    refuses an address can connect to ``localhost`` instead. s-nail cannot
    reach ``::1`` at all (``smtp://[::1]:port`` is refused before it
    connects): use ``127.0.0.1`` or ``localhost`` with it.

    The ``mode`` of ``${msg.tls}`` is ``starttls`` or ``implicit``; ``cipher`` and
    ``bits`` are what the connection negotiated.

    == Certificate checks ==

    Does the application under test check the server's certificate? An
    application that does not would hand its mail, and its password, to
    anyone on the way. ``certificate`` makes the server present a certificate
    with exactly one defect, which every client that checks refuses:

    | = certificate = | = The server presents = | = A client that checks says = |
    | ``trusted`` (default) | the test certificate, from the CA `Get SMTP Server CA Certificate` gives | no alert |
    | ``untrusted`` | a certificate from another CA than that one | ``unknown ca`` |
    | ``wrong_host`` | a certificate from the test CA for ``wrong-host.smtplibrary.invalid`` | ``bad certificate`` |
    | ``expired`` | a certificate from the test CA that expired yesterday | ``certificate expired`` |

    Configure the application with the file of `Get SMTP Server CA Certificate`,
    as for the trusted certificate: then only the defect can make it refuse.
    `SMTP Client Should Have Rejected Certificate` passes when it did, and
    fails when it accepted the certificate and sent something. The transcript
    (`Get SMTP Transcript`) records a handshake a client aborted, with the
    alert it sent. Measured: Python's
    ``smtplib`` with a default context, curl and swaks refuse each defect, but
    swaks (version 20201014) does not check the host name, and curl checks it
    once the handshake is over, closing the connection without a command.

    | ${port} =    Start SMTP Server    tls=starttls    certificate=expired
    | ${ca} =    Get SMTP Server CA Certificate
    | Start The Application    smtp_port=${port}    ca_file=${ca}
    | SMTP Client Should Have Rejected Certificate
    | Message Count Should Be    0

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
    | Register User | bob@example.com | smtp_login=alice:s3cret |
    | `Message Should Be Received Matching` | authenticated_as=alice | tls=yes |
    | `Start SMTP Server` | credentials=${{ {'alice': 's3cret', 'bob': 'a,b:c'} }} | allow_plaintext_auth=True |

    (``Register User`` stands for the application, logging in as its
    configuration says.)

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

    = Message checks =

    Is this mail right? Whether the mail would be trusted and read well once it
    leaves the test, checked inside the test, with no network:
    `Get Message Authentication` and `Message Authentication Should Be`
    (DKIM, SPF, DMARC, ARC), `Get Message Problems` and
    `Message Should Be Well Formed` (standards and bulk-sender rules). They need
    the ``checks`` extra: ``pip install robotframework-smtplibrary[checks]``;
    without it, these keywords fail saying so.

    | ${key} =    Create DKIM Key    example.com
    | Add Test DNS Record    example.com    TXT    v=spf1 ip4:127.0.0.1 -all
    | Add Test DNS Record    _dmarc.example.com    TXT    v=DMARC1; p=reject
    | Start The Application    dkim_key_file=${key.private_key_path}
    | ${msg} =    Message Should Be Received Matching    subject=Invoice
    | Message Authentication Should Be    ${msg}    dkim=pass    spf=pass    dmarc=pass
    | Message Should Be Well Formed    ${msg}

    == Test DNS ==

    The checks look every record up in a test DNS that the test fills with
    `Add Test DNS Record` and `Create DKIM Key`, and nowhere else: no check
    ever sends a query to the network, and a name that is not there is
    NXDOMAIN. Records live as the servers do (see `Isolation`): those a test
    adds are removed when it ends, those a suite setup adds when the suite
    ends. `Clear Test DNS Records` removes them all.

    == Authentication ==

    Each result is one of RFC 8601's words: ``pass``, ``fail``, ``none``,
    ``neutral``, ``softfail``, ``temperror`` or ``permerror``, with the reason
    when it is not ``pass``. DKIM and ARC are verified by dkimpy, SPF by pyspf;
    DMARC is evaluated over the Public Suffix List.

    - *DKIM* (RFC 6376, RFC 8301, RFC 8463): every ``DKIM-Signature``, with
      the key published at ``selector._domainkey.domain``: the body hash and
      the signature over the signed fields. RSA and ed25519 keys, simple and
      relaxed canonicalisation. ``fail``: ``body hash did not verify``,
      ``signature did not verify``, ``key revoked`` (``p=`` empty).
      ``permerror``: ``no key for signature``, ``key syntax error``,
      ``inappropriate key algorithm``, ``rsa-sha1`` (RFC 8301 forbids it), a key
      under 1024 bits, ``From field not signed``, ``signature expired``,
      ``signature syntax error``.
    - *SPF* (RFC 7208): the SPF record of the envelope sender's domain (of the
      HELO name for the null sender ``<>``) allows the client's IP address.
      ``fail`` (``-all``), ``softfail`` (``~all``), ``neutral``, ``none`` (no
      record), ``permerror`` (a broken record, two records, too many lookups).
    - *DMARC* (RFC 7489): the From domain's policy, at ``_dmarc.<From domain>``
      or else at its organisational domain (by the Public Suffix List), and a
      DKIM signature or an SPF result that passed for a domain aligned with the
      From domain: the same organisational domain (relaxed, the default) or the
      same name (``adkim=s``, ``aspf=s``). ``policy`` is ``p=`` (``sp=`` for a
      subdomain), ``disposition`` what it asks of a receiver for a failing
      message. ``none``: no record; ``permerror``: a record that cannot be used,
      or not exactly one From domain.
    - *ARC* (RFC 8617): the chain of ARC sets that forwarders added validates:
      ``pass``, ``fail``, or ``none`` without ARC.

    ``Authentication-Results`` (``${auth.header}``) is the field (RFC 8601) a
    receiving server would add with these results. ``Message Authentication
    Should Be    ${msg}    dkim=pass`` expects ``pass`` of every signature, and
    a signature.

    == Problems ==

    `Get Message Problems` checks the message against the rules below. An
    ``error`` is a breach of a standard that relays or mailbox providers
    refuse or mangle; a ``warning`` is what spam filters, large mailbox
    providers or readers hold against it. Codes are stable; ``where`` is a
    header name, a MIME part path numbered as IMAP does (``1``, ``1.2``;
    ``message`` for the top of a multipart message) or ``line 42``. A message
    is bulk mail when it has ``List-Id`` or ``Precedence: bulk`` (or
    ``list``), or when the keyword is given ``bulk=True``. Checks against the
    envelope (``SMTPUTF8``, ``BODY=8BITMIME``, the sender's domain) are left
    out for a message given as bytes, which has none.

    %PROBLEM_CODES%

    = Time format =

    Timeouts accept Robot Framework time strings such as ``5 s``,
    ``500 ms``, ``1 minute 30 seconds``, or plain numbers of seconds. The
    default for keywords that wait is set when importing the library:

    | Library    SMTPLibrary    timeout=10 s

    Waiting is event-driven: a keyword returns as soon as the mail is there,
    not at the next poll, and a Robot test timeout can interrupt it. The
    Python API (``timeout="5 s"``) and behave (``-D smtp_timeout=500ms``)
    read the same strings.

    = Isolation =

    Every test starts with empty mailboxes, whatever the tests before it
    received: the library is its own listener and, when a test starts,
    empties the mailbox and the transcript of each server it knows and
    clears their `Fault injection` rules. A server started inside a test is stopped when
    the test ends (after its teardown); a server started in a suite setup
    lives until the suite ends. The import argument ``auto_reset`` chooses
    the unit:

    | = auto_reset = | = Mailboxes emptied, faults cleared = | = Test servers stop = | = Suite setup servers stop = |
    | ``test`` (default) | when each test starts | when the test ends | when the suite ends |
    | ``suite`` | when each suite starts | when the suite ends | when the suite ends |
    | ``none``  | never by themselves | when stopped, or when the run ends | when stopped, or when the run ends |

    | Library    SMTPLibrary    auto_reset=suite

    Records of the test DNS (see `Message checks`) live as those servers do:
    records a test adds are removed when it ends, those a suite setup adds
    when the suite ends (``auto_reset=suite``: when the suite that added them
    ends; ``none``: never by themselves).

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

    | Library    Remote    http://${SUT HOST}:8270

    (``${SUT HOST}`` being the machine the remote server runs on.) It needs
    Robot Framework's remote server, the ``remote`` extra:
    ``pip install robotframework-smtplibrary[remote]``.

    Remote keywords take the same arguments and fail with the same messages.
    What they return comes back as dictionaries with the same fields:
    a message has those of `Received messages` (``${msg.subject}``,
    ``${msg.tls}[version]``, ``${msg.attachments[0].filename}`` work), an
    attachment those of `Get Attachments` (``content`` as bytes), a session
    those of `Get SMTP Transcript` (``${sessions[0].replies}`` works). The
    content keywords, such as `Get Message Text` or `Save Attachment`, take
    such a message dictionary. The differences: ``raw`` is bytes, ``peer`` a
    list, ``received_at`` an ISO 8601 string; ``None`` arrives as an empty
    string (a message without ``text``, ``html`` or ``tls``, an absent
    header), as XML-RPC has no ``None``; ``headers`` holds the first value of
    each header, as spelt in the message; there is no ``message`` attribute,
    but ``source`` holds the message as text; control characters XML cannot
    carry become U+FFFD in texts (``raw`` and attachment contents keep
    them), and a CR LF line end arrives as LF (the ``header`` of
    `Get Message Authentication`, say). The results of the `message checks`
    and a DKIM key come as dictionaries with the same fields too. Files,
    those `Save Attachment` and `Create DKIM Key` write included, are on the
    remote server's machine. The remote server does not see tests: there,
    start each test afresh with `Reset Mailbox`, `Clear SMTP Faults` and
    `Clear Test DNS Records` in a ``Test Setup``. See ``docs/parallel-and-remote.md`` for recipes.

    = Logging =

    Keywords that find messages log each one as a card: the envelope, the
    decoded headers, the text, the HTML part rendered, the attachments with
    their sizes, the links, any decoding problem, the source, and a link to
    the message saved as an ``.eml`` file under ``${OUTPUT DIR}/smtplibrary-mail/``,
    which opens in any mail reader.

    Nothing from a message can run in the log: everything is escaped, and
    the HTML part is shown inside a sandboxed frame that runs no script,
    submits no form, cannot navigate the log and loads nothing from the
    network (remote images stay blank; inline images are shown). Links are
    listed as text, not as links.

    When a wait fails, the failure lists the messages that did arrive,
    closest to the criteria first, each with the criteria it failed on, and
    the log shows their cards in the same order.

    = Fault injection =

    A test can make the server misbehave exactly when it wants, to check how
    the application copes: a temporary refusal it should retry, a permanent
    one it should report, a slow server, a dropped connection. A fault is a
    rule: a stage, an action (`Set SMTP Reply`, `Set SMTP Delay` or
    `Set SMTP Disconnect`), how many times it fires and, if given, a
    condition on the sender or the recipient.

    | Greylisted mail is sent again
    |     Set SMTP Reply    RCPT    451    4.7.1 Greylisted, try again later    count=2
    |     Send The Newsletter
    |     Message Count Should Be    1
    |     SMTP Client Should Have Retried    2
    |     [Teardown]    Clear SMTP Faults

    | = Stage =  | = When =                                   | = Conditions = |
    | CONNECT    | The greeting, as soon as a client connects. | none |
    | EHLO       | The EHLO or HELO command.                  | none |
    | MAIL       | The MAIL FROM command.                     | sender |
    | RCPT       | Each RCPT TO command.                      | sender, recipient |
    | DATA       | The DATA command, before the message.      | sender |
    | DATA_END   | The end of the message, after its body.    | sender |
    | AUTH       | The AUTH command.                          | none |
    | STARTTLS   | The STARTTLS command.                      | none |

    Conditions are read like `criteria`: a whole address is that address
    only, other text is found as written or as a regular expression, and
    ``EQUALS:`` and friends say how to compare. A condition that is not a
    valid regular expression is looked for as written, and the logged rule
    says so. Stage names ignore case.

    Rules fire in the order they were added. At each stage, the first
    matching delay rule waits (on the server's event loop: other
    connections are served meanwhile), then the first matching reply or
    disconnect rule acts; everything else is the server's normal behaviour.
    A rule fires on a command the server would process: a command with a
    syntax error, ``STARTTLS`` on a server that offers no STARTTLS and
    ``AUTH`` where the server offers no login (no credentials, or no TLS yet
    when login needs it) get the usual error and leave the rule for the next one.
    A rule fires ``count`` times (1 by default), or with ``count=0`` every
    time until `Clear SMTP Faults`. `Reset Mailbox` leaves the rules alone.

    - A 4xx or 5xx reply refuses the command, which has no effect: a message
      refused at ``DATA_END`` is not stored, a refused ``DATA`` ends the
      transaction. ``421`` also closes the connection, as RFC 5321 says.
      After a refused greeting, the server answers ``503`` to everything but
      ``QUIT``.
    - A success code changes only the reply's text: ``220`` at ``CONNECT``,
      ``250`` at ``MAIL`` and ``DATA_END`` (a queue id, say), ``250`` or
      ``251`` at ``RCPT``.
    - A delay at ``DATA_END`` stores the message once, after the wait; a
      client that gives up during the wait leaves nothing stored.
    - A disconnect closes the connection without a reply; nothing of an
      unfinished message is stored.

    == Transcript ==

    `Get SMTP Transcript` returns the dialogues of recent connections, one
    session per connection, newest last: each command line of the client
    (``C``), each reply line of the server (``S``), the message data as its
    size (``D``) and the faults that fired (``*``). It keeps the last 50
    sessions, the first 50 and last 150 entries of a session, and 512
    characters of a line. Credentials never enter it: ``AUTH PLAIN
    ********``, and every client line of an AUTH exchange is ``********``.
    `Reset Mailbox` forgets the transcript with the messages, and so does
    every test start (see `Isolation`), so that each test sees its own sessions.

    == Retries ==

    `SMTP Client Should Have Retried` counts the attempts in the transcript:

    - every ``MAIL`` command is an attempt (one per transaction), whatever
      the reply;
    - a session without ``MAIL`` is an attempt when the server refused
      something in it (a 4xx or 5xx reply, e.g. to the greeting or EHLO) or
      dropped it;
    - other sessions, such as a connection check, are not attempts.

    The client retried once less than it attempted. Every attempt since the
    transcript was last forgotten counts: since the test started (with the
    default ``auto_reset=test``, see `Isolation`) or since the last
    `Reset Mailbox`, whichever came later. Check retries around one message.

    = More ways to misbehave =

    Per-stage replies cannot say everything a real server does. These can:

    | = What = | = How = |
    | A server without an extension | `Start SMTP Server` ``hide_extensions=PIPELINING, SMTPUTF8`` |
    | A server that speaks only some TLS versions | `Start SMTP Server` ``tls_min_version=TLSv1.3`` |
    | A provider's rate limit | `Set SMTP Rate Limit` ``10    1 minute`` |
    | Random failures a soak run can replay | `Set SMTP Chaos` ``0.2    seed=42`` |
    | A connection that stalls half-way through the data | `Set SMTP Stall` ``1000    2 s`` |

    `Clear SMTP Faults` removes rate limits, chaos and stalls with the other
    rules; each test starts without them (see `Isolation`).

    == Hidden extensions ==

    ``hide_extensions`` takes ``PIPELINING``, ``SIZE``, ``8BITMIME``,
    ``SMTPUTF8``, ``STARTTLS``, ``AUTH``, ``AUTH=LOGIN`` and ``AUTH=PLAIN``, as a
    list or separated by commas. A hidden extension is left out of the EHLO
    reply, and its command or parameter is refused as a server without it
    refuses it, with the code the RFCs give:

    | = Hidden = | = The client sends = | = Reply = |
    | STARTTLS | ``STARTTLS`` | ``502 5.5.1 Command not implemented`` (RFC 5321 4.2.4) |
    | AUTH | ``AUTH ...`` | ``502 5.5.1 Command not implemented`` |
    | AUTH=PLAIN, AUTH=LOGIN | ``AUTH PLAIN ...`` | ``504 5.5.4 Unrecognized authentication type`` (RFC 4954 4) |
    | SIZE | ``MAIL ... SIZE=1000`` | ``555 5.5.4 SIZE=1000 not accepted: ...`` (RFC 5321 4.1.1.11) |
    | 8BITMIME | ``MAIL ... BODY=8BITMIME`` | ``555 5.5.4 BODY=8BITMIME not accepted: ...`` |
    | SMTPUTF8 | ``MAIL ... SMTPUTF8`` | ``555 5.5.4 SMTPUTF8 not accepted: ...`` |
    | SMTPUTF8 | ``MAIL FROM:<jörg@bücher.example>`` | ``550 5.6.7 Non-ASCII addresses ...`` (RFC 6531 3.5) |
    | SMTPUTF8 | ``RCPT TO:<jörg@bücher.example>`` | ``553 5.6.7 Non-ASCII addresses ...`` |

    Hiding 8BITMIME hides SMTPUTF8 too (RFC 6531 requires 8BITMIME of a server
    offering SMTPUTF8); hiding both AUTH mechanisms hides AUTH. The size
    limit still applies with SIZE hidden (``552`` after the data), and 8-bit
    data sent without 8BITMIME is stored as it came, as real servers do.

    The server advertises PIPELINING unless it is hidden: it answers
    pipelined commands in order. Hidden, a client that pipelines anyway is
    still answered (refusing it would be a policy, not the protocol), and
    the transcript notes ``pipelined: MAIL, RCPT, DATA came in one read``, so
    a test can tell that the client did not wait for each reply.

    | Start SMTP Server | hide_extensions=STARTTLS | tls=starttls |
    | Start SMTP Server | hide_extensions=AUTH=PLAIN | credentials=alice:s3cret | allow_plaintext_auth=True |

    == TLS versions ==

    ``tls_min_version`` and ``tls_max_version`` (``TLSv1.2``, ``TLSv1.3``) limit
    what the server accepts, with ``tls=starttls`` or ``tls=implicit``. A
    client limited to other versions fails its handshake; after STARTTLS the
    transcript notes ``TLS handshake failed: UNSUPPORTED_PROTOCOL``. Python 3.11
    to 3.13 close the connection without sending the TLS alert (CPython issue
    98078), so the client reports an unexpected end of file rather than
    ``protocol version``.

    | Start SMTP Server | tls=starttls | tls_min_version=TLSv1.3 |

    == Rate limits ==

    `Set SMTP Rate Limit` refuses ``MAIL`` once so many messages were accepted
    within a sliding window, per connection, per sender or for the whole
    server. With ``421`` (the default) the server then closes the
    connection, as providers do; nothing the client pipelined after the
    refused command is carried out or answered.

    | The third confirmation within a minute is refused for now
    |     Set SMTP Rate Limit    2    1 minute    code=451    scope=server
    |     Confirm Order    alice@example.com    41
    |     Confirm Order    bob@example.com    42
    |     Run Keyword And Expect Error    STARTS:SMTPSenderRefused: (451    Confirm Order    carol@example.com    43
    |     Message Count Should Be    2

    == Chaos ==

    `Set SMTP Chaos` fails a share of the commands of some stages at random,
    from a generator seeded with the seed it returns and logs: run a soak
    test again with that seed to get the same failures.

    == Stalls ==

    `Set SMTP Stall` stops reading inside DATA, after so many bytes, to test
    client timeouts and partial sends; nothing of an interrupted message is
    stored.

    = Persistent mailboxes =

    Messages are kept in memory, where the keywords find them.
    `Start SMTP Server` can also write each one to disk, to look at after
    the run or from another program:

    | = Argument = | = Writes = |
    | maildir      | A Maildir directory, created if missing: one file per message. Opens with ``mutt -f``. |
    | mbox         | One mbox file, every message after the other. |
    | latest       | One file that always holds the newest message only, for scripts. |

    | Start SMTP Server    maildir=${OUTPUT DIR}/maildir

    Each message on disk starts with ``X-Peer``, ``X-MailFrom`` and
    ``X-RcptTo`` headers holding the envelope, and has ``LF`` line ends.
    Writes are atomic: a message appears whole or not at all, even if the
    run is killed. They happen in the background, in arrival order: keywords
    that wait return as soon as a message is in memory, and the disk copy
    is complete once `Stop SMTP Server` or `Reset Mailbox` returns.
    `Reset Mailbox` empties the disk mailboxes too. A disk that makes no
    progress for 5 seconds fails these keywords instead of hanging the run;
    the automatic reset when a test starts gives up after as long, and
    reports it.

    = IMAP and POP3 =

    Applications that read mail (help desks, invoice importers, "reply by
    e-mail") need a mailbox they reach over IMAP or POP3; suites written with
    ImapLibrary2 need one to read from. `Start IMAP Server` and
    `Start POP3 Server` serve the mailbox of an SMTP server: every envelope
    recipient of a captured message is a mail user whose ``INBOX`` holds the
    mail delivered to that address (Bcc recipients too, each seeing only
    their copy), filed before the sending client gets its ``250``.
    `Deliver Message` puts mail there without SMTP, for the application to
    read. Needs Python 3.11 or newer and the ``imap`` extra.

    | ${imap} =    Start IMAP Server
    | ${msg} =    Deliver Message    support@example.com    ${CURDIR}/question.eml
    | Start Helpdesk    imap_port=${imap}    user=support@example.com    password=support@example.com
    | IMAP Message Should Have Flags    ${msg}    \\Seen
    | Message Should Be In Folder    ${msg}    Tickets

    *Users and passwords.* Every envelope recipient logs in with its
    address as login and as password (GreenMail's rule), so captured mail
    can be read with no set-up. A user added with `Add Mail User` logs in
    with its own login and password only. Anything else (a wrong password, a
    login nobody has) is refused as a real server refuses it (IMAP
    ``NO [AUTHENTICATIONFAILED]``, POP3 ``-ERR [AUTH]``), and a failed
    login creates nothing.

    *What a reset clears.* `Reset Mailbox`, and the reset when each test
    starts (see `Isolation`), return every user to a fresh start: the folders
    its clients created are deleted, its ``INBOX`` is emptied (connected
    clients see ``EXPUNGE``), flags and subscriptions go. Users stay, and
    so do logged-in connections: an application that keeps its IMAP
    connection across tests sees the next test's mail. A user added with
    `Add Mail User` in a test is removed when the test ends; one added in a
    suite setup stays until the suite ends (with ``auto_reset=suite``: users
    live as long as the suite that added them; with ``none``, until the
    server stops).

    The view holds what the mailbox holds: a message ``max_messages`` drops
    leaves the IMAP and POP3 view too. `Get Messages` does not remove mail
    from it.

    `IMAP Message Should Have Flags`, `IMAP Message Should Not Have Flags`,
    `Message Should Be In Folder` and `Message Should Be Expunged` wait for
    what the application's client did to a message. ``docs/imap-pop3.md``
    has the whole model and the clients it is tested with.

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

    | Scenario: The receipt is sent over TLS
    |   Given an SMTP server is running with STARTTLS
    |   When a message is sent from "shop@example.com" to "alice@example.com" with subject "Receipt"
    |   Then a message with subject "Receipt" should be received
    |   And the message should have been sent over TLS

    ``Given an SMTP server is running with implicit TLS`` speaks TLS from
    the first byte, ``Given an SMTP server is running that requires login as
    "alice" with password "s3cret"`` offers STARTTLS and accepts the login
    only over it, and ``Then the message should have been sent by user
    "alice"`` checks who logged in.

    `Message checks` and `certificate checks` have steps too, with the
    scenario's own test DNS (``context.smtp_dns``) and the key in
    ``context.smtp_dkim_key``:

    | = Step = | = What it does = |
    | ``Given the test DNS has a "{type}" record for "{name}" with "{value}"`` | publishes a record |
    | ``Given a DKIM key for "{domain}"`` (``... with selector "{selector}"``) | see `Create DKIM Key` |
    | ``Then the message should pass "{checks}"`` (``"dkim, spf, dmarc"``) | see `Message Authentication Should Be` |
    | ``Then the message should be well formed`` (``..., ignoring "{codes}"``) | see `Message Should Be Well Formed` |
    | ``Given an SMTP server is running with STARTTLS and a "{kind}" certificate`` | one defect: ``untrusted``... |
    | ``Given an SMTP server is running with implicit TLS and a "{kind}" certificate`` | the same |
    | ``Then the client should have rejected the server certificate`` | see `Certificate checks` |

    Other combinations:
    ``SMTPLibrary.bdd.fixtures.use_smtp_server(context, tls=..., credentials=...)``
    takes the arguments of `Start SMTP Server`, all but ``alias``: a
    scenario has one server, ``context.smtp_server``. The library's own
    sending steps use TLS when the server has it, verifying its certificate.

    Each scenario gets its own server on a free port (``context.smtp_port``),
    stopped when the scenario ends. In a feature tagged ``@smtp.per_feature``
    the server is started once, by the first scenario, and shared by the
    scenarios of the feature: each one finds it running with an empty
    mailbox, and it stops when the feature ends. Every scenario must ask
    for the same server: a scenario whose step asks for another one (with
    STARTTLS, say) fails, naming the difference. Put the step in the
    ``Background``:

    | @smtp.per_feature
    | Feature: Password reset
    |   Background:
    |     Given an SMTP server is running
    |
    |   Scenario: The reset mail arrives
    |     When a message is sent from "app@example.com" to "alice@example.com" with subject "Reset your password"
    |     Then a message to "alice@example.com" should be received

    Waits last 5 seconds unless ``-D smtp_timeout=2.5`` (or ``500ms``, a
    `time format`) says otherwise. Steps using ``matching`` read the pattern
    as the keywords read `criteria`; all other quoted values are compared as
    written. A failing step
    reads as the corresponding keyword's failure. Fault steps, such as
    ``Given the SMTP server replies 451 to the next message``, act as the
    `Fault injection` keywords do; their rules are cleared when the
    scenario ends. Steps that find a message
    attach its card (and the ``.eml``) to the report of formatters that keep
    attachments, such as ``--format json``.
    ``-D smtp_maildir=DIR`` (and ``smtp_mbox``, ``smtp_latest``) keeps every
    scenario's mail on disk, see `Persistent mailboxes`.

    = Python and pytest =

    The same server is a Python class, for scripts and pytest suites that
    do not use Robot Framework (nothing of Robot is imported then):

    | import smtplib
    |
    | from SMTPLibrary import SMTPServer
    |
    |
    | def send_the_mail(port):  # stands for the application under test
    |     with smtplib.SMTP("127.0.0.1", port) as client:
    |         client.sendmail("app@example.com", ["alice@example.com"], "Subject: Welcome\r\n\r\nHello Alice\r\n")
    |
    |
    | with SMTPServer() as server:                  # 127.0.0.1, a free port: server.port
    |     send_the_mail(port=server.port)
    |     message = server.wait_for(subject="Welcome", timeout="5 s")
    |     assert "Hello" in message.text

    ``wait_for`` takes the same `Criteria` as the keywords and fails the same
    way; its ``timeout`` is seconds, a ``timedelta`` or a `time format`
    string. With pytest, the ``smtp_server`` fixture gives each test a started
    server and ``smtp_server_factory`` makes special ones
    (``smtp_server_factory(tls="starttls", credentials="alice:s3cret")``);
    installing the package is all the set-up there is. The user guides
    ``docs/python-api.md`` and ``docs/pytest.md`` have the details, and
    ``smtplibrary serve`` (``docs/cli.md``) runs a capture server for local
    development.
    """

    def __init__(self, timeout: timedelta = timedelta(seconds=DEFAULT_TIMEOUT), auto_reset: str = "test") -> None:
        """``timeout`` is the default wait of keywords that wait for mail; see `Time format`.

        ``auto_reset`` is ``test``, ``suite`` or ``none``: when mailboxes are
        emptied and servers stopped by themselves; see `Isolation`.

        | Library    SMTPLibrary
        | Library    SMTPLibrary    timeout=10 s
        | Library    SMTPLibrary    auto_reset=suite
        """
        super().__init__(timeout, auto_reset)


# The table of problem codes is made from the one the checks use, so that the two never differ.
SMTPLibrary.__doc__ = (SMTPLibrary.__doc__ or "").replace("%PROBLEM_CODES%", documentation_table())
