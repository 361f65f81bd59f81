"""Sends one small message with smtplib: the application under test of the overhead suites."""

import smtplib


def send_message(port, subject):
    source = f"From: app@example.com\r\nTo: user@example.com\r\nSubject: {subject}\r\n\r\nHello.\r\n"
    with smtplib.SMTP("127.0.0.1", int(port), timeout=10) as client:
        client.sendmail("app@example.com", ["user@example.com"], source.encode())
