"""aiosmtpd's private names: each one the package uses is listed in aiosmtpd_engine/internals.py, exists
in the installed aiosmtpd, and is used nowhere outside the engine's folder."""

from __future__ import annotations

import ast
import asyncio
from pathlib import Path

import aiosmtpd
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

import SMTPLibrary
from SMTPLibrary.core.smtp.aiosmtpd_engine import internals

PACKAGE = Path(SMTPLibrary.__file__).parent
ENGINE = PACKAGE / "core" / "smtp" / "aiosmtpd_engine"


def aiosmtpd_private_names() -> set[str]:
    loop = asyncio.new_event_loop()
    try:
        instance = SMTP(object(), hostname="localhost", loop=loop)
        names = set(dir(SMTP)) | set(vars(instance)) | set(dir(Controller)) | set(dir(Session)) | set(dir(Envelope))
        names |= set(vars(Session(loop))) | set(vars(Envelope()))
    finally:
        loop.close()
    names |= set(internals.METHODS) | set(internals.ATTRIBUTES)
    return {name for name in names if name.startswith("_") and not name.startswith("__")}


def own_names(tree: ast.AST) -> set[str]:
    """The names a module defines itself (``self._thread = ...``, ``def _run``): its own, whatever aiosmtpd
    calls its own."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
            names.add(node.attr)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            names.add(node.name)
    return names


def test_the_installed_aiosmtpd_has_every_listed_name():
    assert internals.missing() == [], f"aiosmtpd {aiosmtpd.__version__} changed its internals"


def test_the_list_says_which_aiosmtpd_it_was_checked_against():
    assert aiosmtpd.__version__ == internals.CHECKED_AGAINST, (
        f"aiosmtpd {aiosmtpd.__version__} is installed: check every name of internals.py against it, "
        "then record its version there"
    )


def test_aiosmtpd_private_names_are_used_in_the_engine_only_and_all_listed():
    private = aiosmtpd_private_names()
    listed = set(internals.METHODS) | set(internals.ATTRIBUTES)
    wrong = []
    for path in sorted(PACKAGE.rglob("*.py")):
        in_engine = ENGINE in path.parents
        tree = ast.parse(path.read_text(encoding="utf-8"))
        theirs = private if in_engine else private - own_names(tree)
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and node.attr in theirs:
                where = f"{path.relative_to(PACKAGE.parent)}:{node.lineno} {node.attr}"
                if not in_engine:
                    wrong.append(f"{where}: outside core/smtp/aiosmtpd_engine/")
                elif node.attr not in listed:
                    wrong.append(f"{where}: not listed in internals.py")
    assert not wrong, "\n".join(wrong)
