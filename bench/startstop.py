"""Start+stop time of a server, plain and with STARTTLS.

TLS is measured through the agreed API, ``SMTPServer(tls="starttls")`` and
``SMTPLibrary.core.smtp.tls.clear_cache()``; a build without it reports "n/a"."""

from __future__ import annotations

import ssl
import subprocess
import tempfile
import time
from pathlib import Path

from aiosmtpd.controller import Controller

from SMTPLibrary.core import SMTPServer

from .servers import HOST, CountingHandler, free_port, loop_choice, make_loop

TLS_MISSING = "n/a (TLS not available in this build)"


def tls_support() -> tuple[object, object] | None:
    """``(clear_cache, SMTPServer factory)`` when this build has TLS, else None."""
    try:
        from SMTPLibrary.core.smtp import tls
    except ImportError:
        return None
    clear_cache = getattr(tls, "clear_cache", None)
    if clear_cache is None:
        return None
    try:
        SMTPServer(HOST, tls="starttls")
    except TypeError:
        return None
    return clear_cache, lambda: SMTPServer(HOST, tls="starttls")


def _cycles(start_stop, count: int) -> list[float]:
    times = []
    for _ in range(count):
        began = time.perf_counter()
        start_stop()
        times.append(time.perf_counter() - began)
    return times


def library(loop: str, count: int, factory=None, before=None) -> list[float]:
    factory = factory or (lambda: SMTPServer(HOST))

    def cycle() -> None:
        if before:
            before()
        server = factory()
        server.start()
        server.stop()

    with loop_choice(loop):
        cycle()  # imports and first-use costs are not what is measured
        return _cycles(cycle, count)


def bare(loop: str, count: int, ssl_context: ssl.SSLContext | None = None, cert: tuple | None = None) -> list[float]:
    """aiosmtpd's Controller, as its documentation starts one (it connects to itself to check)."""

    def cycle() -> None:
        tls_context = None
        if cert:
            # What a test with bare aiosmtpd does: load its certificate when it starts.
            tls_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            tls_context.load_cert_chain(*cert)
        controller = Controller(
            CountingHandler(),
            hostname=HOST,
            port=free_port(),
            server_hostname="localhost",
            loop=make_loop(loop),
            tls_context=tls_context,
        )
        controller.start()
        controller.stop()

    cycle()
    return _cycles(cycle, count)


def make_certificate(directory: Path) -> tuple[str, str]:
    """A self-signed certificate for the bare reference, made once with openssl."""
    cert, key = directory / "cert.pem", directory / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost",
         "-keyout", str(key), "-out", str(cert)],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return str(cert), str(key)


def tls_temporary_dir() -> tempfile.TemporaryDirectory:
    return tempfile.TemporaryDirectory(prefix="smtplibrary-bench-")
