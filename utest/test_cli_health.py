"""``smtplibrary serve`` looks at the server's health on its own, statistics or not."""

from __future__ import annotations

import io
import os
import signal
import threading

from SMTPLibrary.cli.console import Console
from SMTPLibrary.cli.serve import serve
from SMTPLibrary.cli.signals import StopSignals
from SMTPLibrary.core import SMTPServer


def test_a_dead_server_thread_ends_serve_without_statistics_nor_a_signal(capsys):
    server = SMTPServer()
    server.start()
    # The server thread ends behind the command's back.
    server._thread.loop.call_soon_threadsafe(server._thread.loop.stop)
    server._thread._thread.join(5)
    out = io.StringIO()
    with StopSignals() as signals:
        # Should serve() wait for a signal only, this one ends the test instead of hanging it.
        rescue = threading.Timer(10, os.kill, (os.getpid(), signal.SIGTERM))
        rescue.start()
        try:
            status = serve(server, signals, 0.0, Console(out))
        finally:
            rescue.cancel()
            server.stop()
    assert signals.received is None
    assert status == 1
    assert "has stopped unexpectedly" in capsys.readouterr().err
    assert out.getvalue() == ""
