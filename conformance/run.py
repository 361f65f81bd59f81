"""Run aiosmtpd's protocol tests against SMTPLibrary's protocol class.

    python run.py CACHE_DIR [pytest arguments...]

Fetches the tests into CACHE_DIR (see fetch.py) and runs MODULES with
plugin.py, pytest.ini (aiosmtpd's own settings) and no conftest.py above the
fetched tree. The class comes from $SMTPLIBRARY_CONFORMANCE_CLASS (or
--conformance-class MODULE:CLASS among the pytest arguments); the known
differences from expected.txt (or --conformance-expected FILE). Test files or
node ids among the arguments (``test_smtp.py::TestSMTP``) replace MODULES.
Exits with pytest's status.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import fetch  # noqa: E402
import plugin  # noqa: E402

MODULES = (
    "test_smtp",
    "test_smtpsmuggling",
    "test_smtps",
    "test_starttls",
    "test_handlers",
    "test_server",
    "test_proxyprotocol",
)


def main(argv: list[str]) -> int:
    if not argv or argv[0].startswith("-"):
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    tree = fetch.fetch(Path(argv[0]).resolve())
    extra = argv[1:]
    # Test paths among the extra arguments replace the default list (e.g. one node id).
    chosen = [arg for arg in extra if re.match(r"test_\w+\.py(::|$)", arg)]
    paths = [str(tree / "aiosmtpd" / "tests" / arg) for arg in chosen] or [
        str(tree / "aiosmtpd" / "tests" / f"{name}.py") for name in MODULES
    ]
    options = [arg for arg in extra if arg not in chosen]
    args = ["-c", str(HERE / "pytest.ini"), "--rootdir", str(tree), "--confcutdir", str(tree), *options, *paths]
    return int(pytest.main(args, plugins=[plugin]))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
