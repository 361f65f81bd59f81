"""The server under faults: stopping with work in flight, dying threads, misuse."""

from __future__ import annotations

import asyncio
import socket
import subprocess
import sys
import textwrap
import threading
import time

import pytest
from support import Wire

from SMTPLibrary.core import Criteria, ServerError, ServerStopped, SMTPServer


def test_stop_with_50_open_connections_returns_within_a_second_and_leaves_no_thread():
    before = set(threading.enumerate())
    server = SMTPServer()
    server.start()
    clients = []
    try:
        for number in range(50):
            wire = Wire(server.host, server.port)
            assert wire.reply().code == 220
            if number % 2:
                wire.command(b"EHLO busy.test")
                wire.command(b"MAIL FROM:<a@example.com>")
                wire.command(b"RCPT TO:<b@example.com>")
                wire.command(b"DATA")
                wire.send(b"Subject: in flight\r\n\r\nhalf")
            clients.append(wire)
        started = time.monotonic()
        server.stop(timeout=5)
        # Stopping within a second with clients connected is the contract, not a benchmark.
        assert time.monotonic() - started < 1
    finally:
        for wire in clients:
            wire.close()
    assert set(threading.enumerate()) == before
    assert server.mailbox.count() == 0


def test_stop_while_a_waiter_waits_gives_it_a_clear_error(server):
    outcome = {}
    waiting = threading.Event()

    def wait() -> None:
        waiting.set()
        try:
            server.mailbox.wait_for(Criteria.from_strings(subject="never"), 120)
        except ServerStopped as error:
            outcome["error"] = str(error)

    waiter = threading.Thread(target=wait)
    waiter.start()
    assert waiting.wait(10)
    server.stop()
    waiter.join(10)
    assert not waiter.is_alive()
    assert outcome["error"].startswith(f"The SMTP server on {server.address} was stopped. No message matching")


@pytest.mark.parametrize("how", ["loop stopped", "loop closed under it", "exception in the loop thread"])
def test_a_dying_loop_thread_is_reported_by_the_next_check(server, how):
    controller = server._thread
    if how == "loop stopped":
        controller.loop.call_soon_threadsafe(controller.loop.stop)
    elif how == "loop closed under it":

        def stop_and_cancel_everything() -> None:
            controller.loop.stop()
            for task in asyncio.all_tasks(controller.loop):
                task.cancel()

        controller.loop.call_soon_threadsafe(stop_and_cancel_everything)
    else:

        def explode() -> None:
            raise SystemExit("boom")  # escapes asyncio's handler, as a fatal error would

        controller.loop.call_soon_threadsafe(explode)
    controller._thread.join(10)
    with pytest.raises(ServerError, match=rf"The SMTP server on {server.address} has stopped unexpectedly"):
        server.check()
    with pytest.raises(ServerStopped):
        server.mailbox.wait_for(Criteria.from_strings(subject="x"), 60)


def test_port_in_use_by_another_program():
    with socket.socket() as other:
        other.bind(("127.0.0.1", 0))
        other.listen()
        port = other.getsockname()[1]
        with pytest.raises(ServerError, match=rf"^Cannot start an SMTP server on 127.0.0.1:{port}: the port"):
            SMTPServer(port=port).start()


def test_starting_twice_and_stopping_twice(server):
    port = server.port
    assert server.start() == port
    server.stop()
    server.stop()
    assert server.start() == port
    server.stop()


ROBOT_TIMEOUT_SUITE = """\
*** Settings ***
Library    SMTPLibrary

*** Test Cases ***
Long wait cut by the test timeout
    [Timeout]    1 second
    Start SMTP Server
    Message Should Be Received Matching    subject=never    timeout=5 minutes

The suite goes on
    ${port} =    Start SMTP Server
    Evaluate    smtplib.SMTP('127.0.0.1', ${port}).sendmail('a@example.com', ['b@example.com'], 'Subject: next')
    Message Should Be Received Matching    subject=next
"""


def test_a_robot_test_timeout_interrupts_a_long_wait_and_the_suite_goes_on(tmp_path):
    suite = tmp_path / "timeout.robot"
    suite.write_text(ROBOT_TIMEOUT_SUITE)
    runner = textwrap.dedent(
        """
        import sys, threading, robot
        from robot.api import ExecutionResult
        robot.run(sys.argv[1], outputdir=sys.argv[2], report=None, log=None, stdout=open('/dev/null', 'w'))
        result = ExecutionResult(sys.argv[2] + '/output.xml')
        for test in result.suite.tests:
            print(test.name, test.status, test.message)
        print([t.name for t in threading.enumerate() if t.name.startswith('SMTPLibrary')])
        """
    )
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-c", runner, str(suite), str(tmp_path)], capture_output=True, text=True, timeout=120
    )
    assert time.monotonic() - started < 60  # the five-minute wait did not run out
    assert result.stdout.splitlines() == [
        "Long wait cut by the test timeout FAIL Test timeout 1 second exceeded.",
        "The suite goes on PASS ",
        "[]",
    ], result.stdout + result.stderr
