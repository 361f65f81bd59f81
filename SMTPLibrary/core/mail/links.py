"""Links in a message: URLs written in its text and the targets of its HTML links."""

from __future__ import annotations

import re
from html.parser import HTMLParser

_TEXT_URL = re.compile(r"""(?:\b(?:https?|ftp)://|\bmailto:)[^\s<>"]+""", re.IGNORECASE)
_TRAILING = ".,;:!?'*"
_PAIRS = {")": "(", "]": "[", "}": "{"}


def text_links(text: str) -> list[str]:
    """URLs written in plain text, trailing punctuation and unbalanced closing brackets left out."""
    links = []
    for match in _TEXT_URL.finditer(text):
        url = match.group(0)
        while url:
            last = url[-1]
            if last in _TRAILING or (last in _PAIRS and url.count(last) > url.count(_PAIRS[last])):
                url = url[:-1]
            else:
                break
        if re.match(r"(?i)[a-z]+://[^/]|mailto:.", url):
            links.append(url)
    return links


class _LinkCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ("a", "area"):
            return
        for name, value in attrs:
            if name == "href" and value:
                # As browsers do: tabs and line breaks inside a URL are dropped, spaces around it too.
                url = re.sub(r"[\t\r\n]", "", value).strip()
                if url and not url.startswith("#"):
                    self.links.append(url)
                return


def html_links(html: str) -> list[str]:
    """The ``href`` of every ``<a>`` and ``<area>``, HTML entities decoded, in document order."""
    collector = _LinkCollector()
    try:
        collector.feed(html)
        collector.close()
    except Exception:  # noqa: BLE001 - keep what was found before the parser gave up
        pass
    return collector.links
