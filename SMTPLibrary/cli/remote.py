"""``smtplibrary remote``: the keywords through Robot Framework's remote library interface."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..core import ServerError
from ..core.smtp import DEFAULT_HOST
from .arguments import port_number

# Robot Framework's Remote library connects here when given no address.
DEFAULT_PORT = 8270


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "remote",
        help="serve the Robot Framework keywords to suites on other machines (Remote library)",
        description=(
            "Serve SMTPLibrary's keywords through Robot Framework's remote library interface, so a suite "
            "elsewhere can start SMTP servers on this machine and assert on what they receive: "
            "Library    Remote    http://HOST:PORT. Stops on Ctrl+C, SIGTERM or the Stop Remote Server keyword. "
            "Needs the remote extra: pip install 'robotframework-smtplibrary[remote]'."
        ),
    )
    parser.add_argument(
        "--host",
        default=DEFAULT_HOST,
        help=f"address to listen on (default {DEFAULT_HOST}: this machine only; 0.0.0.0 for every interface)",
    )
    parser.add_argument(
        "--port",
        type=port_number,
        default=DEFAULT_PORT,
        help=f"port to listen on, 0 for a free one (default {DEFAULT_PORT})",
    )
    parser.add_argument(
        "--port-file", type=Path, metavar="PATH", help="write the port listened on to PATH, removed on exit"
    )
    parser.set_defaults(run=run)


def run(options: argparse.Namespace) -> int:
    from ..remote import serve

    try:
        serve(options.host, options.port, options.port_file)
    except ServerError as error:
        # One line and status 2, as `smtplibrary serve` says it (a port in use, an unknown host).
        print(f"smtplibrary remote: {error}", file=sys.stderr)
        return 2
    return 0
