"""The ``smtplibrary`` command (also ``python -m SMTPLibrary``): one subcommand per module."""

from __future__ import annotations

import argparse
import importlib
import sys

from ..version import __version__

# Each module defines register(subparsers), adding its subcommand with
# set_defaults(run=function); run(options) returns the exit code.
COMMANDS: tuple[str, ...] = ("serve", "remote")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="smtplibrary",
        description="SMTPLibrary outside a test run.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        importlib.import_module(f"{__name__}.{name}").register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    options = parser.parse_args(argv)
    if not getattr(options, "run", None):
        parser.print_help(sys.stderr)
        return 2
    return options.run(options)
