import subprocess
import sys
from pathlib import Path

from behave import when

import SMTPLibrary.bdd.steps  # noqa: F401  (registers SMTPLibrary's steps)

APP = Path(__file__).resolve().parents[2] / "signup_app.py"


@when('"{email}" signs up as "{name}"')
def step_sign_up(context, email, name):
    # context.smtp_port: the port of the server "Given an SMTP server is running" started.
    subprocess.run([sys.executable, str(APP), "--smtp-port", str(context.smtp_port), email, name], check=True)
