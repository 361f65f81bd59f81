"""The bench-only reference library: a bare aiosmtpd Controller, started the way
aiosmtpd's documentation shows, and a wait on a condition its handler notifies."""

import socket
import threading

from aiosmtpd.controller import Controller


class _Handler:
    def __init__(self):
        self.cond = threading.Condition()
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        with self.cond:
            self.messages.append(envelope.original_content)
            self.cond.notify_all()
        return "250 OK"


class BareSMTP:
    ROBOT_LIBRARY_SCOPE = "GLOBAL"

    def __init__(self):
        self.controller = None
        self.handler = None

    def start_bare_server(self):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        self.handler = _Handler()
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=port, server_hostname="localhost")
        self.controller.start()
        return port

    def bare_message_should_arrive(self, subject, timeout=5.0):
        wanted = f"Subject: {subject}\r\n".encode()
        with self.handler.cond:
            if not self.handler.cond.wait_for(lambda: any(wanted in raw for raw in self.handler.messages), timeout):
                raise AssertionError(f"No message with subject {subject!r} arrived.")

    def stop_bare_server(self):
        self.controller.stop()
