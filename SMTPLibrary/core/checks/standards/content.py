"""Checks of what a reader sees: an HTML body without a text alternative, images without alt, HTML without lang."""

from __future__ import annotations

from collections.abc import Iterator
from email.message import EmailMessage
from html.parser import HTMLParser

from .charsets import codec
from .message import Message, Problem, problem

_SHOWN = 3


def check(message: Message) -> Iterator[Problem]:
    yield from _html_only(message)
    for part, path, content_type in message.parts:
        if content_type == "text/html" and not part.is_attachment():
            yield from _html(part, path)


def _html_only(message: Message) -> Iterator[Problem]:
    try:
        html = message.parsed.get_body(preferencelist=("html",))
        plain = message.parsed.get_body(preferencelist=("plain",))
    except Exception:  # noqa: BLE001 - a structure get_body cannot walk is reported by the MIME checks
        return
    if html is not None and plain is None:
        yield problem("content.html-only", "message", "the message has an HTML body and no text/plain alternative")


class _Scan(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.html_seen = False
        self.lang = False
        self.images_without_alt: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = {name for name, _ in attrs}
        if tag == "html" and not self.html_seen:
            self.html_seen = True
            self.lang = any(name in ("lang", "xml:lang") and value and value.strip() for name, value in attrs)
        elif tag == "img" and "alt" not in names:
            self.images_without_alt.append(dict(attrs).get("src") or "")

    handle_startendtag = handle_starttag


def _html(part: EmailMessage, path: str) -> Iterator[Problem]:
    # Not mail.decode.part_text: it follows a <meta> charset when the part declares none and falls
    # back to other charsets on a decoding error, either of which can hide every tag from the scan
    # (a <meta charset="utf-16"> on ASCII HTML, UTF-16 cut short); only the tags matter here.
    data = part.get_payload(decode=True) or b""
    python_codec = codec(str(part.get_param("charset") or "utf-8")) or "utf-8"
    text = data.decode(python_codec, "replace")
    scan = _Scan()
    try:
        scan.feed(text)
        scan.close()
    except Exception:  # noqa: BLE001 - html.parser is lenient; anything it still cannot take is not ours to judge
        return
    if not scan.lang:
        where = (
            "the <html> element has no lang attribute" if scan.html_seen else "there is no <html> element to carry lang"
        )
        yield problem("html.lang", path, f"the HTML does not declare its language: {where}")
    if scan.images_without_alt:
        missing = scan.images_without_alt
        shown = ", ".join(repr(src[:60]) for src in missing[:_SHOWN])
        more = f" and {len(missing) - _SHOWN} more" if len(missing) > _SHOWN else ""
        noun = "image has" if len(missing) == 1 else "images have"
        yield problem("html.img.alt", path, f"{len(missing)} {noun} no alt attribute: {shown}{more}")
