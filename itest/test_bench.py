"""The benchmark runner's pieces work together (a tiny run). Nothing about speed is asserted:
benchmarks are not tests (``make bench`` measures)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_a_quick_benchmark_run_writes_every_section(tmp_path):
    output = tmp_path / "performance.md"
    result = subprocess.run(
        [sys.executable, "-m", "bench", "--quick", "--output", str(output)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    text = output.read_text()
    for heading in ("## Machine", "1. Throughput", "2. Wake-up latency", "3. Start+stop", "4. Matching", "5. Memory",
                    "6. Robot Framework run", "7. IMAP view", "8. Message checks",
                    "9. No faults set: as fast as before"):  # fmt: skip
        assert heading in text, heading
    for figure in ("SMTPLibrary (asyncio)", "Message Should Be Received Matching (asyncio)", "Mailbox.wait_for",
                   "plain (asyncio)", "STARTTLS", "subject over 300 messages", "resident memory per stored message",
                   "peak while receiving one", "wall time of the whole robot run",
                   "start+stop of SMTP + IMAP", "FETCH 1:* (BODY.PEEK[]) of 10 captured messages",
                   "Get Message Authentication (keyword, with its card)",
                   "Get Message Problems (keyword, with its card)", "first checks of a fresh process",
                   "1 KB, 1 session, 10 messages: SMTPLibrary, this tree"):  # fmt: skip
        assert figure in text, figure
    assert "SMTPLibrary's default event loop here" in text
