import subprocess
import sys
from pathlib import Path

from behave import when

import SMTPLibrary.bdd.steps  # noqa: F401  (registers SMTPLibrary's steps)

APP = Path(__file__).resolve().parents[2] / "notify_app.py"


def confirm(context, order, email):
    command = [sys.executable, str(APP), "--backoff", "0.05", "--smtp-port", str(context.smtp_port), email, order]
    return subprocess.run(command, capture_output=True, text=True, timeout=60)


@when('the order {order} of "{email}" is confirmed')
def step_confirmed(context, order, email):
    result = confirm(context, order, email)
    assert result.returncode == 0, result.stderr


@when('the order {order} of "{email}" is confirmed, which fails')
def step_confirmation_fails(context, order, email):
    result = confirm(context, order, email)
    assert result.returncode != 0, result.stdout
