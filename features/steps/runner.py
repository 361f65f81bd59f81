"""Steps for testing the step library itself: write a feature, run behave on it
in a child process, and look at what it reported (in the manner of behave4cmd0)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

from behave import given, then, when

PROJECT_STEPS = "import SMTPLibrary.bdd.steps  # noqa: F401\n"
PROJECT_ENVIRONMENT = """\
import threading


def after_all(context):
    left = [t.name for t in threading.enumerate() if t.name.startswith("SMTPLibrary")]
    print(f"server threads left: {left}")
"""


def _project(context) -> Path:
    if not hasattr(context, "project"):
        directory = tempfile.TemporaryDirectory(prefix="smtplibrary-behave-")
        context.add_cleanup(directory.cleanup)
        context.project = Path(directory.name)
        (context.project / "features" / "steps").mkdir(parents=True)
        (context.project / "features" / "steps" / "smtp.py").write_text(PROJECT_STEPS)
        (context.project / "features" / "environment.py").write_text(PROJECT_ENVIRONMENT)
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            context.free_port = sock.getsockname()[1]
    return context.project


@given('a feature file "{name}" with')
def step_feature_file(context, name):
    project = _project(context)
    text = context.text.replace("{free_port}", str(context.free_port))
    (project / "features" / name).write_text(text, encoding="utf-8")


@given('a steps module "{name}" with')
def step_steps_module(context, name):
    (_project(context) / "features" / "steps" / name).write_text(context.text, encoding="utf-8")


@when("behave runs the features")
@when('behave runs the features with "{options}"')
def step_run_behave(context, options=""):
    command = [sys.executable, "-m", "behave", "--no-capture", "--format", "plain", *options.split(), "features"]
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    result = subprocess.run(
        command, cwd=_project(context), capture_output=True, text=True, timeout=120, env=env, encoding="utf-8"
    )
    context.behave_result = result
    context.behave_output = result.stdout + result.stderr


@then("it should pass")
def step_should_pass(context):
    assert context.behave_result.returncode == 0, f"behave failed:\n{context.behave_output}"


@then("it should fail")
def step_should_fail(context):
    assert context.behave_result.returncode != 0, f"behave passed but should have failed:\n{context.behave_output}"


@then("the output should contain")
def step_output_contains(context):
    expected = context.text.replace("{free_port}", str(getattr(context, "free_port", "")))
    assert expected in context.behave_output, (
        f"Expected in the output:\n{expected}\n--- but the output was:\n{context.behave_output}"
    )


@then('the output should not contain "{text}"')
def step_output_lacks(context, text):
    output = context.behave_output
    assert text not in output, f"Not expected in the output: {text}\n--- output:\n{output}"
