"""auto_reset across suites, in a real Robot run: a suite's servers stop when it ends,
a parent suite's server lives through its children and is emptied for them."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

SEND = (
    "Evaluate    smtplib.SMTP('127.0.0.1', ${port}).sendmail('a@example.com', ['b@example.com'], 'Subject: x')"
    "    modules=smtplib"
)

INIT = """\
*** Settings ***
Library           SMTPLibrary    auto_reset=${MODE}
Suite Setup       Start Outer Server

*** Keywords ***
Start Outer Server
    ${port} =    Start SMTP Server    alias=outer
    Set Global Variable    ${OUTER}    ${port}
"""

FIRST = f"""\
*** Settings ***
Library           SMTPLibrary    auto_reset=${{MODE}}
Suite Setup       Start Own Server

*** Test Cases ***
Send to the outer server
    ${{port}} =    Set Variable    ${{OUTER}}
    {SEND}
    Switch SMTP Server    outer
    Message Count Should Be    1    timeout=0 s

The next test of the same suite
    Switch SMTP Server    outer
    Message Count Should Be    ${{EXPECTED_IN_NEXT_TEST}}    timeout=0 s

*** Keywords ***
Start Own Server
    ${{port}} =    Start SMTP Server    alias=first
    Set Global Variable    ${{FIRST}}    ${{port}}
"""

SECOND = """\
*** Settings ***
Library           SMTPLibrary    auto_reset=${MODE}

*** Test Cases ***
The first suite's server stopped when that suite ended
    ${refused} =    Evaluate    socket.socket().connect_ex(('127.0.0.1', ${FIRST})) != 0    modules=socket
    Should Be True    ${refused}
    Run Keyword And Expect Error    No SMTP server with alias 'first'. Known aliases: 'outer'.
    ...    Switch SMTP Server    first

The outer server runs, emptied for this suite
    Switch SMTP Server    outer
    Message Count Should Be    0    timeout=0 s
"""

RUNNER = textwrap.dedent(
    """
    import sys, threading, robot
    rc = robot.run(sys.argv[1], variable=sys.argv[2:], output=None, report=None, log=None,
                   stdout=open('/dev/null', 'w'))
    left = [t.name for t in threading.enumerate() if t.name.startswith('SMTPLibrary')]
    print(rc, left)
    """
)


@pytest.mark.parametrize(("mode", "expected_in_next_test"), [("test", 0), ("suite", 1)])
def test_suite_servers_stop_with_their_suite(tmp_path, mode, expected_in_next_test):
    suites = tmp_path / "suites"
    suites.mkdir()
    (suites / "__init__.robot").write_text(INIT)
    (suites / "a_first.robot").write_text(FIRST)
    (suites / "b_second.robot").write_text(SECOND)
    variables = [f"MODE:{mode}", f"EXPECTED_IN_NEXT_TEST:{expected_in_next_test}"]
    result = subprocess.run(
        [sys.executable, "-c", RUNNER, str(suites), *variables], capture_output=True, text=True, timeout=60
    )
    assert result.stdout.strip() == "0 []", result.stdout + result.stderr
