"""State shared by the keyword mixins: the servers and the default wait."""

from __future__ import annotations

import os
from datetime import timedelta
from html import escape
from pathlib import Path

from robot.api import logger
from robot.libraries.BuiltIn import BuiltIn, RobotNotRunningError

from ..core import MessageNotReceived, ReceivedMessage, SMTPServer
from ..core.mail import eml_name, save_message
from ..core.mailbox import CRITERIA_NAMES, Criteria
from ..core.report import render
from ..core.runs import Isolation, ServerRegistry
from ..core.smtp import Session
from ..core.values import seconds
from ..core.wording import plural

LOGGED_MESSAGES = 10
# Where the cards' .eml files go, under ${OUTPUT DIR}: a name of their own, so that no
# folder a test uses (a Maildir at ${OUTPUT DIR}/maildir, say) ever receives them.
EML_FOLDER = "smtplibrary-mail"


class LibraryContext:
    def __init__(self, timeout: timedelta, auto_reset: str = "test") -> None:
        self.servers = ServerRegistry()
        self.timeout = timeout
        self.isolation = Isolation(self.servers, auto_reset)
        self._eml_places_cache: tuple[object, tuple[Path, Path] | None] | None = None

    def server(self, alias: str | None = None) -> SMTPServer:
        """The current server (or the one called ``alias``), after reporting any
        error its thread met since the last keyword."""
        server = self.servers.get(alias)
        server.check()
        return server

    @staticmethod
    def criteria(arguments: dict) -> Criteria:
        """The criteria among a keyword's arguments (pass its ``locals()``): those named as criteria.
        A ``pattern`` that reads as another argument (``to=...``) is refused, naming the keyword's arguments."""
        return Criteria.from_strings(
            arguments=[name for name in arguments if name != "self"],
            **{name: value for name, value in arguments.items() if name in CRITERIA_NAMES},
        )

    @staticmethod
    def log_matches(criteria: Criteria, messages: list[ReceivedMessage]) -> None:
        """Say when a criterion held only through a part of an address, and when a value that is not a
        valid regular expression matched nothing: the test may be finding, or missing, the wrong mail."""
        for message in messages[:LOGGED_MESSAGES]:
            for note in criteria.partial_matches(message):
                logger.info(f"Message #{message.seq}: {note}.")
        if not messages:
            for problem in criteria.regexp_problems():
                logger.info(problem)

    def seconds(self, timeout: timedelta | None) -> float:
        return seconds(self.timeout if timeout is None else timeout)

    def log_messages(self, messages: list[ReceivedMessage]) -> None:
        for message in messages[:LOGGED_MESSAGES]:
            logger.info(render(message, self.save_for_log(message)), html=True)
        if len(messages) > LOGGED_MESSAGES:
            logger.info(f"... and {plural(len(messages) - LOGGED_MESSAGES, 'more message')}.")

    def log_sessions(self, sessions: list[Session]) -> None:
        """The transcript's sessions, each in a block of its own."""
        if not sessions:
            logger.info("No SMTP session recorded.")
        for session in sessions:
            logger.info(f"<pre>{escape(str(session))}</pre>", html=True)

    def log_nearest(self, failure: MessageNotReceived) -> None:
        """The cards of the messages a failed wait found closest, closest first, each with its misses."""
        for message, misses in failure.closest:
            logger.info(render(message, self.save_for_log(message), misses), html=True)

    def _eml_places(self) -> tuple[Path, Path] | None:
        """``(folder for .eml files, folder of the log)`` of this Robot run, or ``None``
        when there is no log to link from. Asked once per run: the output directory
        and the log file do not change while it runs."""
        try:
            builtin = BuiltIn()
            output_dir = builtin.get_variable_value("${OUTPUT DIR}")
        except RobotNotRunningError:
            return None
        cached = self._eml_places_cache
        if cached is not None and cached[0] == output_dir:
            return cached[1]
        log_file = str(builtin.get_variable_value("${LOG FILE}", "NONE"))
        places: tuple[Path, Path] | None
        if log_file.upper() != "NONE":
            places = (Path(str(output_dir)) / EML_FOLDER, Path(log_file).parent)
        elif builtin.get_variable_value("${PABOTQUEUEINDEX}") is not None:
            places = (Path(str(output_dir)) / EML_FOLDER, Path(str(output_dir)).parent.parent)
        else:
            places = None
        self._eml_places_cache = (output_dir, places)
        return places

    def save_for_log(self, message: ReceivedMessage) -> str | None:
        """Save ``message`` under ``${OUTPUT DIR}/smtplibrary-mail/`` and return its address relative to the log file.

        ``None`` outside a Robot run, without a log file (``--log NONE``: no
        one to link it) or when it cannot be written: the card is logged
        without its download link rather than failing the keyword. Under
        pabot, whose processes run without a log of their own, the link is
        relative to the combined log pabot writes two levels above them."""
        places = self._eml_places()
        if places is None:
            return None
        folder, log_dir = places
        path = folder / eml_name(message.seq, message.raw)
        try:
            if not path.exists():
                save_message(path, message.raw)
        except Exception as error:  # noqa: BLE001 - a report detail must not fail the test
            logger.warn(f"Could not save message #{message.seq} next to the log: {error}")
            return None
        try:
            return Path(os.path.relpath(path, log_dir)).as_posix()
        except ValueError:  # on another drive than the log (Windows): no relative path
            return path.resolve().as_uri()
