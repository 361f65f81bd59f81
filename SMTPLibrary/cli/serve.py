"""``smtplibrary serve``: a capture server for local development.

Point the application at it, watch each message arrive as a line, keep them
in a Maildir or mbox, stop with Ctrl+C (or SIGTERM) to get the totals.
"""

from __future__ import annotations

import argparse
import io
import ipaddress
import math
import socket
import sys
import time
from typing import Any

from ..core import SMTPLibraryError, SMTPServer
from ..core.imap import require_imap
from ..core.smtp import HIDEABLE, certificate_words
from ..core.wording import format_address
from ..version import __version__
from . import misbehaviour
from .arguments import add_server_options, port_number, server_options
from .console import Console, ConsoleStore, final_statistics, periodic_statistics
from .signals import StopSignals

DEFAULT_PORT = 1025
DEFAULT_STATS_INTERVAL = 60.0
# A server left running for days keeps the newest messages only (see --max-messages).
DEFAULT_MAX_MESSAGES = 10_000
# Seconds between looks at the server's health (disk errors, a dead server thread), statistics or not.
HEALTH_INTERVAL = 1.0

EXAMPLES = """\
examples:
  smtplibrary serve                           listen on 127.0.0.1:1025, print a line per message
  smtplibrary serve --port 2525 --verbose     print every message decoded: text, links, attachments...
  smtplibrary serve --maildir mail            keep every message; read them with: mutt -f mail
  smtplibrary serve --latest /tmp/last.eml    /tmp/last.eml always holds the newest message
  smtplibrary serve --host 0.0.0.0            accept mail from other machines as well
  smtplibrary serve --tls starttls --credentials app:s3cret
                                              STARTTLS with a test certificate (the CA file to
                                              trust is printed) and AUTH for user app
  python -m SMTPLibrary serve --port 0        the same command; port 0 picks a free port
  smtplibrary serve --imap-port 1143 --pop3-port 1110
                                              also serve the mail over IMAP and POP3: each recipient
                                              logs in with its address as user name and password
  smtplibrary serve --fault RCPT:451:2 --rate-limit 10/1m --chaos 0.2:451:RCPT --seed 42
                                              refuse the next two RCPT commands, at most 10
                                              messages a minute, and fail one RCPT in five, the
                                              same ones every run
  smtplibrary serve --hide-extensions PIPELINING SMTPUTF8
                                              a server without these extensions

Ctrl+C or SIGTERM stops the server, prints the final statistics and exits 0.
Exit status 2: the server could not start (port in use, bad mailbox path...).
"""


def _seconds(text: str) -> float:
    try:
        seconds = float(text)
    except ValueError:
        seconds = -1.0
    if not seconds >= 0:
        raise argparse.ArgumentTypeError(f"invalid interval {text!r}: expected seconds, 0 or more")
    return seconds


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "serve",
        help="run an SMTP server that prints, and can keep, the mail it receives",
        description="Run an SMTP server that accepts every message, prints a line for each,\n"
        "and keeps them in a Maildir or mbox if asked. Nothing is delivered anywhere.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        help="print every message decoded (envelope, TLS and login, headers, text, links, attachments), "
        "not just a line",
    )
    # One file store or the other: both at once would keep every message twice.
    where = parser.add_mutually_exclusive_group()
    add_server_options(
        parser,
        defaults={"port": DEFAULT_PORT, "max_messages": DEFAULT_MAX_MESSAGES},
        helps={
            "host": "address to listen on; other machines reach it only when given here, "
            "e.g. 0.0.0.0 for every interface",
            "port": "port, 0 for any free one",
            "tls": "offer STARTTLS, or speak TLS from the first byte (implicit, as on port 465), "
            "with a test certificate for localhost whose CA file is printed",
            "credentials": "accept AUTH PLAIN and LOGIN from these users (over TLS only, see --allow-plaintext-auth)",
            "max_messages": "keep the newest N messages in memory (0: no limit); Maildir, mbox and --latest keep "
            "everything",
        },
        groups={"maildir": where, "mbox": where},
    )
    misbehaviour.add_options(parser)
    parser.add_argument(
        "--imap-port",
        type=port_number,
        metavar="PORT",
        help="also serve the captured mail over IMAP on PORT (0: a free one), with --tls as for SMTP "
        "(Python 3.11+ and the imap extra)",
    )
    parser.add_argument(
        "--pop3-port",
        type=port_number,
        metavar="PORT",
        help="also serve every recipient's INBOX over POP3 on PORT, with --tls as for SMTP",
    )
    parser.add_argument(
        "--stats-interval",
        type=_seconds,
        default=DEFAULT_STATS_INTERVAL,
        metavar="SECONDS",
        help=f"print statistics this often (default {DEFAULT_STATS_INTERVAL:g}; 0: only when stopping)",
    )
    parser.set_defaults(run=run)


def is_loopback(host: str) -> bool:
    """Whether ``host`` (as the server binds it) is reachable from this machine only."""
    try:
        address = socket.getaddrinfo(host or None, 0, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)[0][4][0]
        return ipaddress.ip_address(address.split("%")[0]).is_loopback
    except (OSError, ValueError):
        return False


def run(options: argparse.Namespace) -> int:
    if isinstance(sys.stdout, io.TextIOWrapper):
        # A subject in a script the terminal cannot show is no reason to fail.
        sys.stdout.reconfigure(errors="replace")
    out = Console(sys.stdout)
    chosen = server_options(options)
    chosen["max_messages"] = chosen["max_messages"] or None
    try:
        # The console is the last store: a message's line shows once it is on disk.
        if options.imap_port is not None or options.pop3_port is not None:
            require_imap()  # before anything starts: one sentence on what to install
        server = SMTPServer(**chosen, stores=[ConsoleStore(out, options.verbose)])
        faults = misbehaviour.apply(server, options)
        with StopSignals() as signals:
            server.start()
            try:
                out.print(banner(server))
                disk = [store for store in server.storage.stores if not isinstance(store, ConsoleStore)]
                if disk:
                    out.print(f"Also writing to: {', '.join(map(str, disk))}.")
                for line in [*security_lines(server), *faults]:
                    out.print(line)
                for line in mail_view_lines(server, options.imap_port, options.pop3_port):
                    out.print(line)
                out.print("Ctrl+C stops.")
                return serve(server, signals, options.stats_interval, out)
            except SMTPLibraryError as error:
                return fail(error, status=1)
            finally:
                server.stop()
    except SMTPLibraryError as error:
        return fail(error, status=2)


def fail(error: SMTPLibraryError, status: int) -> int:
    """One line on stderr, no traceback: 2 when the server could not start, 1 when it failed later."""
    print(f"smtplibrary serve: {error}", file=sys.stderr)
    return status


def banner(server: SMTPServer) -> str:
    head = f"SMTPLibrary {__version__} listening on {server.address}"
    if is_loopback(server.host):
        return f"{head}, for this machine only (--host 0.0.0.0 accepts other machines)."
    return f"{head}, open to other machines as --host asked."


def mail_view_lines(server: SMTPServer, imap_port: int | None, pop3_port: int | None) -> list[str]:
    """Start the IMAP and POP3 servers asked for; the lines that say where they listen and who logs in."""
    lines = []
    for protocol, port, start in (("IMAP", imap_port, server.start_imap), ("POP3", pop3_port, server.start_pop3)):
        if port is not None:
            bound = start(server.host, port, server.tls)
            lines.append(
                f"{protocol} on {format_address(server.host, bound)}"
                + (f" ({server.tls} TLS)." if server.tls != "none" else ".")
            )
    if lines:
        lines.append("Each recipient logs in with its address as user name and as password.")
    return lines


def security_lines(server: SMTPServer) -> list[str]:
    """What a client needs to know to connect: the TLS mode and the CA to trust, who may log in."""
    lines = []
    if server.tls != "none":
        lines.append(f"TLS: {server.tls}.")
        certificate = server.security.certificate
        if server.ca_certificate and certificate != "trusted":
            lines.append(
                f"The server presents {certificate_words(certificate)}: a client that checks it refuses it, "
                f"even trusting the test CA in {server.ca_certificate}."
            )
        elif server.ca_certificate:
            lines.append(f"Clients can trust the test CA in {server.ca_certificate}.")
    security = server.security
    users = security.user_names
    if users and "AUTH" not in security.hidden:
        where = "over TLS only" if not security.allow_plaintext_auth else "with or without TLS"
        lines.append(f"AUTH {' and '.join(sorted(security.mechanisms, reverse=True))} for {', '.join(users)}, {where}.")
    low, high = security.tls_versions
    if low or high:
        lines.append(f"TLS versions: {low or 'any'} to {high or 'any'}.")
    if security.hide_extensions:
        lines.append(f"Not offered: {', '.join(name for name in HIDEABLE if name in security.hidden)}.")
    return lines


def serve(server: SMTPServer, signals: StopSignals, interval: float, out: Console) -> int:
    """Print statistics every ``interval`` seconds (0: never) until a stop signal, the final ones then.

    Whatever the interval, the server's health is looked at every
    ``HEALTH_INTERVAL`` seconds. Returns 0, or 1 when something went wrong
    meanwhile (a message that could not be written to disk, the server
    thread gone), each said on stderr as soon as seen."""
    errors = 0
    before = server.stats.snapshot()
    deadline = time.monotonic() + interval if interval else math.inf
    while True:
        received = signals.wait(min(HEALTH_INTERVAL, max(0.0, deadline - time.monotonic())))
        if received is not None:
            break
        errors += report_errors(server)
        if not server.running:
            return 1
        if time.monotonic() >= deadline:
            now = server.stats.snapshot()
            out.print(periodic_statistics(now, before))
            before, deadline = now, time.monotonic() + interval
    server.stop()
    out.print(final_statistics(server.stats.snapshot(), f"stopped by {received.name}"))
    errors += report_errors(server)
    return 1 if errors else 0


def report_errors(server: SMTPServer) -> int:
    """Say, a line each on stderr, what went wrong in the server since the last look; return how many.
    A failed connection or disk write does not stop the server: the next message may do better."""
    count = 0
    while True:
        try:
            server.check()
            return count
        except SMTPLibraryError as error:
            count += 1
            print(f"smtplibrary serve: {error}", file=sys.stderr)
