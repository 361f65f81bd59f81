"""Test helper: an application that reads mail, with Python's imaplib and poplib."""

from __future__ import annotations

import imaplib
import poplib
import ssl

from robot.api.deco import keyword, library


@library(scope="TEST")
class MailReader:
    """One IMAP connection per test, as an application holds one."""

    def __init__(self) -> None:
        self.client: imaplib.IMAP4 | None = None

    @keyword
    def log_in_over_imap(self, port: int, user: str, password: str, tls: str = "none", ca: str | None = None) -> None:
        if tls == "implicit":
            self.client = imaplib.IMAP4_SSL("localhost", port, ssl_context=ssl.create_default_context(cafile=ca))
        else:
            self.client = imaplib.IMAP4("localhost", port, timeout=10)
            if tls == "starttls":
                self.client.starttls(ssl_context=ssl.create_default_context(cafile=ca))
        self.client.login(user, password)

    @keyword
    def imap_login_should_fail(self, port: int, user: str, password: str) -> str:
        client = imaplib.IMAP4("127.0.0.1", port, timeout=10)
        try:
            client.login(user, password)
        except imaplib.IMAP4.error as error:
            return str(error)
        finally:
            client.shutdown()
        raise AssertionError(f"{user} logged in with password {password!r}")

    @keyword
    def select(self, folder: str = "INBOX") -> int:
        typ, data = self.client.select(folder)
        assert typ == "OK", data
        return int(data[0])

    @keyword
    def read_message(self, number: int = 1) -> bytes:
        typ, data = self.client.fetch(str(number), "(RFC822)")
        assert typ == "OK", data
        return data[0][1]

    @keyword
    def set_flags(self, number: int, *flags: str) -> None:
        typ, data = self.client.store(str(number), "+FLAGS", f"({' '.join(flags)})")
        assert typ == "OK", data

    @keyword
    def create_folder(self, folder: str) -> None:
        typ, data = self.client.create(folder)
        assert typ == "OK", data

    @keyword
    def move_message(self, number: int, folder: str) -> None:
        typ, data = self.client._simple_command("MOVE", str(number), folder)
        assert typ == "OK", data

    @keyword
    def delete_and_expunge(self, number: int) -> None:
        self.set_flags(number, "\\Deleted")
        typ, data = self.client.expunge()
        assert typ == "OK", data

    @keyword
    def log_out(self) -> None:
        if self.client is not None:
            self.client.logout()
            self.client = None

    @keyword
    def pop3_retrieve_and_delete(self, port: int, user: str, password: str, number: int = 1) -> bytes:
        client = poplib.POP3("127.0.0.1", port, timeout=10)
        client.user(user)
        client.pass_(password)
        lines = client.retr(number)[1]
        client.dele(number)
        client.quit()
        return b"\r\n".join(lines)

    @keyword
    def pop3_login_should_fail(self, port: int, user: str, password: str) -> str:
        client = poplib.POP3("127.0.0.1", port, timeout=10)
        client.user(user)
        try:
            client.pass_(password)
        except poplib.error_proto as error:
            return error.args[0].decode()
        finally:
            client.close()
        raise AssertionError(f"{user} logged in over POP3 with password {password!r}")
