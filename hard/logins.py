"""A client that logs in every way SMTP allows, with the right password and a wrong one,
and the forms in which those passwords could leak. Also a Robot library (``Log In Every Way``)."""

from __future__ import annotations

import base64

from support import Wire

USER = "alice"
PASSWORD = "Sesam-öffne-dich!"  # '-' and '!' are no base64: sent raw, it cannot pass for an encoded answer
WRONG_PASSWORD = "Hunter2-wrong!"
CREDENTIALS = f"{USER}:{PASSWORD}"
SENDER, RECIPIENT = "app@example.com", "bob@example.com"


def b64(text: str) -> bytes:
    return base64.b64encode(text.encode())


def secret_forms() -> list[str]:
    """Every form of both passwords a careless log could show: raw (as text and as a bytes
    repr), and as AUTH PLAIN and LOGIN send them."""
    forms = []
    for password in (PASSWORD, WRONG_PASSWORD):
        forms += [
            password,
            repr(password.encode())[2:-1],
            b64(password).decode(),
            b64(f"\0{USER}\0{password}").decode(),
        ]
    return list(dict.fromkeys(forms))


# Each way: the client lines, each sent after the previous reply. PLAIN and LOGIN, with the
# secret on the AUTH line (initial response) or as answers to the server's challenges.
WAYS = {
    "PLAIN, initial response": lambda password: [b"AUTH PLAIN " + b64(f"\0{USER}\0{password}")],
    "PLAIN, answer to a challenge": lambda password: [b"AUTH PLAIN", b64(f"\0{USER}\0{password}")],
    "LOGIN, initial response": lambda password: [b"AUTH LOGIN " + b64(USER), b64(password)],
    "LOGIN, answers to challenges": lambda password: [b"AUTH LOGIN", b64(USER), b64(password)],
    "LOGIN, password not encoded": lambda password: [b"AUTH LOGIN", b64(USER), password.encode()],
}
# What the server answers last, by way and password.
OUTCOMES = {
    (way, password): 501 if way.endswith("not encoded") else 235 if password == PASSWORD else 535
    for way in WAYS
    for password in (PASSWORD, WRONG_PASSWORD)
}


def log_in_every_way(port: int | str, host: str = "127.0.0.1") -> list[str]:
    """One session per way and password; a message is sent after each successful login.
    Returns what happened, one line per session (and fails when the server answers otherwise)."""
    happened = []
    for (way, password), expected in OUTCOMES.items():
        with Wire(host, int(port)) as wire:
            assert wire.reply().code == 220
            assert wire.command(b"EHLO logins.test").code == 250
            for line in WAYS[way](password):
                reply = wire.command(line)
            assert reply.code == expected, f"{way}: {reply.text}"
            if reply.code == 235:
                assert wire.command(f"MAIL FROM:<{SENDER}>".encode()).code == 250
                assert wire.command(f"RCPT TO:<{RECIPIENT}>".encode()).code == 250
                assert wire.command(b"DATA").code == 354
                wire.send(f"Subject: logged in, {way}\r\n\r\nhello\r\n.\r\n".encode())
                assert wire.reply().code == 250
            wire.command(b"QUIT")
        happened.append(f"{way}, {'right' if password == PASSWORD else 'wrong'} password: {reply.code}")
    return happened
