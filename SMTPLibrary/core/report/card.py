"""A message as an HTML card for test reports: envelope, headers, text, the HTML
part rendered, attachments, links, problems, the results of the checks that ran
on it, and a link to the saved ``.eml``.

Everything from the message is escaped. The HTML part is only ever shown
inside ``<iframe sandbox srcdoc=...>``: an empty ``sandbox`` runs no script,
submits no form, opens no window and cannot navigate the report; the Content
Security Policy put first in the frame's document loads nothing from the
network (inline images of the mail are embedded as ``data:`` URLs instead);
``<meta http-equiv>`` of the mail is disabled so it cannot refresh the frame
to a remote address.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Sequence
from html import escape
from urllib.parse import unquote

from ..checks import Authentication, Problem
from ..mail import Attachment, ReceivedMessage, content_of
from ..mailbox import summary
from ..wording import peer_address, plural
from .checks import authentication_section, problems_section

FRAME_POLICY = (
    "default-src 'none'; img-src data:; style-src 'unsafe-inline'; font-src data:; "
    "form-action 'none'; base-uri 'none'; frame-src 'none'"
)
SHOWN_SOURCE_BYTES = 64 * 1024
EMBEDDED_IMAGE_BYTES = 512 * 1024
EMBEDDED_TOTAL_BYTES = 2 * 1024 * 1024

# One style sheet per card, scoped by its class: cards are pasted into reports one by one.
_STYLE = (
    "<style>"
    ".smtplibrary-message{border:1px solid #ccc;border-radius:4px;padding:.3em .6em;margin:.3em 0}"
    ".smtplibrary-message table{border-collapse:collapse;margin:.3em 0}"
    ".smtplibrary-message th,.smtplibrary-message td{text-align:left;vertical-align:top;padding:0 1em 0 0}"
    ".smtplibrary-message th{white-space:nowrap}"
    ".smtplibrary-message pre{white-space:pre-wrap;word-break:break-word;margin:.3em 0;max-height:30em;overflow:auto}"
    ".smtplibrary-message h4{margin:.6em 0 .2em;font-size:1em}"
    ".smtplibrary-message .bad{color:#b00}"
    ".smtplibrary-message ul,.smtplibrary-message ol{margin:0}"
    ".smtplibrary-message iframe{width:100%;height:24em;border:1px solid #ddd;resize:vertical;background:#fff}"
    "</style>"
)


def render(
    message: ReceivedMessage,
    eml_href: str | None = None,
    misses: Sequence[str] = (),
    open_: bool = True,
    *,
    authentication: Authentication | None = None,
    problems: Sequence[Problem] | None = None,
) -> str:
    """The card of ``message``. ``eml_href`` links the saved message; ``misses`` say why it did not match;
    ``authentication`` and ``problems`` are the results of the message checks that ran on it."""
    content = content_of(message)
    attachments = content.attachments
    facts = [plural(len(attachments), "attachment")] if attachments else []
    facts.append(plural(message.size, "byte", spec=","))
    parts = [
        _STYLE,
        f"<details{' open' if open_ else ''} class='smtplibrary-message'>",
        f"<summary><b>Message #{message.seq}</b>: {escape(summary(message))} ({', '.join(facts)})</summary>",
    ]
    if misses:
        items = "".join(f"<li>{escape(miss)}</li>" for miss in misses)
        parts.append(f"<h4 class='bad'>Did not match</h4><ul>{items}</ul>")
    headers = message.headers.items_all()
    parts.append(
        _table(envelope_rows(message) + [(name, value) for name, value in headers if name.lower() in SHOWN_HEADERS])
    )
    parts.append(f"<details><summary>All headers ({len(headers)})</summary>{_table(headers)}</details>")
    if authentication is not None:
        parts.append(authentication_section(authentication))
    if problems is not None:
        parts.append(problems_section(problems))
    decoding = content.all_problems()
    if decoding:
        items = "".join(f"<li>{escape(problem)}</li>" for problem in decoding)
        parts.append(f"<h4 class='bad'>Problems</h4><ul>{items}</ul>")
    if content.text is not None:
        parts.append(f"<h4>Text</h4><pre>{escape(content.text)}</pre>")
    if content.html is not None:
        parts.append(f"<h4>HTML</h4>{frame(content.html, attachments)}")
    if attachments:
        parts.append("<h4>Attachments</h4>")
        parts.append(_table([attachment_row(attachment) for attachment in attachments], head=_ATTACHMENT_HEAD))
    links = content.links
    if links:
        # Shown as text, never as live links: a click in the report must not open what the mail points to.
        items = "".join(f"<li><code>{escape(link)}</code></li>" for link in links)
        parts.append(f"<h4>Links</h4><ol>{items}</ol>")
    parts.append(_source(message))
    if eml_href:
        parts.append(f"<p><a href='{escape(eml_href)}'>Download the message (.eml)</a></p>")
    parts.append("</details>")
    return "".join(parts)


def frame(html: str, attachments: Sequence[Attachment] = ()) -> str:
    """``html`` inside a sandboxed frame that runs nothing and loads nothing from the network."""
    document = (
        f'<meta http-equiv="Content-Security-Policy" content="{FRAME_POLICY}">'
        '<meta name="referrer" content="no-referrer">' + _embed_inline_images(_disable_meta(html), attachments)
    )
    return f'<iframe sandbox="" srcdoc="{escape(document, quote=True)}" title="HTML part"></iframe>'


def _disable_meta(html: str) -> str:
    # Renaming the attribute wherever it is written disables every <meta http-equiv> (refresh above
    # all, which sandbox and CSP leave allowed), however the tag is spelled.
    return re.sub("http-equiv", "data-disabled-http-equiv", html, flags=re.IGNORECASE)


def _embed_inline_images(html: str, attachments: Sequence[Attachment]) -> str:
    images = {
        attachment.content_id.lower(): attachment
        for attachment in attachments
        if attachment.content_id and attachment.content_type.startswith("image/")
    }
    if not images or "cid:" not in html.lower():
        return html
    budget = EMBEDDED_TOTAL_BYTES

    def as_data(match: re.Match[str]) -> str:
        nonlocal budget
        attachment = images.get(unquote(match.group(1)).lower())
        if attachment is None or attachment.size > min(EMBEDDED_IMAGE_BYTES, budget):
            return match.group(0)
        budget -= attachment.size
        return f"data:{attachment.content_type};base64,{base64.b64encode(attachment.content).decode('ascii')}"

    return re.sub(r"""cid:([^"'\s)>]+)""", as_data, html, flags=re.IGNORECASE)


def envelope_rows(message: ReceivedMessage) -> list[tuple[str, str]]:
    """How the message arrived, as ``(label, value)`` rows: envelope, client, TLS, login."""
    rows = [
        ("Envelope from", message.sender or "<>"),
        ("Envelope to", ", ".join(message.recipients)),
    ]
    peer = message.peer
    if peer:
        rows.append(("Client", peer_address(peer) or str(peer)))
    if message.helo:
        rows.append(("HELO", message.helo))
    if message.timestamp:
        rows.append(("Received", message.received_at.isoformat(timespec="milliseconds")))
    if message.tls:
        tls = message.tls
        rows.append(("TLS", f"{tls.get('version')}, {tls.get('cipher')} ({tls.get('mode')})"))
    if message.authenticated_as is not None:
        rows.append(("Logged in as", message.authenticated_as))
    return rows


_ATTACHMENT_HEAD = ("Name", "Type", "Size", "")
# Shown at once under the envelope; every header is one click away.
SHOWN_HEADERS = ("from", "to", "cc", "reply-to", "subject", "date")


def attachment_row(attachment: Attachment) -> tuple[str, ...]:
    """Name, type, size and notes (inline, Content-ID, not decoded) of an attachment."""
    notes = []
    if attachment.inline:
        notes.append("inline")
    if attachment.content_id:
        notes.append(f"Content-ID <{attachment.content_id}>")
    if not attachment.decoded:
        notes.append("raw bytes: could not be decoded")
    return (
        attachment.filename or "(no name)",
        attachment.content_type,
        plural(attachment.size, "byte", spec=","),
        ", ".join(notes),
    )


def _table(rows: Sequence[Sequence[str]], head: Sequence[str] = ()) -> str:
    header = "<tr>" + "".join(f"<th>{escape(cell)}</th>" for cell in head) + "</tr>" if head else ""
    body = "".join(
        f"<tr><th>{escape(row[0])}</th>" + "".join(f"<td>{escape(cell)}</td>" for cell in row[1:]) + "</tr>"
        for row in rows
    )
    return f"<table>{header}{body}</table>"


def _source(message: ReceivedMessage) -> str:
    raw = message.raw
    shown = raw[:SHOWN_SOURCE_BYTES].decode("utf-8", "replace").replace("\r\n", "\n")
    more = len(raw) - SHOWN_SOURCE_BYTES
    cut = f"\n[... {plural(more, 'more byte', spec=',')} in the .eml]" if more > 0 else ""
    size = plural(len(raw), "byte", spec=",")
    return f"<details><summary>Source ({size})</summary><pre>{escape(shown + cut)}</pre></details>"
