"""Memory, measured in a child process so that nothing else the benchmark
allocated is counted: resident memory per stored message, and the peak while
one large message arrives.

The child (``python -m bench.memory SERVER LOOP``) starts the server, prints
its port, and then answers ``rss`` (resident bytes now, after a garbage
collection) and ``peak`` (the resident high-water mark) on request; the
parent sends the mail.

Linux keeps a process's high-water mark across exec, and a child starts with
its parent's: the benchmark's, large by then. So the child forks once more
and the grandchild, whose mark starts at its own size, serves.
"""

from __future__ import annotations

import gc
import os
import resource
import subprocess
import sys

from .servers import ROOT_ENV

PAGE = os.sysconf("SC_PAGE_SIZE")


def resident() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * PAGE


def peak() -> int:
    """The resident high-water mark of this process."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # KiB on Linux


class Child:
    """A server in a process of its own."""

    def __init__(self, server: str, loop: str) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bench.memory", server, loop],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=ROOT_ENV,
            text=True,
            bufsize=1,
        )
        self.port = int(self.ask("port"))

    def ask(self, what: str) -> str:
        self.process.stdin.write(what + "\n")
        self.process.stdin.flush()
        answer = self.process.stdout.readline().strip()
        if not answer:
            raise RuntimeError(f"memory child died answering {what!r}")
        return answer

    def close(self) -> None:
        self.ask("stop")
        self.process.stdin.close()
        self.process.wait(30)


def _serve(server: str, loop: str) -> None:
    from .servers import BareAiosmtpd, Library

    target = Library(loop) if server == "library" else BareAiosmtpd(loop)
    port = target.start()
    answers = {
        "port": lambda: port,
        "rss": lambda: (gc.collect(), resident())[1],
        "peak": peak,
        "count": target.stored,
        "raw": lambda: sum(message.size for message in target.server.mailbox.messages()),
        "stop": lambda: (target.stop(), "stopped")[1],
    }
    for line in sys.stdin:
        print(answers[line.strip()](), flush=True)


if __name__ == "__main__":
    pid = os.fork()
    if pid:
        sys.exit(os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]))
    _serve(sys.argv[1], sys.argv[2])
