"""Project-only steps: Python's imaplib and poplib read the scenario's mail, as an application
that reads mail would, on context.imap_port and context.pop3_port."""

from __future__ import annotations

import imaplib
import poplib

from behave import when


def _imap(context, address: str) -> imaplib.IMAP4:
    client = imaplib.IMAP4("127.0.0.1", context.imap_port, timeout=10)
    client.login(address, address)
    client.select("INBOX")
    return client


@when('an application reads the mail of "{address}" over IMAP')
def step_read_imap(context, address):
    client = _imap(context, address)
    client.fetch("1:*", "(RFC822)")
    client.logout()


@when('an application files the mail of "{address}" into "{folder}" over IMAP')
def step_file_imap(context, address, folder):
    client = _imap(context, address)
    client.create(folder)
    typ, data = client.uid("MOVE", "1:*", folder)
    assert typ == "OK", data
    client.logout()


@when('an application reads the mail of "{address}" over POP3')
def step_read_pop3(context, address):
    client = poplib.POP3("127.0.0.1", context.pop3_port, timeout=10)
    client.user(address)
    client.pass_(address)
    count, _ = client.stat()
    for number in range(1, count + 1):
        client.retr(number)
    client.quit()
