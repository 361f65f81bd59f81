"""Servers for behave scenarios: started on demand, always stopped at the end."""

from __future__ import annotations

from typing import Any

from ..core import DEFAULT_TIMEOUT, InvalidArgument, ServerOptions, SMTPServer
from ..core.checks import TestDNS
from ..core.runs import reset_for_next_test
from ..core.values import seconds

# A feature with this tag shares one server between its scenarios.
PER_FEATURE_TAG = "smtp.per_feature"
_FEATURE_SERVER = "_smtplibrary_server"
# ``behave -D smtp_maildir=mail`` keeps every scenario's mail on disk (see SMTPServer).
STORAGE_USERDATA = {"maildir": "smtp_maildir", "mbox": "smtp_mbox", "latest": "smtp_latest"}


def use_smtp_server(context: Any, port: int = 0, **options: Any) -> SMTPServer:
    """Start an SMTP server for the running scenario and return it.

    ``options`` are those of :class:`~SMTPLibrary.SMTPServer`: the arguments
    of the Robot keyword Start SMTP Server, all but ``alias`` (a scenario has
    one server).

    The server is stopped when the scenario ends, passed or failed: the
    cleanup is registered before the server starts, so even a failed start
    leaves nothing behind. ``context.smtp_server`` and ``context.smtp_port``
    hold the server and its port. ``maildir``, ``mbox`` and ``latest``
    default to the userdata ``smtp_maildir``, ``smtp_mbox`` and ``smtp_latest``.

    In a feature tagged ``@smtp.per_feature`` the first call starts the
    server for the whole feature, stopped when the feature ends; later calls,
    in later scenarios, return that server with an empty mailbox, and fail
    (naming the difference) when they ask for other options than it has.
    """
    for option, name in STORAGE_USERDATA.items():
        value = context.config.userdata.get(name)
        if value and option not in options:
            options[option] = value
    feature = getattr(context, "feature", None)
    if feature is not None and PER_FEATURE_TAG in feature.tags:
        return _use_feature_server(context, feature, port, **options)
    server = SMTPServer(port=port, **options)
    context.add_cleanup(server.stop)
    server.start()
    context.smtp_server = server
    context.smtp_port = server.port
    return server


def _use_feature_server(context: Any, feature: Any, port: int, **options: Any) -> SMTPServer:
    server = getattr(feature, _FEATURE_SERVER, None)
    if server is None:
        server = SMTPServer(port=port, **options)

        def stop() -> None:
            setattr(feature, _FEATURE_SERVER, None)
            server.stop()

        context.add_cleanup(stop, layer="feature")
        server.start()
        setattr(feature, _FEATURE_SERVER, server)
    else:
        if port and port != server.port:
            raise InvalidArgument(
                f"The SMTP server of this feature (@{PER_FEATURE_TAG}) runs on {server.address}: "
                f"it cannot move to port {port} in another scenario."
            )
        _check_same_options(server, ServerOptions.build({"port": server.options.port, **options}))
        server.check()
        reset_for_next_test(server)
    context.smtp_server = server
    context.smtp_port = server.port
    return server


def _check_same_options(server: SMTPServer, asked: ServerOptions) -> None:
    """Fail, naming each difference, when a later scenario asks for another server than the feature's:
    handing it the feature's server would test something else than the scenario says."""
    started = server.options
    differences = started.differences(asked)
    if not differences:
        return

    def described(options: ServerOptions) -> str:
        return ", ".join(f"{name}={_shown(name, getattr(options, name))}" for name in differences)

    raise InvalidArgument(
        f"The SMTP server of this feature (@{PER_FEATURE_TAG}) on {server.address} has {described(started)}, "
        f"but this scenario asks for {described(asked)}. The scenarios of the feature share one server: "
        "start it the same way in each (in the Background), or remove the tag."
    )


def _shown(name: str, value: Any) -> str:
    # Passwords are never shown, in failures least of all.
    return "'********'" if name == "credentials" and value is not None else repr(value)


def use_test_dns(context: Any) -> TestDNS:
    """The test DNS of the running scenario, ``context.smtp_dns``, made by the first step that needs it.

    Each scenario starts without records (a ``Background`` publishes them again for each
    one), as it starts with an empty mailbox."""
    dns = getattr(context, "smtp_dns", None)
    if dns is None:
        dns = context.smtp_dns = TestDNS()
    return dns


def smtp_timeout(context: Any) -> float:
    """Seconds a step waits for mail: ``-D smtp_timeout=2`` (or ``"2 s"``, ``500ms``) on the command line, else 5."""
    value = context.config.userdata.get("smtp_timeout", DEFAULT_TIMEOUT)
    try:
        return seconds(value, "smtp_timeout")
    except InvalidArgument:
        raise InvalidArgument(
            f"userdata smtp_timeout must be a time, 0 or more, such as -D smtp_timeout=2.5 or -D smtp_timeout=500ms; "
            f"got {value!r}."
        ) from None
