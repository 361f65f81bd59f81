"""A server with no faults set is as fast as before: SMTPLibrary of this tree against SMTPLibrary
as it was at a reference commit, the same client driving both, in the same run.

The fault rules (rate limits, chaos, stalls inside DATA, hidden extensions) are asked at every
stage of every connection, set or not; this measures what that costs when none is set. Each
server runs in a child process (``python -m bench.before LOOP``), the reference one importing the
``SMTPLibrary`` package of ``git archive REFERENCE``, so that both load alike. Without git or the
commit (a shallow clone), the figure says so instead.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from io import BytesIO
from pathlib import Path

from .servers import ROOT, ROOT_ENV

# The last commit before rate limits, chaos, stalls and hidden extensions were added (issue 16).
REFERENCE = "ee6a872"


def checkout(reference: str) -> Path | None:
    """A temporary folder holding the ``SMTPLibrary`` package at ``reference``; ``None`` without it."""
    try:
        archive = subprocess.run(
            ["git", "archive", "--format=tar", reference, "SMTPLibrary"], cwd=ROOT, capture_output=True, timeout=60
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    if archive.returncode != 0:
        return None
    folder = Path(tempfile.mkdtemp(prefix="smtplibrary-bench-reference-"))
    with tarfile.open(fileobj=BytesIO(archive.stdout)) as tar:
        tar.extractall(folder, filter="data")
    return folder


def remove(folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)


class ChildLibrary:
    """SMTPLibrary's server in a child process, importing the package found in ``tree`` (``None``: this tree)."""

    def __init__(self, loop: str, tree: Path | None, label: str) -> None:
        self.loop = loop
        self.tree = tree
        self.label = label
        self.process: subprocess.Popen | None = None

    def start(self) -> int:
        path = os.pathsep.join(str(folder) for folder in (self.tree, ROOT) if folder is not None)
        env = {**ROOT_ENV, "PYTHONPATH": os.pathsep.join(filter(None, [path, os.environ.get("PYTHONPATH")]))}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bench.before", self.loop],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=env,
            text=True,
            bufsize=1,
            # python -m puts the working folder first on the path: the tree whose package is wanted.
            cwd=self.tree or ROOT,
        )
        package = Path(self.ask("package"))
        expected = Path(self.tree or ROOT) / "SMTPLibrary"
        if package.resolve() != expected.resolve():
            raise RuntimeError(f"{self.label} imported SMTPLibrary from {package}, not {expected}")
        return int(self.ask("port"))

    def ask(self, what: str) -> str:
        self.process.stdin.write(what + "\n")
        self.process.stdin.flush()
        answer = self.process.stdout.readline().strip()
        if not answer:
            raise RuntimeError(f"{self.label} died answering {what!r}")
        return answer

    def reset(self) -> None:
        self.ask("reset")

    def verify(self, count: int, subject: str, size: int) -> None:
        stored = int(self.ask("count"))
        if stored != count:
            raise AssertionError(f"{self.label}: {stored} messages stored, {count} sent")

    def stop(self) -> None:
        self.ask("stop")
        self.process.stdin.close()
        self.process.wait(30)


def instructions(tree: Path | None, loop: str, few: int, many: int) -> float | None:
    """Machine instructions the server runs per message (1 KB, one connection each), counted by
    valgrind's callgrind: the same count whatever else the machine does, unlike seconds. The
    server with ``few`` messages is subtracted from the one with ``many``, which leaves start-up
    and shutdown out. ``None`` without valgrind."""
    if shutil.which("valgrind") is None:
        return None
    counts = [_instructions(tree, loop, messages) for messages in (few, many)]
    return (counts[1] - counts[0]) / (many - few)


_COUNTED_SERVER = """\
import sys
from SMTPLibrary.core import SMTPServer
server = SMTPServer()
server.start()
print(server.port, flush=True)
sys.stdin.readline()
print(server.mailbox.count(), flush=True)
server.stop()
"""


def _instructions(tree: Path | None, loop: str, messages: int) -> int:
    folder = Path(tree or ROOT)
    with tempfile.TemporaryDirectory(prefix="smtplibrary-bench-callgrind-") as scratch:
        out = Path(scratch) / "callgrind.out"
        env = {**os.environ, "PYTHONPATH": str(folder), "SMTPLIBRARY_EVENT_LOOP": loop, "PYTHONHASHSEED": "0"}
        server = subprocess.Popen(
            ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", sys.executable, "-c", _COUNTED_SERVER],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            cwd=folder,
        )
        port = int(server.stdout.readline())
        subprocess.run(
            [sys.executable, "-m", "bench.client", str(port), "1", str(messages), "1024", "Counted"],
            check=True,
            capture_output=True,
            env=ROOT_ENV,
            timeout=600,
        )
        server.stdin.write("stop\n")
        server.stdin.flush()
        stored = int(server.stdout.readline())
        errors = server.communicate(timeout=600)[1]
    if stored != messages:
        raise AssertionError(f"callgrind: {stored} messages stored, {messages} sent")
    return int(re.search(r"Collected : (\d+)", errors).group(1))


def _serve(loop: str) -> None:
    import SMTPLibrary

    from .servers import Library

    target = Library(loop)
    port = target.start()
    answers = {
        "package": lambda: Path(SMTPLibrary.__file__).parent,
        "port": lambda: port,
        "count": target.stored,
        "reset": lambda: (target.reset(), "reset")[1],
        "stop": lambda: (target.stop(), "stopped")[1],
    }
    for line in sys.stdin:
        print(answers[line.strip()](), flush=True)


if __name__ == "__main__":
    _serve(sys.argv[1])
