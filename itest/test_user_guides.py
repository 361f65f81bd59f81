"""The user guides' examples run as written, and print what the guides say they print.

docs/python-api.md: every ``python`` block runs; a ``text`` block after
"prints" is its exact output. docs/pytest.md: the ``python`` blocks together
are a test module; pytest runs it and the ``text`` block is in its report.
docs/cli.md: the ``console`` session is replayed (its ``sh`` block is the
other terminal, ``^C`` is SIGINT), the ``bash`` script runs, and the error
example happens. Output lines are compared with every number as a wildcard
(times, sizes, ports, rates): the words must be the ones printed.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import types
from pathlib import Path

from serve_process import SERVE, ServeProcess

from SMTPLibrary.cli.console import periodic_statistics
from SMTPLibrary.core.mail.message import ReceivedMessage
from SMTPLibrary.core.mailbox.matching import CRITERIA_NAMES
from SMTPLibrary.core.smtp.stats import Snapshot

DOCS = Path(__file__).resolve().parent.parent / "docs"
DOC_PORT = "2525"
DOC_PROJECT = "/home/you/project"
COMMAND = "smtplibrary serve"


def blocks(page: str) -> list[tuple[str, str, str]]:
    """``(info, code, text before it)`` for each fenced block of a guide."""
    text = (DOCS / page).read_text(encoding="utf-8")
    found, position = [], 0
    for match in re.finditer(r"^```(\w*)\n(.*?)^```$", text, flags=re.S | re.M):
        found.append((match.group(1), match.group(2), text[position : match.start()]))
        position = match.end()
    return found


def free_port() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return str(sock.getsockname()[1])


def line_pattern(expected: str, **replacements: str) -> re.Pattern[str]:
    """``expected`` as a regular expression in which every number matches any number."""
    for old, new in replacements.items():
        expected = expected.replace(old, new)
    parts = re.split(r"(\d+)", expected)
    return re.compile("".join(r"\d+" if part.isdigit() else re.escape(part) for part in parts))


def assert_lines_match(actual: list[str], expected: list[str], **replacements: str) -> None:
    assert len(actual) == len(expected), "\n".join(actual)
    for got, wanted in zip(actual, expected, strict=True):
        assert line_pattern(wanted, **replacements).fullmatch(got), f"{got!r} does not read like {wanted!r}"


def shell_command(line: str, port: str) -> list[str]:
    line = line.replace(DOC_PORT, port)
    assert line.startswith(COMMAND), line
    return [*SERVE, *line[len(COMMAND) :].split()]


# -- Python API -----------------------------------------------------------------------------------------


def test_python_api_examples_run_and_print_what_the_guide_says(tmp_path):
    found = blocks("python-api.md")
    examples = [index for index, (info, _, _) in enumerate(found) if info == "python"]
    assert len(examples) >= 4
    for index in examples:
        code = found[index][1]
        result = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=60)
        assert result.returncode == 0, f"{code}\n---\n{result.stdout}{result.stderr}"
        follows = found[index + 1] if index + 1 < len(found) else None
        if follows and follows[0] == "text" and follows[2].strip() == "prints":
            assert result.stdout == follows[1], result.stdout


def test_python_api_guide_lists_every_criterion_and_message_attribute():
    text = (DOCS / "python-api.md").read_text(encoding="utf-8")

    def first_column(section: str) -> set[str]:
        body = text.split(f"\n## {section}\n", 1)[1].split("\n## ", 1)[0]
        return {name for row in re.findall(r"^\| ([^|]+)\|", body, re.M) for name in re.findall(r"`(\w+)", row)}

    assert first_column("Criteria") == set(CRITERIA_NAMES)
    attributes = {
        name
        for name, value in vars(ReceivedMessage).items()
        if not name.startswith("_") and isinstance(value, (property, types.MemberDescriptorType))
    }
    assert first_column("Messages") - {"Attribute"} == attributes


# -- pytest --------------------------------------------------------------------------------------------------


def test_pytest_examples_pass_and_the_failure_reads_as_shown(tmp_path):
    found = blocks("pytest.md")
    module = "\n\n".join(code for info, code, _ in found if info == "python")
    (tmp_path / "test_guide.py").write_text(module, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "test_guide.py"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "1 failed, 7 passed" in result.stdout, result.stdout + result.stderr
    (failure,) = [code for info, code, _ in found if info == "text"]
    for line in failure.splitlines():
        assert line in result.stdout.splitlines(), f"{line!r} is not in the report:\n{result.stdout}"


# -- CLI ------------------------------------------------------------------------------------------------------


def test_cli_session_replays_as_shown(tmp_path):
    found = blocks("cli.md")
    index = next(i for i, (info, _, _) in enumerate(found) if info == "console")
    session, clients = found[index][1].splitlines(), found[index + 1]
    assert clients[0] == "sh"
    port = free_port()
    command = session[0].removeprefix("$ ")
    server = ServeProcess(command=shell_command(command, port), cwd=tmp_path)
    try:
        expected = session[1:]
        interrupt = next(i for i, line in enumerate(expected) if line.startswith("^C"))
        banner = [line for line in expected[:interrupt] if not re.match(r"\d\d:\d\d:\d\d ", line)]
        for _ in banner:
            server.expect("")
        result = subprocess.run(
            ["bash", "-e", "-c", clients[1].replace(DOC_PORT, port)], cwd=tmp_path, capture_output=True, timeout=60
        )
        assert result.returncode == 0, result.stderr
        for _ in expected[len(banner) : interrupt]:
            server.expect("")
        assert server.stop(signal.SIGINT) == 0
    finally:
        server.kill()
    expected[interrupt] = expected[interrupt].removeprefix("^C")
    assert_lines_match(server.lines, expected, **{DOC_PROJECT: str(tmp_path), DOC_PORT: port})


def test_cli_periodic_statistics_line_is_the_real_format():
    lines = [line for _, code, _ in blocks("cli.md") for line in code.splitlines()]
    shown = [line for line in lines if re.match(r"\d\d:\d\d:\d\d statistics: ", line)]
    assert shown
    real = periodic_statistics(Snapshot(12, 1, 34, 5678, 90.0), Snapshot(1, 0, 2, 3, 30.0))
    for line in shown:
        assert line_pattern(line).fullmatch(real), f"{real!r} does not read like the guide's {line!r}"


def test_cli_script_runs_and_prints_what_the_guide_says(tmp_path):
    found = blocks("cli.md")
    index = next(i for i, (info, _, _) in enumerate(found) if info == "bash")
    script, (info, output, before) = found[index][1], found[index + 1]
    assert (info, before.strip()) == ("text", "prints")
    port = free_port()
    bin_dir = Path(sys.executable).parent  # where the `smtplibrary` command is installed
    env = {"PATH": f"{bin_dir}:/usr/bin:/bin"}
    # Output to files and a session of its own: when the script fails, the server it
    # started (holding its output open) is killed with it, at once.
    out, err = tmp_path / "stdout.txt", tmp_path / "stderr.txt"
    with out.open("w") as stdout_file, err.open("w") as stderr_file:
        bash = subprocess.Popen(
            ["bash", "-e", "-c", script.replace(DOC_PORT, port)],
            cwd=tmp_path,
            stdout=stdout_file,
            stderr=stderr_file,
            env=env,
            start_new_session=True,
        )
        try:
            bash.wait(timeout=60)
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(bash.pid, signal.SIGKILL)
            bash.wait()
    stdout, stderr = out.read_text(), err.read_text()
    assert bash.returncode == 0, stdout + stderr
    assert_lines_match(stdout.splitlines(), output.splitlines())


def test_cli_error_example_happens_as_shown(tmp_path):
    (example,) = [code for info, code, _ in blocks("cli.md") if info == "text" and "Cannot start" in code]
    command, *expected = example.splitlines()
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = str(taken.getsockname()[1])
        result = subprocess.run(
            shell_command(command.removeprefix("$ "), port), capture_output=True, text=True, timeout=60
        )
    assert result.returncode == 2
    assert result.stderr.splitlines() == [line.replace(DOC_PORT, port) for line in expected]


def test_cli_tls_example_prints_as_shown():
    (example,) = [code for info, code, _ in blocks("cli.md") if info == "text" and " --tls " in code.splitlines()[0]]
    command, *expected = example.splitlines()
    port = free_port()
    server = ServeProcess(*shell_command(command.removeprefix("$ "), port)[len(SERVE) :])
    try:
        server.expect("Ctrl\\+C stops")
        ca = next(line for line in server.lines if line.startswith("Clients can trust")).split(" in ", 1)[1][:-1]
        assert Path(ca).is_file()
        documented_ca = next(line for line in expected if line.startswith("Clients can trust")).split(" in ", 1)[1][:-1]

        # The guide's file is one the server could name: only the random folder name and the numbers differ
        # (the temporary directory itself is the machine's).
        def shape(path: str) -> str:
            folder_and_file = "/".join(Path(path).parts[-2:])
            return re.sub(r"\d+", "N", re.sub(r"^smtplibrary-tls-\w+/", "smtplibrary-tls-X/", folder_and_file))

        assert shape(documented_ca) == shape(ca), (documented_ca, ca)
        assert_lines_match(server.lines, [line.replace(documented_ca, ca) for line in expected])
    finally:
        assert server.stop() == 0
