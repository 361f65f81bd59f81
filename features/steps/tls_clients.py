"""Project-only steps (loaded after clients.py, whose types they use): smtplib, curl and swaks send over
TLS checking the server's certificate against the test CA's file (atest/resources/CertificateClients.py
drives them)."""

from __future__ import annotations

import sys
from pathlib import Path

from behave import when

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "atest" / "resources"))

from CertificateClients import CertificateClients

CLIENTS = CertificateClients()


@when("{client:ProjectClient} tries to send over {mode:ProjectMode}, checking the certificate")
def step_tries_checking(context, client, mode):
    server = context.smtp_server
    try:
        CLIENTS.send_over_tls(client, server.port, mode, server.ca_certificate)
    except AssertionError as refused:
        context.client_refusal = str(refused)
    else:
        context.client_refusal = None
