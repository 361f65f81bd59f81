"""Servers for behave scenarios: started on demand, always stopped at the end."""

from __future__ import annotations

from typing import Any

from ..core.api import SMTPServer

DEFAULT_TIMEOUT = 5.0
# ``behave -D smtp_maildir=mail`` keeps every scenario's mail on disk (see SMTPServer).
STORAGE_USERDATA = {"maildir": "smtp_maildir", "mbox": "smtp_mbox", "latest": "smtp_latest"}


def use_smtp_server(context: Any, port: int = 0, **options: Any) -> SMTPServer:
    """Start an SMTP server for the running scenario and return it.

    The server is stopped when the scenario ends, passed or failed: the
    cleanup is registered before the server starts, so even a failed start
    leaves nothing behind. ``context.smtp_server`` and ``context.smtp_port``
    hold the server and its port. ``maildir``, ``mbox`` and ``latest``
    default to the userdata ``smtp_maildir``, ``smtp_mbox`` and ``smtp_latest``.
    """
    for option, name in STORAGE_USERDATA.items():
        value = context.config.userdata.get(name)
        if value and option not in options:
            options[option] = value
    server = SMTPServer(port=port, **options)
    context.add_cleanup(server.stop)
    server.start()
    context.smtp_server = server
    context.smtp_port = server.port
    return server


def smtp_timeout(context: Any) -> float:
    """Seconds a step waits for mail: ``-D smtp_timeout=2`` on the command line, else 5."""
    value = context.config.userdata.get("smtp_timeout", DEFAULT_TIMEOUT)
    try:
        return float(value)
    except ValueError:
        raise ValueError(f"userdata smtp_timeout must be a number of seconds, got {value!r}.") from None
