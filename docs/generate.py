"""Writes the keyword reference, docs/SMTPLibrary.html, with libdoc.

The output is reproducible: the generation time is fixed by
``SOURCE_DATE_EPOCH`` and source paths are made relative to the repository,
so a test can regenerate it and compare it (``itest/test_docs.py``).

Usage: python docs/generate.py [OUTPUT]
"""

import os
import sys
from pathlib import Path

from robot.libdoc import libdoc

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUTPUT = ROOT / "docs" / "SMTPLibrary.html"
# 2026-01-01: the reference changes when the keywords do, not when it is rebuilt.
FIXED_EPOCH = "1767225600"


def generate(output: Path = DEFAULT_OUTPUT) -> Path:
    os.environ["SOURCE_DATE_EPOCH"] = FIXED_EPOCH
    sys.path.insert(0, str(ROOT))
    libdoc("SMTPLibrary", str(output), format="HTML", quiet=True)
    html = output.read_text(encoding="utf-8")
    prefix = (str(ROOT) + os.sep).replace("\\", "\\\\")
    output.write_text(html.replace(prefix, ""), encoding="utf-8")
    return output


if __name__ == "__main__":
    print(generate(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_OUTPUT))
