"""Time of the message checks on a 100 KB multipart message: Get Message Authentication and
Get Message Problems, as keywords (what a Robot test pays, the message card included) and as the
core calls the keywords make. The references are the floors of any implementation: dkimpy verifying
the two signatures alone, and the email package parsing the message once.

The message: text (quoted-printable), HTML with 40 images, a base64 attachment, about 100 KB in 5
MIME parts, signed twice (RSA 2048 and ed25519); SPF with an include, DMARC p=reject, no ARC.
"""

from __future__ import annotations

import email
import email.policy
import email.utils
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from email.message import EmailMessage
from pathlib import Path

import dkim

from SMTPLibrary import SMTPLibrary
from SMTPLibrary.core.checks import TestDNS, authenticate, create_dkim_key, lookups, problems
from SMTPLibrary.core.mail import ReceivedMessage

SIZE = 100_000


def message(dns: TestDNS) -> ReceivedMessage:
    rsa = create_dkim_key("example.com", "rsa", dns=dns)
    ed = create_dkim_key("example.com", "ed", "ed25519-sha256", dns=dns)
    dns.add("example.com", "TXT", "v=spf1 ip4:192.0.2.0/24 include:_spf.example.net ~all")
    dns.add("_spf.example.net", "TXT", "v=spf1 ip4:198.51.100.0/24 -all")
    dns.add("_dmarc.example.com", "TXT", "v=DMARC1; p=reject")
    mail = EmailMessage()
    mail["From"], mail["To"], mail["Subject"] = "Alice <alice@example.com>", "Bob <bob@example.org>", "Monthly report"
    mail["Date"] = email.utils.formatdate()
    mail["Message-ID"] = email.utils.make_msgid(domain="example.com")
    paragraph = "The figures for the month are in; see the attachment for the details. " * 8 + "\n\n"
    mail.set_content(paragraph * 40)
    html = "".join(f'<p>{paragraph}</p><img src="cid:i{n}" alt="chart {n}">' for n in range(40))
    mail.add_alternative(f'<html lang="en"><body>{html}</body></html>', subtype="html")
    room = max(0, SIZE - len(mail.as_bytes(policy=email.policy.SMTP)))
    mail.add_attachment(os.urandom(room * 3 // 4), maintype="application", subtype="pdf", filename="report.pdf")
    raw = mail.as_bytes(policy=email.policy.SMTP)
    raw = dkim.sign(raw, b"rsa", b"example.com", rsa.dkimpy_private_key) + raw
    raw = dkim.sign(raw, b"ed", b"example.com", ed.dkimpy_private_key, signature_algorithm=b"ed25519-sha256") + raw
    received = ReceivedMessage(
        raw, "alice@example.com", ["bob@example.org"], peer=("192.0.2.1", 40000), helo="mail.example.com"
    )
    received.seq = 1
    return received


def timed(call: Callable[[], object], runs: int) -> tuple[float, list[float]]:
    """Seconds of the first call, and of each of ``runs`` calls after it."""
    began = time.perf_counter()
    call()
    first = time.perf_counter() - began
    samples = []
    for _ in range(runs):
        began = time.perf_counter()
        call()
        samples.append(time.perf_counter() - began)
    return first, samples


def measure(runs: int) -> dict[str, tuple[float, list[float]]]:
    """First and later timings of each figure; checks the results are the expected ones first."""
    dns = TestDNS()
    mail = message(dns)
    library = SMTPLibrary(auto_reset="none")
    library.servers.dns.dns = dns
    found = authenticate(mail, dns)
    if [signature.result for signature in found.dkim] != ["pass", "pass"] or found.dmarc.result != "pass":
        raise AssertionError(f"the benchmark message does not authenticate: {found.header}")
    if [problem for problem in problems(mail) if problem.severity == "error"]:
        raise AssertionError(f"the benchmark message has errors: {problems(mail)}")

    def dkimpy_alone() -> None:
        with lookups.using(dns):
            verifier = dkim.DKIM(mail.raw)
            assert verifier.verify(idx=0, dnsfunc=lookups.dkim_txt) and verifier.verify(idx=1, dnsfunc=lookups.dkim_txt)

    return {
        "keyword authentication": timed(lambda: library.get_message_authentication(mail), runs),
        "core authentication": timed(lambda: authenticate(mail, dns), runs),
        "dkimpy": timed(dkimpy_alone, runs),
        "keyword problems": timed(lambda: library.get_message_problems(mail), runs),
        "core problems": timed(lambda: problems(mail), runs),
        "parse": timed(lambda: email.message_from_bytes(mail.raw, policy=email.policy.default), runs),
        "size": (len(mail.raw), []),
    }


def median(samples: list[float]) -> float:
    return statistics.median(samples)


def first_calls() -> dict[str, float]:
    """Seconds of the first authenticate and the first problems of a fresh process (run in a child):
    what the first check of a test run pays, pyspf's import and the Public Suffix List's load included."""
    code = (
        "import json, time\n"
        "from bench import checks\n"
        "dns = checks.TestDNS()\n"
        "mail = checks.message(dns)\n"
        "began = time.perf_counter(); checks.authenticate(mail, dns); middle = time.perf_counter()\n"
        "checks.problems(mail); ended = time.perf_counter()\n"
        "print(json.dumps({'authenticate': middle - began, 'problems': ended - middle}))\n"
    )
    root = Path(__file__).resolve().parent.parent
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=root, capture_output=True, text=True, timeout=120,
        env={**os.environ, "PYTHONPATH": str(root)},
    )  # fmt: skip
    if done.returncode != 0:
        raise AssertionError(f"the first checks of a fresh process failed: {done.stderr}")
    return json.loads(done.stdout)
