"""SMTPLibrary's keywords through Robot Framework's remote library interface (XML-RPC).

``smtplibrary remote`` serves :class:`RemoteLibrary` with ``robotremoteserver``.
It wraps the very library class a local suite imports; what it adds is what
XML-RPC leaves out:

* Arguments arrive as plain strings, numbers and lists, and the remote server
  runs no argument conversion: they are converted here from the keywords'
  type hints, with Robot Framework's own converter, so ``timeout=2 s`` works
  and a bad value fails with the message a local run gives. A type Robot
  has no converter for (``message: ReceivedMessage``) is passed on as it
  came, as Robot does locally: the content keywords take the dictionary a
  remote keyword returned for a message.
* Return values must be XML-RPC values: a received message, an attachment,
  a transcript session, the results of the message checks and a DKIM key
  become dictionaries with the same fields (see :mod:`SMTPLibrary.core.mail.fields`
  and each value's ``as_fields``), and ``None``, which XML-RPC cannot carry,
  an empty string.
* What keywords log reaches the calling suite's log: Robot is not running in
  the server process, so log calls are relayed to standard output in Robot's
  ``*LEVEL*`` syntax, which the remote server hands back with the result.
"""

from __future__ import annotations

import inspect
import os
import re
import typing
from collections.abc import Callable
from html import escape
from pathlib import Path
from typing import Any

from robot.api import TypeInfo
from robot.api import logger as robot_logger

from .core import Attachment, ReceivedMessage, ServerError, checks
from .core.mail import attachment_fields, message_fields
from .core.smtp import DEFAULT_HOST, Session, cannot_listen
from .keywords.converters import CONVERTERS
from .library import SMTPLibrary

# XML 1.0 has no way to write these, not even escaped.
_NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def to_remote(value: Any) -> Any:
    """``value`` as XML-RPC carries it: every received message, attachment, transcript session,
    authentication result, problem and DKIM key turned into its dictionary (the fields of
    :mod:`SMTPLibrary.core.mail.fields`, or the value's ``as_fields``), ``None`` into an empty
    string, and in every text the characters XML 1.0 cannot hold (control characters other than
    tab and line ends) replaced by U+FFFD. Bytes (``raw``, an attachment's ``content``) travel
    as they are."""
    if isinstance(value, ReceivedMessage):
        return to_remote(message_fields(value))
    if isinstance(value, Attachment):
        return to_remote(attachment_fields(value))
    if isinstance(value, (Session, checks.Authentication, checks.DKIMKey, checks.Problem)):
        return to_remote(value.as_fields())
    if value is None:
        return ""
    if isinstance(value, dict):
        return {xml_safe(str(key)): to_remote(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_remote(item) for item in value]
    if isinstance(value, str):
        return xml_safe(value)
    return value


def xml_safe(text: str) -> str:
    return _NOT_IN_XML.sub("\ufffd", text)


class _Keyword:
    """One keyword method, with what converting its arguments takes."""

    def __init__(self, method: Callable[..., Any]) -> None:
        self.method = method
        self.signature = inspect.signature(method)
        hints = typing.get_type_hints(method)
        self.types = {name: TypeInfo.from_type_hint(hint) for name, hint in hints.items() if name != "return"}

    def run(self, args: list[Any], kwargs: dict[str, Any]) -> Any:
        bound = self.signature.bind(*args, **kwargs)
        for name, value in bound.arguments.items():
            if name in self.types:
                try:
                    # Raises ValueError("Argument 'timeout' got value ..."), as a local run reports it.
                    bound.arguments[name] = self.types[name].convert(value, name=name, custom_converters=CONVERTERS)
                except TypeError:
                    # No converter for the type (ReceivedMessage): Robot's own argument
                    # conversion passes such a value on as it is, and so does this.
                    pass
        return self.method(*bound.args, **bound.kwargs)

    def argument_spec(self) -> list[str]:
        spec = []
        for parameter in self.signature.parameters.values():
            if parameter.kind is parameter.VAR_POSITIONAL:
                spec.append(f"*{parameter.name}")
            elif parameter.kind is parameter.VAR_KEYWORD:
                spec.append(f"**{parameter.name}")
            elif parameter.default is parameter.empty:
                spec.append(parameter.name)
            else:
                spec.append(f"{parameter.name}={parameter.default}")
        return spec


class RemoteLibrary:
    """Robot's dynamic library API over an :class:`SMTPLibrary`, for ``robotremoteserver``.

    The remote server does not see the calling suite's tests, so nothing is
    reset or stopped by itself (``auto_reset=none``); servers live until a
    keyword stops them or the remote server stops.
    """

    def __init__(self, library: SMTPLibrary | None = None) -> None:
        self.library = library if library is not None else SMTPLibrary(auto_reset="none")
        self._keywords: dict[str, _Keyword] = {}
        for attribute in dir(type(self.library)):
            method = getattr(self.library, attribute)
            name = getattr(method, "robot_name", None)
            if name and callable(method):
                self._keywords[name] = _Keyword(method)

    def get_keyword_names(self) -> list[str]:
        return sorted(self._keywords)

    def run_keyword(self, name: str, args: list[Any], kwargs: dict[str, Any] | None = None) -> Any:
        with _LogRelay():
            try:
                return to_remote(self._keywords[name].run(list(args), dict(kwargs or {})))
            except Exception as error:
                # A failure quoting a subject with a control character must still reach the suite.
                if error.args and isinstance(error.args[0], str):
                    error.args = (xml_safe(error.args[0]), *error.args[1:])
                raise

    def get_keyword_arguments(self, name: str) -> list[str]:
        if name == "__init__":
            return []
        return self._keywords[name].argument_spec()

    def get_keyword_documentation(self, name: str) -> str:
        if name == "__intro__":
            return inspect.getdoc(type(self.library)) or ""
        if name == "__init__":
            return ""
        return inspect.getdoc(self._keywords[name].method) or ""

    def get_keyword_tags(self, name: str) -> list[str]:
        return []

    def close(self) -> None:
        self.library.stop_all_smtp_servers()


class _LogRelay:
    """Writes what keywords log to standard output, in the ``*LEVEL*`` syntax Robot reads
    from a keyword's output, for as long as a keyword runs.

    Outside a Robot run, ``robot.api.logger`` hands messages to Python's
    ``logging`` and forgets whether they are HTML; its ``write``, through which
    every level-specific function goes, is replaced meanwhile. Each message
    becomes one line, so nothing in it (a mail body, say) can start a line
    that Robot would read as a message of its own."""

    def __enter__(self) -> _LogRelay:
        self._original = robot_logger.write
        robot_logger.write = _write_to_stdout
        return self

    def __exit__(self, *exc_info: object) -> None:
        robot_logger.write = self._original


def _write_to_stdout(msg: object, level: str = "INFO", html: bool = False, console: bool | None = None) -> None:
    text = xml_safe(str(msg))
    if level == "HTML":
        level, html = "INFO", True
    elif level == "CONSOLE":
        level = "INFO"
    if level == "INFO":
        text = text if html else escape(text)
        print("*HTML* " + text.replace("\r", "&#13;").replace("\n", "&#10;"))
    else:
        # Robot reads HTML at INFO level only: other levels go as text, on one line.
        print(f"*{level}* " + " ".join(text.splitlines()))


def serve(
    host: str = DEFAULT_HOST,
    port: int = 0,
    port_file: Path | None = None,
    library: SMTPLibrary | None = None,
) -> None:
    """Serve the keywords at ``host:port`` until stopped by a signal or ``Stop Remote Server``.

    ``port`` 0 takes a free port. ``port_file`` gets the bound port once the
    server accepts connections (written whole, so a reader never sees half of
    it) and is removed when it stops. Every SMTP server started through it is
    stopped at the end.
    """
    try:
        from robotremoteserver import RobotRemoteServer
    except ImportError:
        raise ServerError(
            "The remote library server needs robotremoteserver, which is not installed: "
            "pip install 'robotframework-smtplibrary[remote]'."
        ) from None

    remote = RemoteLibrary(library)
    server = RobotRemoteServer(remote, host=host, port=port, serve=False)
    try:
        bound = server.activate()
    except OSError as error:
        remote.close()
        raise cannot_listen("the remote library server", host, port, error) from None
    try:
        if port_file is not None:
            _write_whole(port_file, f"{bound}\n")
        print(f"SMTPLibrary remote server listening on {host}:{bound}", flush=True)
        server.serve(log=False)
    finally:
        remote.close()
        if port_file is not None:
            port_file.unlink(missing_ok=True)


def _write_whole(path: Path, text: str) -> None:
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)
