"""Mail clients this project did not write, against the IMAP and POP3 view: each lists, fetches,
flags, moves and deletes, and the server's waits see what it did. curl and mutt come from Debian,
imapflow from npm (.ci/tools installs them); a missing one is a failure, never a skip."""

from __future__ import annotations

import asyncio
import json
import os
import re
import shutil
import subprocess

import aioimaplib
import node_clients
import pytest

from SMTPLibrary import SMTPServer

NODE = node_clients.PROJECT
USER = ["-u", "bob@example.com:bob@example.com", "-s", "-S", "--max-time", "20"]
ESCAPES = re.compile(r"\x1b(\[[0-9;?]*[a-zA-Z]|[()][0-9A-B]|[=>])")


def message(subject: str) -> bytes:
    return f"From: app@example.com\r\nTo: bob@example.com\r\nSubject: {subject}\r\n\r\nHello\r\n".encode()


def tool(name: str) -> str:
    path = shutil.which(name)
    assert path, f"{name} is not installed: run .ci/tools (make tools)"
    return path


def run(*command: str, env: dict | None = None, timeout: float = 30) -> str:
    result = subprocess.run(command, capture_output=True, timeout=timeout, env=env)
    assert result.returncode == 0, (
        f"{command} exited {result.returncode}:\n{result.stdout.decode(errors='replace')}\n"
        f"{result.stderr.decode(errors='replace')}"
    )
    return result.stdout.decode(errors="replace")


@pytest.fixture
def server():
    with SMTPServer() as running:
        yield running


@pytest.mark.parametrize("mode", ["none", "implicit"])
def test_curl_imap_and_imaps(server, mode):
    port = server.start_imap(tls=mode)
    first = server.deliver("bob@example.com", message("Curl one"))
    second = server.deliver("bob@example.com", message("Curl two"))
    base = f"{'imaps' if mode == 'implicit' else 'imap'}://localhost:{port}"

    def curl(*args: str) -> str:
        return run(tool("curl"), *USER, "--cacert", server.imap_ca_certificate, *args)

    assert '"/" INBOX' in curl(f"{base}/")  # LIST
    assert "Subject: Curl one" in curl(f"{base}/INBOX;UID=101")  # FETCH BODY[]: \Seen
    server.wait_for_flags(first, "\\Seen")
    curl(f"{base}/INBOX", "-X", "UID STORE 102 +FLAGS (\\Flagged $Label1)")
    server.wait_for_flags(second, "\\Flagged", "$Label1")
    curl(f"{base}/", "-X", "CREATE Archive")
    curl(f"{base}/INBOX", "-X", "UID MOVE 101 Archive")
    server.wait_in_folder(first, "Archive")
    curl(f"{base}/INBOX", "-X", "UID STORE 102 +FLAGS (\\Deleted)")
    curl(f"{base}/INBOX", "-X", "EXPUNGE")
    server.wait_expunged(second)


@pytest.mark.parametrize("mode", ["none", "starttls"])
def test_curl_pop3_with_and_without_stls(server, mode):
    port = server.start_pop3(tls=mode)
    first = server.deliver("bob@example.com", message("Pop one"))
    second = server.deliver("bob@example.com", message("Pop two"))
    base = f"pop3://localhost:{port}"
    tls = ["--cacert", server.imap_ca_certificate, "--ssl-reqd"] if mode == "starttls" else []

    def curl(*args: str) -> str:
        return run(tool("curl"), *USER, *tls, *args)

    assert curl(f"{base}/") == f"1 {len(first.raw)}\r\n2 {len(second.raw)}\r\n"  # LIST
    assert "Subject: Pop two" in curl(f"{base}/2")  # RETR, then QUIT: \Seen
    server.wait_for_flags(second, "\\Seen")
    assert curl(f"{base}/", "-X", "UIDL").splitlines()[0].endswith(".101")
    curl(f"{base}/1", "-X", "DELE", "-I")  # DELE 1, QUIT commits it
    server.wait_expunged(first)
    server.wait_in_folder(second, "INBOX")


def test_mutt_reads_flags_moves_and_deletes_over_imaps(server, tmp_path):
    port = server.start_imap(tls="implicit")
    read, flagged, moved, deleted = (server.deliver("bob@example.com", message(f"Mutt {n}")) for n in range(4))
    home = tmp_path / "home"
    home.mkdir()  # empty: mutt's first run
    muttrc = tmp_path / "muttrc"
    muttrc.write_text(
        "\n".join(
            [
                f'set folder="imaps://bob%40example.com@localhost:{port}/"',
                'set spoolfile="+INBOX"',
                'set imap_pass="bob@example.com"',
                f'set ssl_ca_certificates_file="{server.imap_ca_certificate}"',
                "set sort=date",
                "set confirmcreate=no",  # no "Create =Archive?" prompt
                "set delete=yes",  # no "Purge deleted messages?" prompt
                "set move=no",  # no "Move read messages to ~/mbox?" prompt
                "set header_cache=",  # nothing written into HOME
                "set record=",
                "",
            ]
        )
    )
    keys = (
        "<first-entry><display-message><exit>"  # read the first: \Seen
        "<next-entry><flag-message>"  # flag the second (the cursor moves on)
        "<last-entry><delete-message>"  # delete the fourth
        "<first-entry><next-entry><next-entry><save-message>=Archive<enter>"  # move the third
        "<sync-mailbox><quit>"
    )
    # mutt needs a terminal (without one it becomes a batch *sender*): script(1) gives it one.
    # -n: not /etc/Muttrc (Debian's sets a CA file and sort=threads).
    command = f"{tool('mutt')} -n -F {muttrc} -e 'push \"{keys}\"'"
    env = {"HOME": str(home), "TERM": "xterm", "PATH": os.environ["PATH"]}
    screen = ESCAPES.sub("", run(tool("script"), "-qfec", command, "/dev/null", env=env)).replace("\r", "\n")
    assert "Msgs:2 New:1 Flag:1" in screen, screen[-2000:]  # the index after moving one and deleting one
    server.wait_for_flags(read, "\\Seen")
    server.wait_for_flags(flagged, "\\Flagged")
    server.wait_in_folder(moved, "Archive")  # COPY, \Deleted, EXPUNGE: mutt 2.2 has no MOVE
    server.wait_expunged(deleted)
    assert server.mailbox_folders("bob@example.com") == ["INBOX", "Archive"]
    assert list(home.iterdir()) == []


def test_imapflow_over_starttls_lists_fetches_flags_moves_deletes_and_idles(server):
    port = server.start_imap(tls="starttls")
    seen, flagged, moved, deleted = (server.deliver("bob@example.com", message(f"Flow {n}")) for n in range(4))
    said = []
    command = [node_clients.node(), "client.mjs", str(port), "starttls", server.imap_ca_certificate]
    with subprocess.Popen(command, cwd=NODE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) as process:
        try:
            for line in process.stdout:
                said.append(json.loads(line))
                if said[-1].get("idling"):  # the client is in IDLE: new mail must be pushed to it
                    pushed = server.deliver("bob@example.com", message("Flow pushed"))
            process.wait(20)
        finally:
            process.kill()
        errors = process.stderr.read()
    assert process.returncode == 0, (said, errors)
    facts = {key: value for entry in said for key, value in entry.items()}
    assert facts["secure"] is True
    assert {"IDLE", "MOVE", "UIDPLUS"} <= set(facts["capabilities"])
    assert [entry[1] for entry in facts["fetched"]] == ["Flow 0", "Flow 1", "Flow 2", "Flow 3"]
    assert facts["moved"]["uidMap"] == {"103": 101} and facts["deleted"] is True
    assert facts["exists"] == 3  # 4 - moved - deleted + pushed
    server.wait_for_flags(seen, "\\Seen")
    server.wait_for_flags(flagged, "\\Flagged", "$Ticket")
    server.wait_in_folder(moved, "Archive")
    server.wait_expunged(deleted)
    server.wait_in_folder(pushed, "INBOX")


def test_aioimaplib_over_imaps_lists_fetches_flags_moves_deletes(server):
    import ssl

    port = server.start_imap(tls="implicit")
    seen, flagged, moved, deleted = (server.deliver("bob@example.com", message(f"Aio {n}")) for n in range(4))
    context = ssl.create_default_context(cafile=server.imap_ca_certificate)

    async def scenario():
        client = aioimaplib.IMAP4_SSL(host="localhost", port=port, ssl_context=context, timeout=5)
        await client.wait_hello_from_server()
        await client.login("bob@example.com", "bob@example.com")
        listed = await client.list('""', "*")
        await client.select("INBOX")
        fetched = await client.uid("fetch", "101:104", "(BODY.PEEK[HEADER.FIELDS (SUBJECT)])")
        await client.uid("store", "101", "+FLAGS", "(\\Seen)")
        await client.uid("store", "102", "+FLAGS", "(\\Flagged)")
        await client.create("Archive")
        moved_response = await client.uid("move", "103", "Archive")
        await client.uid("store", "104", "+FLAGS", "(\\Deleted)")
        await client.expunge()
        await client.logout()
        return listed, fetched, moved_response

    listed, fetched, moved_response = asyncio.run(scenario())
    assert listed.result == "OK" and any(b"INBOX" in line for line in listed.lines)
    assert sum(b"Subject: Aio" in line for line in fetched.lines if isinstance(line, (bytes, bytearray))) == 4
    assert moved_response.result == "OK"
    server.wait_for_flags(seen, "\\Seen")
    server.wait_for_flags(flagged, "\\Flagged")
    server.wait_in_folder(moved, "Archive")
    server.wait_expunged(deleted)
