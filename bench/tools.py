"""Postfix's ``smtp-source`` and ``smtp-sink``: where they are and how to run them.

``bench/get-postfix-tools`` unpacks them into ``.bench-tools/`` (no postfix
installation); a system-wide postfix on PATH works too.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
UNPACKED = ROOT / ".bench-tools"


@dataclass(frozen=True)
class PostfixTools:
    source: str
    sink: str
    env: dict[str, str]

    def run_source(self, port: int, sessions: int, count: int, size: int, subject: str, timeout: float) -> None:
        """Send ``count`` messages of ``size`` body bytes, ``sessions`` connections at a time,
        one connection per message (smtp-source's default, as most applications send)."""
        command = [
            self.source,
            "-s", str(sessions),
            "-m", str(count),
            "-l", str(size),
            "-S", subject,
            "-f", "sender@example.com",
            "-t", "rcpt@example.com",
            "-M", "bench.example.com",
            f"127.0.0.1:{port}",
        ]  # fmt: skip
        subprocess.run(command, env=self.env, check=True, timeout=timeout, stdout=subprocess.DEVNULL)

    def start_sink(self, port: int) -> subprocess.Popen:
        command = [self.sink]
        if os.geteuid() == 0:
            command += ["-u", "nobody"]  # smtp-sink refuses to run as root otherwise
        command += [f"127.0.0.1:{port}", "256"]
        return subprocess.Popen(command, env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def find_postfix() -> PostfixTools | None:
    """The postfix tools, unless ``BENCH_CLIENT=builtin`` or they are nowhere to be found."""
    if os.environ.get("BENCH_CLIENT", "") == "builtin":
        return None
    sbin = UNPACKED / "usr" / "sbin"
    if (sbin / "smtp-source").is_file() and (sbin / "smtp-sink").is_file():
        libs = str(UNPACKED / "usr" / "lib" / "postfix")
        env = dict(os.environ)
        env["LD_LIBRARY_PATH"] = os.pathsep.join(filter(None, [libs, env.get("LD_LIBRARY_PATH")]))
        return PostfixTools(str(sbin / "smtp-source"), str(sbin / "smtp-sink"), env)
    source, sink = shutil.which("smtp-source"), shutil.which("smtp-sink")
    if source and sink:
        return PostfixTools(source, sink, dict(os.environ))
    return None
