"""The recipes of docs/parallel-and-remote.md run as written: files saved, commands run in order.

The one change: the Remote recipe's port, 8270, becomes a free port, so that
parallel runs of this test (and pabot's own server) never collide.
"""

from __future__ import annotations

import os
import re
import selectors
import shlex
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "docs" / "parallel-and-remote.md"
BLOCK = re.compile(r"(?:<!-- file: (?P<path>\S+) -->\n)?```(?P<lang>\w+)\n(?P<code>.*?)```", re.S)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_listening(process: subprocess.Popen, deadline: float) -> None:
    """Read the background command's output until it says it listens (event-driven: no polling)."""
    with selectors.DefaultSelector() as selector:
        selector.register(process.stdout, selectors.EVENT_READ)
        while (remaining := deadline - time.monotonic()) > 0:
            if not selector.select(remaining):
                break
            line = process.stdout.readline()
            assert line, f"background command ended early: {process.args}"
            if b" listening on " in line:
                return
    raise AssertionError(f"background command did not say it listens: {process.args}")


def test_recipes_run_as_written(tmp_path):
    port = str(free_port())
    files, commands = [], []
    for block in BLOCK.finditer(PAGE.read_text(encoding="utf-8")):
        code = block["code"].replace("8270", port)
        if block["path"]:
            files.append(block["path"])
            target = tmp_path / block["path"]
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(code, encoding="utf-8")
        elif block["lang"] == "sh":
            commands.extend(line for line in code.splitlines() if line.strip())
    assert len(files) >= 5 and len(commands) >= 5, (files, commands)
    env = dict(os.environ, PYTHONUNBUFFERED="1", PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
    background: list[subprocess.Popen] = []
    try:
        for command in commands:
            if command.endswith("&"):
                process = subprocess.Popen(
                    shlex.split(command[:-1]), cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
                )
                background.append(process)
                wait_until_listening(process, time.monotonic() + 30)
                continue
            result = subprocess.run(
                shlex.split(command), cwd=tmp_path, env=env, capture_output=True, text=True, timeout=180
            )
            assert result.returncode == 0, f"{command}\n{result.stdout}\n{result.stderr}"
    finally:
        for process in background:
            process.send_signal(signal.SIGTERM)
    for process in background:
        output, _ = process.communicate(timeout=30)
        assert process.returncode == 0, f"{process.args} ended with {process.returncode}:\n{output.decode()}"
