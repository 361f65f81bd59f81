"""Steps of the help desk example: SMTPLibrary's steps, and two of the project's own that run
the application and look at its tickets."""

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from behave import then, when

import SMTPLibrary.bdd.steps  # noqa: F401  (registers the steps)

APP = Path(__file__).resolve().parents[2] / "helpdesk_app.py"


@when('the help desk checks the mailbox of "{address}"')
def step_check_mailbox(context, address):
    context.tickets = Path(tempfile.mkdtemp(prefix="tickets-"))
    context.add_cleanup(shutil.rmtree, context.tickets, ignore_errors=True)
    command = [sys.executable, str(APP), "--imap-port", str(context.imap_port), "--user", address]
    command += ["--password", address, "--tickets", str(context.tickets), "--once"]
    subprocess.run(command, check=True, capture_output=True, timeout=60)


@then('there should be a ticket about "{subject}"')
def step_ticket(context, subject):
    tickets = [path.read_text(encoding="utf-8") for path in sorted(context.tickets.glob("ticket-*.txt"))]
    assert any(f"Subject: {subject}" in ticket for ticket in tickets), tickets
