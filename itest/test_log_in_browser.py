"""A hostile HTML mail in the Robot log, opened in a real browser (headless Chromium).

The mail tries everything: scripts, event handlers, a form that submits
itself, ``javascript:`` and ``target=_top`` links, a meta refresh, remote
images, style sheets, frames. Every attempt would reach a loopback HTTP
listener. The test proves that, in the log, none does and no script runs,
while the mail is rendered and the log still shows the test; and, as a
control, that the same HTML opened as a page of its own does reach the
listener, so the silence means something.

Chromium is required: missing, it fails the test (``make test`` installs it
on Debian; elsewhere install Chromium).
"""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from browser import Chromium, find_chromium

ROOT = Path(__file__).resolve().parent.parent

CARD_ELEMENTS = {
    "a", "b", "code", "details", "h4", "iframe", "li", "ol", "p", "pre", "summary", "table", "tbody", "td", "th", "tr",
    "ul",
}  # fmt: skip

HOSTILE_HTML = """<html><head>
<meta http-equiv="refresh" content="0;url={base}/refresh">
<link rel="stylesheet" href="{base}/css">
<script src="{base}/script-src"></script>
</head><body>
<h1 id="greeting">Dear hostile reader</h1>
<script>fetch("{base}/script"); document.getElementById("greeting").textContent = "PWNED";</script>
<img src="{base}/img" alt="remote image">
<img src="broken:" onerror="fetch('{base}/onerror')">
<div style="background:url({base}/background)">styled</div>
<form id="form" action="{base}/form" method="post"><input name="q" value="1"></form>
<script>document.getElementById("form").submit(); top.location = "{base}/top";</script>
<iframe src="{base}/frame"></iframe>
<svg><image href="{base}/svg-image"/></svg>
<details id="details"><summary id="summary">More</summary>Hidden until clicked</details>
<p><a id="js" href="javascript:fetch('{base}/javascript-link')">javascript link</a>
<a id="top" href="{base}/top-link" target="_top">top link</a></p>
</body></html>
"""

SUITE = """*** Settings ***
Library    SMTPLibrary

*** Test Cases ***
A hostile mail is shown in the log
    ${port} =    Start SMTP Server
    ${raw} =    Evaluate    pathlib.Path($MAIL).read_bytes()    modules=pathlib
    Evaluate    smtplib.SMTP('127.0.0.1', $port).sendmail('evil@example.com', ['victim@example.com'], $raw)
    ${msg} =    Message Should Be Received Matching    subject=Hostile
    Run Keyword And Expect Error    No message matching*
    ...    Message Should Be Received Matching    subject=Friendly    timeout=0
    [Teardown]    Stop All SMTP Servers
"""


def hostile_mail(base: str) -> bytes:
    html = HOSTILE_HTML.format(base=base)
    return (
        (
            "From: <img src={base}/from-header onerror=alert(1)> <evil@example.com>\r\n"
            "To: victim@example.com\r\n"
            "Subject: Hostile <script>fetch('{base}/subject')</script>\r\n"
            "MIME-Version: 1.0\r\n"
            'Content-Type: multipart/mixed; boundary="h"\r\n'
            "\r\n"
            "--h\r\n"
            'Content-Type: multipart/alternative; boundary="a"\r\n'
            "\r\n"
            "--a\r\n"
            "Content-Type: text/plain; charset=utf-8\r\n"
            "\r\n"
            "</pre><img src={base}/text-part><script>fetch('{base}/text')</script>\r\n"
            "--a\r\n"
            "Content-Type: text/html; charset=utf-8\r\n"
            "\r\n" + html.replace("\n", "\r\n") + "\r\n"
            "--a--\r\n"
            "--h\r\n"
            'Content-Type: application/octet-stream; name="<img src={base}/filename>.txt"\r\n'
            "\r\n"
            "data\r\n"
            "--h--\r\n"
        )
        .format(base=base)
        .encode()
    )


class Listener:
    """A loopback HTTP server that remembers every path asked for."""

    def __init__(self) -> None:
        self.paths: list[str] = []
        self._cond = threading.Condition()
        listener = self

        class Handler(BaseHTTPRequestHandler):
            def _record(self) -> None:
                with listener._cond:
                    listener.paths.append(self.path)
                    listener._cond.notify_all()
                self.send_response(204)
                self.end_headers()

            do_GET = do_POST = _record

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever, name="hostile-listener", daemon=True)
        self._thread.start()

    def hits(self, prefix: str) -> list[str]:
        with self._cond:
            return [path for path in self.paths if path.startswith(prefix)]

    def wait_for(self, paths: set[str], timeout: float) -> None:
        deadline = time.monotonic() + timeout
        with self._cond:
            while not paths <= set(self.paths):
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(f"the listener never saw {sorted(paths - set(self.paths))}: {self.paths}")
                self._cond.wait(remaining)

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self._thread.join(5)


@pytest.fixture
def listener():
    running = Listener()
    yield running
    running.close()


@pytest.fixture
def chromium():
    executable = find_chromium()
    if executable is None:
        pytest.fail("Chromium is not installed: install it (Debian: apt-get install chromium); `make test` does.")
    with Chromium(executable) as browser:
        yield browser


def build_log(tmp_path: Path, mail: bytes) -> Path:
    (tmp_path / "hostile.eml").write_bytes(mail)
    (tmp_path / "hostile.robot").write_text(SUITE, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "robot", "--outputdir", str(tmp_path / "out"), "--report", "NONE",
         "--variable", f"MAIL:{tmp_path / 'hostile.eml'}", "--consolecolors", "off", str(tmp_path / "hostile.robot")],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    return tmp_path / "out" / "log.html"


def open_page(chromium: Chromium, url: str, frames: bool = False, wait: bool = True) -> str:
    """A new tab showing ``url``, loaded unless told not to wait; returns its protocol session.

    With ``frames``, the page's iframes (sandboxed ones run as targets of
    their own) are attached too, paused until their own ``load`` can be seen."""
    target = chromium.call("Target.createTarget", {"url": "about:blank"})["targetId"]
    session = chromium.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
    for domain in ("Page", "Runtime", "DOM"):
        chromium.call(f"{domain}.enable", session=session)
    if frames:
        options = {"autoAttach": True, "waitForDebuggerOnStart": True, "flatten": True}
        chromium.call("Target.setAutoAttach", options, session=session)
    chromium.call("Page.navigate", {"url": url}, session=session)
    if wait:
        chromium.wait_for_event(lambda e: e.get("method") == "Page.loadEventFired" and e.get("sessionId") == session)
    return session


def loaded_frames(chromium: Chromium, count: int) -> list[tuple[str, str]]:
    """``(session, frame id)`` of the first ``count`` iframes attached, each once it has loaded."""
    frames: list[tuple[str, str]] = []
    while len(frames) < count:
        event = chromium.wait_for_event(
            lambda e: (
                e.get("method") == "Target.attachedToTarget"
                and e["params"]["targetInfo"]["type"] == "iframe"
                and e["params"]["sessionId"] not in dict(frames)
            )
        )
        session = event["params"]["sessionId"]
        for domain in ("Page", "Runtime"):
            chromium.call(f"{domain}.enable", session=session)
        chromium.call("Runtime.runIfWaitingForDebugger", session=session)
        frames.append((session, event["params"]["targetInfo"]["targetId"]))
    for session, _ in frames:
        # Loaded already, or its load event comes (it is recorded from Page.enable on).
        if evaluate(chromium, session, "document.readyState") != "complete":
            chromium.wait_for_event(
                lambda e, session=session: e.get("method") == "Page.loadEventFired" and e.get("sessionId") == session
            )
    return frames


def evaluate(chromium: Chromium, session: str, expression: str) -> object:
    result = chromium.call(
        "Runtime.evaluate", {"expression": expression, "awaitPromise": True, "returnByValue": True}, session=session
    )
    assert "exceptionDetails" not in result, result
    return result["result"].get("value")


def click(chromium: Chromium, page: str, frame: tuple[str, str], element_id: str) -> None:
    """A real mouse click on the element ``element_id`` inside ``frame`` of ``page``."""
    session, frame_id = frame
    # Scrolling inside the frame scrolls the log too: do it first, then place the frame, then measure.
    evaluate(chromium, session, f"document.getElementById('{element_id}').scrollIntoView()")
    owner = chromium.call("DOM.getFrameOwner", {"frameId": frame_id}, session=page)["backendNodeId"]
    chromium.call("DOM.scrollIntoViewIfNeeded", {"backendNodeId": owner}, session=page)
    # Input is routed by what was last drawn: let the scrolled page be drawn before clicking.
    evaluate(chromium, page, "new Promise((drawn) => requestAnimationFrame(() => requestAnimationFrame(drawn)))")
    quad = chromium.call("DOM.getBoxModel", {"backendNodeId": owner}, session=page)["model"]["content"]
    x, y = evaluate(
        chromium,
        session,
        f"(r => [r.left + r.width / 2, r.top + r.height / 2])"
        f"(document.getElementById('{element_id}').getBoundingClientRect())",
    )
    # The pointer moves there first, as a user's would: the frame's process learns where it is.
    for kind in ("mouseMoved", "mousePressed", "mouseReleased"):
        event = {"type": kind, "x": quad[0] + x, "y": quad[1] + y, "button": "left", "clickCount": 1}
        chromium.call("Input.dispatchMouseEvent", event, session=page)


def test_hostile_mail_in_the_log_runs_nothing_and_loads_nothing(tmp_path, listener, chromium):
    log = build_log(tmp_path, hostile_mail(listener.base + "/log"))

    page = open_page(chromium, log.as_uri(), frames=True)
    # What the "Expand All" button of the test does: show every keyword and its messages.
    evaluate(chromium, page, "expandAll('s1-t1')")
    # The found message and the nearest miss of the failed wait: two cards, two sandboxed frames.
    attributes = evaluate(
        chromium,
        page,
        """new Promise((found) => {
            const look = () => {
                const frames = [...document.querySelectorAll('iframe')];
                if (frames.length < 2) return setTimeout(look, 10);
                found(frames.map((f) => [f.getAttribute('sandbox'), f.srcdoc.slice(0, 45)]));
            };
            look();
        })""",
    )
    assert attributes == [["", '<meta http-equiv="Content-Security-Policy" co']] * 2
    frames = loaded_frames(chromium, 2)

    for frame, _ in frames:
        shown = evaluate(
            chromium,
            frame,
            """({greeting: document.getElementById('greeting').textContent,
                 images: [...document.images].map((i) => i.complete && i.naturalWidth)})""",
        )
        # Rendered, and untouched: a script would have written PWNED; no remote image has pixels.
        assert shown == {"greeting": "Dear hostile reader", "images": [0, 0]}

    # Clicks reach the frame (the summary opens its details, no script needed)...
    click(chromium, page, frames[0], "summary")
    assert evaluate(chromium, frames[0][0], "document.getElementById('details').open") is True
    # ...but the javascript: and target=_top links do nothing.
    click(chromium, page, frames[0], "js")
    click(chromium, page, frames[0], "top")

    shown = evaluate(
        chromium,
        page,
        """({url: location.href, text: document.body.innerText,
             cards: document.querySelectorAll('.smtplibrary-message').length,
             elements: [...new Set([...document.querySelectorAll('.smtplibrary-message *')].map((e) => e.localName))],
             handlers: [...document.querySelectorAll('.smtplibrary-message *')].filter(
                 (e) => [...e.attributes].some((a) => a.name.startsWith('on'))).length})""",
    )
    assert shown["url"] == log.as_uri()
    assert "A hostile mail is shown in the log" in shown["text"]
    assert "Hostile <script>fetch(" in shown["text"]  # the subject, shown as text
    assert "</pre><img src=" in shown["text"]  # the text part, shown as text
    # The cards hold their own elements only, nothing made from the mail.
    assert shown["cards"] == 2
    assert set(shown["elements"]) <= CARD_ELEMENTS
    assert shown["handlers"] == 0
    assert not [e for e in chromium.events if e.get("method") == "Runtime.exceptionThrown"]

    # Control: the same HTML as a page of its own does reach the listener.
    control = tmp_path / "control.html"
    control.write_text(HOSTILE_HTML.format(base=listener.base + "/control"), encoding="utf-8")
    # (Not waiting for it to load: its meta refresh and self-submitting form navigate it away.)
    open_page(chromium, control.as_uri(), wait=False)
    listener.wait_for({"/control/script", "/control/img", "/control/onerror", "/control/css"}, timeout=15)

    assert listener.hits("/log") == []
