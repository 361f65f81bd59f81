"""Shortcuts past aiosmtpd's per-connection and per-command costs that change
nothing it does (see docs/performance.md for the profile behind each one).

* ``SMTP.__init__`` introspects the protocol and the handler on every
  connection (``inspect.getmembers``, ``dir``) to build its tables of command
  methods, AUTH mechanisms and handler hooks: about a fifth of a bare
  aiosmtpd's time per message. Those tables depend only on the classes and
  the server's arguments, so one fully initialised *template* per server
  holds them and each connection copies its state, with the template's bound
  methods rebound to the new connection.
* ``SMTP._getaddr`` runs the ``email`` package's full RFC 5322 parser (and
  builds a ``typing.Protocol`` class per call) for each ``MAIL FROM`` and
  ``RCPT TO``. For the everyday ``<local@domain>`` form, a regular
  expression gives the same result; everything else still goes to aiosmtpd.

Both depend on aiosmtpd internals, pinned to 1.4.x in pyproject.toml and
checked against aiosmtpd itself by utest/test_fastpath.py.
"""

from __future__ import annotations

import asyncio
import re
import types
from typing import Any

_MUTABLE = (list, set, dict)


def _rebind(value: Any, old: object, new: object) -> Any:
    """``value`` with methods bound to ``old`` bound to ``new`` instead; containers copied."""
    kind = type(value)
    if kind is types.MethodType:
        return types.MethodType(value.__func__, new) if value.__self__ is old else value
    if kind is dict:
        return {key: _rebind(item, old, new) for key, item in value.items()}
    if kind is list or kind is set:
        return kind(_rebind(item, old, new) for item in value)
    if isinstance(value, tuple) and hasattr(value, "_fields"):
        return kind(*(_rebind(item, old, new) for item in value))
    return value


def init_like(protocol: asyncio.StreamReaderProtocol, template: Any) -> None:
    """Initialise ``protocol`` as ``SMTP.__init__`` initialised ``template`` (same class,
    handler and arguments), without introspecting anything again.

    ``template`` must never have been connected: its state is the initial state.
    What ``SMTP.__init__`` logs or warns about its arguments is said once per
    server (when the template is built), not once per connection."""
    loop = template.loop
    asyncio.StreamReaderProtocol.__init__(
        protocol,
        asyncio.StreamReader(loop=loop, limit=template.line_length_limit),
        client_connected_cb=protocol._cb_client_connected,
        loop=loop,
    )
    # SMTP.__init__'s one side effect beyond the instance: the class-wide command size
    # limits, which EHLO raises, start afresh with each connection.
    protocol.command_size_limits.clear()
    own = protocol.__dict__
    shared, rebound = _plan(template, own)
    own.update(shared)
    state = template.__dict__
    for name in rebound:
        own[name] = _rebind(state[name], template, protocol)


def _plan(template: Any, initialised: dict) -> tuple[dict, list[str]]:
    """The template's attributes that a connection can share as they are (immutable
    and free of the template's methods, or named in the class's ``fastpath_shared``:
    state common to every connection of a server), and the names of those it must
    rebind or copy. Attributes that asyncio's ``StreamReaderProtocol.__init__`` sets
    are left out."""
    state = template.__dict__
    plan = state.get("_fastpath_plan")
    if plan is None:
        shared, rebound = {}, []
        common = getattr(template, "fastpath_shared", ())
        for name, value in state.items():
            if name in initialised:
                continue
            if name in common:
                shared[name] = value
            elif _rebind(value, template, _MARKER) == value and not isinstance(value, _MUTABLE):
                shared[name] = value
            else:
                rebound.append(name)
        plan = state["_fastpath_plan"] = (shared, rebound)
    return plan


_MARKER = object()


# RFC 5321/5322 dot-atoms of ASCII atext: the addresses nearly every client sends.
_ATEXT = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_DOT_ATOM = rf"{_ATEXT}(?:\.{_ATEXT})*"
_SIMPLE_PATH = re.compile(rf"<({_DOT_ATOM}@{_DOT_ATOM})>(?:[ \t]+([^ \t(].*))?", re.ASCII | re.DOTALL)


def simple_address(arg: str) -> tuple[str, str] | None:
    """``(address, parameters)`` of ``<local@domain> [params]`` in a MAIL or RCPT
    argument, as aiosmtpd's parser would give them; ``None`` for any other form."""
    match = _SIMPLE_PATH.fullmatch(arg)
    if match is None:
        return None
    return match.group(1), match.group(2) or ""
