"""A small help desk: it reads the support mailbox over IMAP, turns each unread mail into a ticket
file, and marks the mail read, so that it is ticketed once. The application under test of
helpdesk.robot and features/helpdesk.feature; it knows nothing of SMTPLibrary.

    python helpdesk_app.py --imap-port 1143 --user support --password s3cret --tickets tickets/ --once
    python helpdesk_app.py ... --poll 30      # look every 30 seconds until stopped
"""

from __future__ import annotations

import argparse
import email
import email.policy
import imaplib
import sys
import time
from pathlib import Path


def check_mailbox(host: str, port: int, user: str, password: str, tickets: Path) -> int:
    """One look at the INBOX: a ticket per unread mail. Returns how many tickets were opened."""
    tickets.mkdir(parents=True, exist_ok=True)
    opened = 0
    with imaplib.IMAP4(host, port, timeout=30) as client:
        client.login(user, password)
        client.select("INBOX")
        _, found = client.uid("SEARCH", "UNSEEN")
        for uid in found[0].split():
            _, data = client.uid("FETCH", uid, "(BODY.PEEK[])")
            mail = email.message_from_bytes(data[0][1], policy=email.policy.default)
            body = mail.get_body(("plain", "html"))
            number = len(list(tickets.glob("ticket-*.txt"))) + 1
            (tickets / f"ticket-{number}.txt").write_text(
                f"From: {mail['From']}\nSubject: {mail['Subject']}\n\n{body.get_content() if body else ''}",
                encoding="utf-8",
            )
            client.uid("STORE", uid, "+FLAGS", "(\\Seen)")
            opened += 1
    return opened


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--imap-host", default="127.0.0.1")
    parser.add_argument("--imap-port", type=int, required=True)
    parser.add_argument("--user", required=True)
    parser.add_argument("--password", required=True)
    parser.add_argument("--tickets", type=Path, required=True, help="folder of the ticket files")
    when = parser.add_mutually_exclusive_group(required=True)
    when.add_argument("--once", action="store_true", help="look once and exit")
    when.add_argument("--poll", type=float, metavar="SECONDS", help="look every SECONDS until stopped")
    options = parser.parse_args(argv)
    while True:
        opened = check_mailbox(options.imap_host, options.imap_port, options.user, options.password, options.tickets)
        print(f"{opened} new ticket(s)", flush=True)
        if options.once:
            return 0
        time.sleep(options.poll)  # the application's own polling interval, not a test's wait


if __name__ == "__main__":
    sys.exit(main())
