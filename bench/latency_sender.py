"""The sending side of the wake-up benchmark: one smtplib connection, one
message per subject read from stdin, ``time.monotonic()`` printed when the
server's ``250`` for it arrived."""

from __future__ import annotations

import smtplib
import sys
import threading
import time


def main(port: int, delay: float) -> None:
    pause = threading.Event()
    with smtplib.SMTP("127.0.0.1", port, timeout=10) as client:
        client.ehlo("bench.example.com")
        print("ready", flush=True)
        for line in sys.stdin:
            subject = line.rstrip("\n")
            pause.wait(delay)
            source = f"From: a@example.com\r\nTo: b@example.com\r\nSubject: {subject}\r\n\r\nWake up.\r\n"
            client.sendmail("a@example.com", ["b@example.com"], source.encode())
            print(repr(time.monotonic()), flush=True)


if __name__ == "__main__":
    main(int(sys.argv[1]), float(sys.argv[2]))
