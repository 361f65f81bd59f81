"""docs/performance.md: what was measured, on what, and what the figures mean."""

from __future__ import annotations

import time
from pathlib import Path

ANALYSIS = Path(__file__).resolve().parent / "analysis.md"

INTRO = """\
# Performance

Written by `make bench` (`python -m bench`) on {date}. Every figure is measured
side by side with its reference **in the same run**, servers taking turns, so
that a neighbour's load hits both alike: the **ratios** are what the targets
use, absolute numbers only describe this machine at that moment. Spreads are
the lowest and highest of the repetitions around their median.

## Machine

| | |
| --- | --- |
{machine}

## Results

{table}
"""


def render(machine: dict[str, str], table: str, missed: list[str]) -> str:
    rows = "\n".join(f"| {key} | {value} |" for key, value in machine.items())
    text = INTRO.format(date=time.strftime("%Y-%m-%d %H:%M %Z"), machine=rows, table=table)
    text += "\n## Targets missed in this run\n\n"
    text += "".join(f"- {line}\n" for line in missed) if missed else "None: every target above was met.\n"
    if ANALYSIS.exists():
        text += "\n" + ANALYSIS.read_text()
    return text
