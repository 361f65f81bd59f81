"""Bulk-sender checks: one-click unsubscription (RFC 8058) for mail marked bulk or sent to a list."""

from __future__ import annotations

from collections.abc import Iterator

from .message import Message, Problem, problem

ONE_CLICK = "List-Unsubscribe=One-Click"
_BULK_PRECEDENCE = ("bulk", "list")


def is_bulk(message: Message) -> str:
    """Why the message counts as bulk ('' when it does not)."""
    if message.envelope.bulk:
        return "the test marks it bulk"
    if message.header_values("List-Id"):
        return "it has List-Id"
    for value in message.header_values("Precedence"):
        if value.strip().lower() in _BULK_PRECEDENCE:
            return f"it has Precedence: {value.strip()}"
    return ""


def uris(value: str) -> list[str]:
    """The URIs of an RFC 2369 list field: ``<https://...>, <mailto:...>`` -> ``['https://...', 'mailto:...']``."""
    found = []
    rest = "".join(value.splitlines())
    while "<" in rest:
        start = rest.index("<")
        end = rest.find(">", start)
        if end < 0:
            break
        found.append("".join(rest[start + 1 : end].split()))
        rest = rest[end + 1 :]
    return found


def check(message: Message) -> Iterator[Problem]:
    why = is_bulk(message)
    if not why:
        return
    unsubscribe = message.header_values("List-Unsubscribe")
    if not unsubscribe:
        yield problem(
            "bulk.list-unsubscribe.missing", "List-Unsubscribe", f"bulk mail ({why}) without List-Unsubscribe"
        )
        return
    links = [uri for value in unsubscribe for uri in uris(value)]
    if not any(uri.lower().startswith("https://") for uri in links):
        shown = ", ".join(links) if links else "no <URI>"
        yield problem("bulk.list-unsubscribe.https", "List-Unsubscribe", f"List-Unsubscribe has no https URI ({shown})")
    post = [" ".join(value.split()) for value in message.header_values("List-Unsubscribe-Post")]
    if post != [ONE_CLICK]:
        found = "missing" if not post else " | ".join(repr(value) for value in post)
        yield problem(
            "bulk.list-unsubscribe-post",
            "List-Unsubscribe-Post",
            f"List-Unsubscribe-Post: {ONE_CLICK} expected, found {found}",
        )
    elif not any(_covers(signature.get("h", "")) for signature in message.dkim_signatures):
        yield problem(
            "bulk.list-unsubscribe.unsigned",
            "DKIM-Signature",
            "no DKIM signature covers List-Unsubscribe and List-Unsubscribe-Post (h=)",
        )


def _covers(signed: str) -> bool:
    names = {name.strip().lower() for name in signed.split(":")}
    return {"list-unsubscribe", "list-unsubscribe-post"} <= names
