"""Fetch aiosmtpd's own test suite (from its sdist) into a cache folder.

    python fetch.py CACHE_DIR

Downloads the pinned aiosmtpd sdist with pip (so pip's configured index is
used), checks its sha256, and unpacks what the protocol tests need:
``aiosmtpd/__init__.py`` (so that pytest names the test modules
``aiosmtpd.tests.*``), ``aiosmtpd/tests/`` (conftest, test modules,
certificates) and ``aiosmtpd/testing/`` (helpers, status codes), plus the
sdist's LICENSE and NOTICE. aiosmtpd's own code is NOT unpacked: the tests
run against the installed aiosmtpd.

Prints the folder holding the unpacked tree (CACHE_DIR/aiosmtpd-VERSION).
Does nothing when that folder is already complete for the pinned hash.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

VERSION = "1.4.6"
SDIST = f"aiosmtpd-{VERSION}.tar.gz"
# sha256 of aiosmtpd-1.4.6.tar.gz as published on PyPI.
SHA256 = "5a811826e1a5a06c25ebc3e6c4a704613eb9a1bcf6b78428fbe865f4f6c9a4b8"

TOP = f"aiosmtpd-{VERSION}/"
WANTED_DIRS = ("aiosmtpd/tests/", "aiosmtpd/testing/")
WANTED_FILES = ("aiosmtpd/__init__.py", "LICENSE", "NOTICE")
STAMP = ".fetched"


def tree(cache: Path) -> Path:
    """Where the unpacked tests of the pinned version live in ``cache``."""
    return cache / f"aiosmtpd-{VERSION}"


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()


def download(into: Path) -> Path:
    """The sdist, downloaded by pip into ``into`` (a wheel is never taken)."""
    command = [
        sys.executable, "-m", "pip", "download", "--quiet", "--disable-pip-version-check",
        "--no-deps", "--no-binary", ":all:", f"aiosmtpd=={VERSION}", "-d", str(into),
    ]  # fmt: skip
    subprocess.run(command, check=True)
    sdist = into / SDIST
    if not sdist.is_file():
        raise SystemExit(f"pip did not download {SDIST} (got: {sorted(p.name for p in into.iterdir())})")
    return sdist


def wanted(name: str) -> str | None:
    """The path to unpack a member to (relative to the tree), or None to skip it."""
    if not name.startswith(TOP):
        return None
    relative = name[len(TOP) :]
    if relative in WANTED_FILES or relative.startswith(WANTED_DIRS):
        parts = Path(relative).parts
        if ".." in parts or Path(relative).is_absolute():
            raise SystemExit(f"unsafe path in {SDIST}: {name}")
        return relative
    return None


def unpack(sdist: Path, target: Path) -> None:
    with tarfile.open(sdist, "r:gz") as archive:
        for member in archive.getmembers():
            relative = wanted(member.name)
            if relative is None or member.isdir():
                continue
            if not member.isfile():
                raise SystemExit(f"unexpected non-file member in {SDIST}: {member.name}")
            destination = target / relative
            destination.parent.mkdir(parents=True, exist_ok=True)
            source = archive.extractfile(member)
            assert source is not None
            with source, destination.open("wb") as out:
                shutil.copyfileobj(source, out)


def fetch(cache: Path) -> Path:
    target = tree(cache)
    stamp = target / STAMP
    if stamp.is_file() and stamp.read_text().strip() == SHA256:
        return target
    cache.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=cache) as temp:
        sdist = download(Path(temp))
        got = sha256(sdist)
        if got != SHA256:
            raise SystemExit(f"{SDIST}: sha256 {got}, expected {SHA256}: refusing to use it")
        staging = Path(temp) / "tree"
        unpack(sdist, staging)
        for needed in ("aiosmtpd/tests/conftest.py", "aiosmtpd/tests/certs/server.crt", "aiosmtpd/testing/helpers.py"):
            if not (staging / needed).is_file():
                raise SystemExit(f"{SDIST} has no {needed}")
        (staging / STAMP).write_text(SHA256 + "\n")
        if target.exists():
            shutil.rmtree(target)
        staging.rename(target)
    return target


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    print(fetch(Path(argv[0]).resolve()))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
