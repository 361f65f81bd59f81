"""A Django application's mail, as Django writes and sends it, is found by the subject it has."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from SMTPLibrary import SMTPServer

APP = Path(__file__).resolve().parent / "apps" / "django_mailer.py"
SUBJECT = "Grüße aus Köln: Ihre Bestellung Nr. 12345 ist unterwegs und kommt bald an"


def test_a_long_non_ascii_subject_sent_over_starttls_with_auth_is_matched_exactly():
    options = {"tls": "starttls", "require_tls": True, "credentials": {"shop": "s3cret"}, "auth_required": True}
    with SMTPServer(**options) as server:
        environment = {**os.environ, "SSL_CERT_FILE": server.ca_certificate}
        sent = subprocess.run(
            [sys.executable, str(APP), str(server.port), "shop", "s3cret"],
            env=environment,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert sent.returncode == 0, sent.stderr
        message = server.wait_for(subject=f"EQUALS:{SUBJECT}", authenticated_as="shop", tls="yes", timeout=10)
    assert message.subject == SUBJECT
    assert message.headers["From"] == '"Kundenservice der Großhandlung Müller & Söhne GmbH, Köln" <service@example.com>'
    assert message.recipients == ["juergen@example.com"]
    assert "Ihre Bestellung ist unterwegs." in message.text
