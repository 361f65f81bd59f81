"""Argument types shared by the subcommands, and the server options as command-line options."""

from __future__ import annotations

import argparse
import dataclasses
import typing
from collections.abc import Callable
from typing import Any

from ..core import ServerOptions


def port_number(text: str) -> int:
    """``--port``: a whole number from 0 (any free port) to 65535."""
    try:
        port = int(text)
    except ValueError:
        port = -1
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"invalid port {text!r}: expected a number from 0 to 65535")
    return port


def count(text: str) -> int:
    """A whole number, 0 or more."""
    try:
        number = int(text)
    except ValueError:
        number = -1
    if number < 0:
        raise argparse.ArgumentTypeError(f"invalid count {text!r}: expected a whole number, 0 or more")
    return number


def flag(name: str) -> str:
    return "--" + name.replace("_", "-")


def add_server_options(
    parser: argparse.ArgumentParser,
    *,
    defaults: dict[str, Any],
    helps: dict[str, str],
    groups: dict[str, argparse._ActionsContainer],
) -> None:
    """An option for each field of :class:`ServerOptions`, typed by the field:
    booleans are switches (``--no-NAME`` for those on by default), numbers are checked
    counts, the rest text; ``defaults`` and ``helps`` replace the field's own, ``groups``
    puts an option in a group of the parser (mutually exclusive ones, say)."""
    hints = typing.get_type_hints(ServerOptions)
    for field in dataclasses.fields(ServerOptions):
        name = field.name
        if not field.init:
            continue
        where = groups.get(name, parser)
        default = defaults.get(name, field.default)
        text = helps.get(name, field.metadata.get("help", ""))
        kind = hints[name]
        if kind is bool:
            if default:
                where.add_argument(flag(f"no_{name}"), dest=name, action="store_false", help=f"do not {text}")
            else:
                where.add_argument(flag(name), action="store_true", help=text)
            continue
        extra: dict[str, Any] = {}
        if field.metadata.get("list"):
            extra.update(nargs="+", action="extend")
        if "choices" in field.metadata:
            extra["choices"] = field.metadata["choices"]
        number: Callable[[str], int] = port_number if name == "port" else count
        convert = number if kind in (int, int | None) else str
        metavar = field.metadata.get("metavar", "N" if convert is count else None)
        if default is not None and not extra.get("choices"):
            text += f" (default {default})"
        where.add_argument(flag(name), type=convert, default=default, metavar=metavar, help=text, **extra)


def server_options(arguments: argparse.Namespace) -> dict[str, Any]:
    """The :class:`ServerOptions` among parsed ``arguments``."""
    return {name: getattr(arguments, name) for name in ServerOptions.names() if hasattr(arguments, name)}
