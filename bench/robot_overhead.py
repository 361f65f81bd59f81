"""The library's overhead in a Robot run: 200 tests that each start a server,
send, assert and stop, against the same suite on a bare aiosmtpd Controller."""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .servers import ROOT_ENV

HERE = Path(__file__).resolve().parent / "robot"

TEST = {
    "library": (
        "Library    SMTPLibrary",
        "    ${port} =    Start SMTP Server\n"
        "    Send Message    ${port}    Test ${number}\n"
        "    Message Should Be Received Matching    subject=EQUALS:Test ${number}\n"
        "    [Teardown]    Stop SMTP Server\n",
    ),
    "bare": (
        "Library    BareSMTP.py",
        "    ${port} =    Start Bare Server\n"
        "    Send Message    ${port}    Test ${number}\n"
        "    Bare Message Should Arrive    Test ${number}\n"
        "    [Teardown]    Stop Bare Server\n",
    ),
}


def suite(kind: str, tests: int) -> str:
    library, body = TEST[kind]
    cases = "".join(f"Test {number}    {number}\n" for number in range(1, tests + 1))
    return (
        f"*** Settings ***\n{library}\nLibrary    Sender.py\nTest Template    Send And Assert\n\n"
        f"*** Test Cases ***    NUMBER\n{cases}\n"
        f"*** Keywords ***\nSend And Assert\n    [Arguments]    ${{number}}\n{body}"
    )


def run(kind: str, tests: int) -> float:
    """Wall seconds of a whole ``robot`` run of the suite (output.xml, log and report included)."""
    with tempfile.TemporaryDirectory(prefix="smtplibrary-bench-robot-") as directory:
        path = Path(directory) / f"{kind}.robot"
        path.write_text(suite(kind, tests))
        began = time.perf_counter()
        result = subprocess.run(
            [sys.executable, "-m", "robot", "--pythonpath", str(HERE), "--outputdir", directory,
             "--consolecolors", "off", "--quiet", str(path)],
            env=ROOT_ENV,
            capture_output=True,
            text=True,
        )  # fmt: skip
        seconds = time.perf_counter() - began
    if result.returncode != 0:
        raise AssertionError(f"the {kind} suite failed:\n{result.stdout}\n{result.stderr}")
    return seconds
