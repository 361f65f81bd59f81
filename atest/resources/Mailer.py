"""Test helper: sends mail with Python's smtplib, as an application under test would."""

from __future__ import annotations

import smtplib
import socket
import threading
from email.message import EmailMessage

from robot.api.deco import keyword, library


@library(scope="GLOBAL")
class Mailer:
    def __init__(self) -> None:
        self._threads: list[threading.Thread] = []

    @keyword
    def send_mail(
        self,
        port: int,
        sender: str = "app@example.com",
        recipients: str | list[str] = "alice@example.com",
        subject: str = "Hello",
        body: str = "Hello from the application.",
        html: str | None = None,
        headers: dict[str, str] | None = None,
        host: str = "127.0.0.1",
    ) -> None:
        """Composes a message and sends it. ``recipients`` may be comma-separated."""
        message = EmailMessage()
        message["From"] = sender
        message["To"] = recipients if isinstance(recipients, str) else ", ".join(recipients)
        message["Subject"] = subject
        for name, value in (headers or {}).items():
            message[name] = value
        message.set_content(body)
        if html is not None:
            message.add_alternative(html, subtype="html")
        self.send_raw_mail(port, message.as_bytes(), sender, recipients, host)

    @keyword
    def send_raw_mail(
        self,
        port: int,
        source: bytes | str,
        sender: str = "app@example.com",
        recipients: str | list[str] = "alice@example.com",
        host: str = "127.0.0.1",
    ) -> None:
        """Sends ``source`` as it is (``\\n`` line ends become CRLF on the wire)."""
        if isinstance(recipients, str):
            recipients = [address.strip() for address in recipients.split(",")]
        with smtplib.SMTP(host, port, local_hostname="mailer.test", timeout=10) as client:
            client.sendmail(sender, recipients, source)

    @keyword
    def send_mail_in_background(self, port: int, *args, **kwargs) -> None:
        """Like `Send Mail`, from another thread: the keyword returns before the mail is sent."""
        thread = threading.Thread(target=self.send_mail, args=(port, *args), kwargs=kwargs)
        thread.start()
        self._threads.append(thread)

    @keyword
    def wait_for_background_mail(self) -> None:
        for thread in self._threads:
            thread.join(30)
        self._threads.clear()

    @keyword
    def get_free_port(self) -> int:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            return sock.getsockname()[1]

    @keyword
    def connection_should_be_refused(self, port: int, host: str = "127.0.0.1") -> None:
        try:
            socket.create_connection((host, port), timeout=5).close()
        except ConnectionRefusedError:
            return
        raise AssertionError(f"Connection to {host}:{port} was accepted.")
