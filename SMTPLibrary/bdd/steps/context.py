"""What the steps keep on behave's context, how they get at it, and how they are registered."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import behave

from ...core import MessageNotReceived, NoServer, ReceivedMessage, SMTPLibraryError, SMTPServer
from ...core.report import render
from ...core.smtp import Faults

Step = Callable[..., None]


class StepFailed(SMTPLibraryError, AssertionError):
    """What an SMTPLibrary error becomes when a step raises it: behave prints an assertion
    failure as its message alone, and any other exception with a traceback."""


def _message_only(step: Step) -> Step:
    """``step``, failing with the message alone when it raises an SMTPLibrary error that is no
    assertion (no server, a port in use, a bad argument): those messages say what to do, and a
    traceback of the library's frames would only bury them. The original error is the cause
    (``behave --verbose`` shows it)."""

    @functools.wraps(step)
    def run(context: Any, *args: Any, **kwargs: Any) -> None:
        try:
            step(context, *args, **kwargs)
        except SMTPLibraryError as error:
            if isinstance(error, AssertionError):
                raise
            raise StepFailed(str(error)) from error

    return run


def _registering(register: Callable[[str], Callable[[Step], Step]]) -> Callable[[str], Callable[[Step], Step]]:
    def decorator(pattern: str) -> Callable[[Step], Step]:
        def add(step: Step) -> Step:
            register(pattern)(_message_only(step))
            return step  # unwrapped: stacked decorators each register the step once

        return add

    return decorator


# behave's step decorators, for the library's steps (see _message_only).
given = _registering(behave.given)
when = _registering(behave.when)
then = _registering(behave.then)


def faults_cleared(context: Any) -> Faults:
    """The scenario server's fault rules, cleared when the scenario ends, whoever owns the server."""
    faults = current_server(context).faults
    context.add_cleanup(faults.clear)
    return faults


def current_server(context: Any) -> SMTPServer:
    server = getattr(context, "smtp_server", None)
    if server is None:
        raise NoServer('No SMTP server is running in this scenario: add the step "Given an SMTP server is running".')
    server.check()
    return server


def last_message(context: Any) -> ReceivedMessage:
    message = getattr(context, "smtp_message", None)
    if message is None:
        raise AssertionError(
            'No message has been found yet: a step like "Then a message to "..." should be received" must come first.'
        )
    return message


def attach_message(context: Any, message: ReceivedMessage, misses: list[str] | None = None) -> None:
    """Attach the message's card (and the message itself, as an .eml) to the report of the running
    step, for the formatters that keep attachments (behave's ``json``); the others ignore it."""
    context.attach("text/html", render(message, misses=misses or ()).encode("utf-8"))
    context.attach("message/rfc822", message.raw)


def attach_nearest(context: Any, failure: MessageNotReceived) -> None:
    """Attach the cards of the messages a failed wait found closest, as its failure lists them."""
    for message, misses in failure.closest:
        attach_message(context, message, misses)
