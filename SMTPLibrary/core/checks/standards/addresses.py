"""Checks of the address fields: From and the others parse as addresses, several authors need
a Sender, no Bcc reaches a recipient, and the From domain aligns with an authenticated domain."""

from __future__ import annotations

import email.errors
from collections.abc import Iterator

from ..domains import address_domain, aligned, field_domains
from ..raw import parse_field, unfolded
from .fields import defects_text, is_encoded_word_defect, shown
from .message import Message, Problem, problem

ADDRESS_FIELDS = frozenset(
    name.lower()
    for name in (
        "From", "Sender", "Reply-To", "To", "Cc", "Bcc",
        "Resent-From", "Resent-Sender", "Resent-To", "Resent-Cc", "Resent-Bcc",
    )
)  # fmt: skip


def check(message: Message) -> Iterator[Problem]:
    yield from _addresses(message)
    yield from _bcc(message)
    yield from _alignment(message)


def _syntax_defects(defects: list, smtputf8: bool | None) -> list:
    """The defects that say an address is malformed: encoded words are another check's, and
    non-ASCII local parts are allowed with SMTPUTF8."""
    return [
        defect
        for defect in defects
        if not is_encoded_word_defect(defect)
        and not (smtputf8 is not False and isinstance(defect, email.errors.NonASCIILocalPartDefect))
    ]


def _addresses(message: Message) -> Iterator[Problem]:
    smtputf8 = message.envelope.smtputf8
    authors = 0
    for key, value in message.parsed.raw_items():
        name = key.lower()
        if name not in ADDRESS_FIELDS:
            continue
        header = parse_field(key, unfolded(value, smtputf8))
        defects = _syntax_defects(header.defects, smtputf8)
        addresses = [address for address in header.addresses if address.addr_spec]
        if name == "from":
            authors += len(header.addresses)
            if not any(address.domain for address in addresses):
                yield problem("header.from.syntax", key, f"From holds no mailbox with a domain: {shown(header)}")
                continue
        if defects:
            text = f"{key} cannot be read as addresses ({defects_text(defects)}): {shown(header)}"
            yield problem("header.address.syntax", key, text)
    if len(message.header_values("From")) == 1 and authors > 1 and not message.header_values("Sender"):
        text = f"From names {authors} mailboxes, so a Sender field is required"
        yield problem("header.sender.missing", "Sender", text)


def _bcc(message: Message) -> Iterator[Problem]:
    if not message.envelope.delivered:
        return
    for value in message.header_values("Bcc"):
        header = parse_field("Bcc", unfolded(value, message.envelope.smtputf8))
        blind = [address.addr_spec for address in header.addresses if address.addr_spec]
        if blind:
            text = f"the delivered message lists blind-copy recipients: {', '.join(blind)}"
            yield problem("header.bcc", "Bcc", text)


def _alignment(message: Message) -> Iterator[Problem]:
    values = message.header_values("From")
    if len(values) != 1:
        return
    domains = sorted(set(field_domains("From", values[0], message.envelope.smtputf8)))
    if len(domains) != 1:
        return
    from_domain = domains[0]
    signers = [signature.get("d", "") for signature in message.dkim_signatures]
    if any(aligned(from_domain, signer) for signer in signers):
        return
    known = message.envelope.smtputf8 is not None
    if not known and not signers:
        return  # a message from a file: no envelope, no signature to compare with
    envelope_domain = address_domain(message.envelope.sender)
    if known and aligned(from_domain, envelope_domain):
        return
    envelope_text = (envelope_domain or "none: the null reverse path") if known else "unknown"
    yield problem(
        "header.from.unaligned",
        "From",
        f"From domain {from_domain} aligns with neither the envelope sender's domain ({envelope_text}) "
        f"nor a DKIM d= ({', '.join(s for s in signers if s) or 'none'}): DMARC cannot pass",
    )
