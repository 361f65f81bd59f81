"""The npm mail programs itest/ drives (imapflow, nodemailer), and the Node.js that runs them, as
.ci/node-clients installs them: a missing or too old Node.js is a failure, never a skip."""

from __future__ import annotations

import functools
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROJECT = ROOT / "itest" / "node"


@functools.cache
def node() -> str:
    """The ``node`` binary to run the programs in :data:`PROJECT` with, once they are installed."""
    done = subprocess.run([str(ROOT / ".ci" / "node-clients")], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, f".ci/node-clients failed: {done.stdout}{done.stderr}"
    return done.stdout.strip()
