"""Every way to start a server listens on 127.0.0.1 only, unless told otherwise: the core,
the Python API, the pytest fixture, the Robot keyword, the behave fixture, both commands.
The kernel's table of listening sockets is the judge, not the server's own word."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from listening import listening_addresses
from serve_process import ServeProcess

import SMTPLibrary
from SMTPLibrary.core import SMTPServer

HARD = Path(__file__).resolve().parent
LOOPBACK = ["127.0.0.1"]
EVERYWHERE = ["0.0.0.0"]


def test_core_server_listens_on_loopback_unless_told_otherwise():
    with SMTPServer() as server:
        assert listening_addresses(server.port) == LOOPBACK
    with SMTPServer(host="0.0.0.0") as server:
        assert listening_addresses(server.port) == EVERYWHERE


def test_python_api_server_listens_on_loopback_unless_told_otherwise():
    with SMTPLibrary.SMTPServer() as server:
        assert listening_addresses(server.port) == LOOPBACK
    with SMTPLibrary.SMTPServer(host="0.0.0.0") as server:
        assert listening_addresses(server.port) == EVERYWHERE


def test_pytest_fixtures_listen_on_loopback_unless_told_otherwise(smtp_server, smtp_server_factory):
    assert listening_addresses(smtp_server.port) == LOOPBACK
    assert listening_addresses(smtp_server_factory().port) == LOOPBACK
    assert listening_addresses(smtp_server_factory(host="0.0.0.0").port) == EVERYWHERE


ROBOT_SUITE = """\
*** Settings ***
Library    SMTPLibrary
Library    listening.py

*** Test Cases ***
Default
    ${port} =    Start SMTP Server
    ${addresses} =    Listening Addresses    ${port}
    Should Be Equal    ${addresses}    ${{["127.0.0.1"]}}

Told otherwise
    ${port} =    Start SMTP Server    host=0.0.0.0
    ${addresses} =    Listening Addresses    ${port}
    Should Be Equal    ${addresses}    ${{["0.0.0.0"]}}
"""


def test_robot_keyword_listens_on_loopback_unless_told_otherwise(tmp_path):
    (tmp_path / "suite.robot").write_text(ROBOT_SUITE)
    command = [sys.executable, "-m", "robot", "--pythonpath", str(HARD), "--output", "NONE", "--log", "NONE"]
    command += ["--report", "NONE", "--console", "dotted", "suite.robot"]
    result = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 tests, 2 passed, 0 failed" in result.stdout


FEATURE = """\
Feature: Where the server listens

  Scenario: Default
    Given an SMTP server is running
    Then the server listens on 127.0.0.1 only

  Scenario: Told otherwise
    Given an SMTP server is running on every interface
    Then the server listens on 0.0.0.0 only
"""

STEPS = """\
import SMTPLibrary.bdd.steps  # noqa: F401
from behave import given, then
from listening import listening_addresses

from SMTPLibrary.bdd.fixtures import use_smtp_server


@given("an SMTP server is running on every interface")
def step_every_interface(context):
    use_smtp_server(context, host="0.0.0.0")


@then("the server listens on {address} only")
def step_listens(context, address):
    assert listening_addresses(context.smtp_port) == [address], listening_addresses(context.smtp_port)
"""


def test_behave_fixture_listens_on_loopback_unless_told_otherwise(tmp_path):
    (tmp_path / "features" / "steps").mkdir(parents=True)
    (tmp_path / "features" / "where.feature").write_text(FEATURE)
    (tmp_path / "features" / "steps" / "steps.py").write_text(STEPS)
    command = [sys.executable, "-m", "behave", "--no-capture", "--format", "plain", "features"]
    env = dict(os.environ, PYTHONPATH=str(HARD))
    result = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=120, env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 scenarios passed, 0 failed" in result.stdout


def test_cli_serve_listens_on_loopback_unless_told_otherwise():
    for args, expected in ((), LOOPBACK), (("--host", "0.0.0.0"), EVERYWHERE):
        server = ServeProcess("--port", "0", *args)
        try:
            assert listening_addresses(server.started().port) == expected
            assert server.stop() == 0
        finally:
            server.kill()


def test_cli_remote_listens_on_loopback_unless_told_otherwise():
    for args, expected in ((), LOOPBACK), (("--host", "0.0.0.0"), EVERYWHERE):
        remote = ServeProcess("--port", "0", *args, command=[sys.executable, "-m", "SMTPLibrary", "remote"])
        try:
            port = remote.expect(r"remote server listening on \S+:(\d+)").group(1)
            assert listening_addresses(port) == expected
        finally:
            remote.kill()
