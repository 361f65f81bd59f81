"""Every private name of aiosmtpd this engine uses, in one list, checked against aiosmtpd itself.

aiosmtpd 1.4 has no public way to reach these stages or to skip its costly
per-connection ``__init__``; pyproject.toml pins ``aiosmtpd>=1.4.6,<1.5``.
:func:`missing` finds the names an installed aiosmtpd no longer has, and
``utest/test_aiosmtpd_internals.py`` fails on it, and on any private aiosmtpd
name used in the package but not listed here.
"""

from __future__ import annotations

import asyncio

from aiosmtpd.smtp import SMTP

CHECKED_AGAINST = "1.4.6"

# Methods of aiosmtpd.smtp.SMTP: name -> why this engine reaches it.
METHODS = {
    "_call_handler_hook": "overridden: the fault rules of MAIL, RCPT and the end of DATA, before the handler's hook",
    "_create_session": "overridden: a Session whose deprecated login_data setter does not warn",
    "_getaddr": "overridden: the <local@domain> fast path of MAIL and RCPT",
    "_getparams": "overridden: MAIL parameters of an extension the server does not offer are refused (555)",
    "_set_post_data_state": "called: a DATA refused by a fault ends the transaction",
    "_cb_client_connected": "passed to StreamReaderProtocol when a connection copies its template (fastpath)",
}
# Attributes an SMTP instance has once built (or, for _reader/_writer, once connected).
ATTRIBUTES = {
    "_smtp_methods": "the command table: a refused greeting makes every command but QUIT answer 503",
    "_auth_methods": "the AUTH mechanisms: whether an AUTH command would be processed (its fault rules fire)",
    "_handle_hooks": "the handler's hooks: whether DATA has one (else the deprecated process_message)",
    "_original_transport": "the plain transport under STARTTLS: stopping aborts it too",
    "_decode_data": "DATA as aiosmtpd reads it: decoded or not",
    "_reader": "the stream DATA is read from in chunks",
    "_writer": "closed when the client leaves during DATA",
}


def missing() -> list[str]:
    """The listed names the installed aiosmtpd does not have (empty when all are there)."""
    absent = [name for name in METHODS if not callable(getattr(SMTP, name, None))]
    loop = asyncio.new_event_loop()
    try:
        smtp = SMTP(object(), hostname="localhost", loop=loop)
        reader = asyncio.StreamReader(loop=loop)
        smtp._cb_client_connected(reader, object())
        absent += [name for name in ATTRIBUTES if name not in vars(smtp)]
    finally:
        loop.close()
    return absent
