"""When Robot closes the library, every server it started is stopped and no thread is left."""

import subprocess
import sys
import textwrap

SUITE = """\
*** Settings ***
Library    SMTPLibrary

*** Test Cases ***
Leave servers running
    Start SMTP Server
    Start SMTP Server    alias=second
"""

RUNNER = textwrap.dedent(
    """
    import sys, threading, robot
    rc = robot.run(sys.argv[1], output=None, report=None, log=None, stdout=open('/dev/null', 'w'))
    left = [t.name for t in threading.enumerate() if t.name.startswith('SMTPLibrary')]
    print(rc, left)
    """
)


def test_closing_the_library_stops_every_server(tmp_path):
    suite = tmp_path / "leave_running.robot"
    suite.write_text(SUITE)
    result = subprocess.run([sys.executable, "-c", RUNNER, str(suite)], capture_output=True, text=True, timeout=60)
    assert result.stdout.strip() == "0 []", result.stdout + result.stderr
