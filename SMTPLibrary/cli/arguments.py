"""Argument types shared by the subcommands: the same input gets the same answer from each."""

from __future__ import annotations

import argparse


def port_number(text: str) -> int:
    """``--port``: a whole number from 0 (any free port) to 65535."""
    try:
        port = int(text)
    except ValueError:
        port = -1
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"invalid port {text!r}: expected a number from 0 to 65535")
    return port
