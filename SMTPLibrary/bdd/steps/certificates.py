"""Steps that find out whether the application under test checks the server's certificate."""

from __future__ import annotations

from typing import Any

from ..fixtures import smtp_timeout, use_smtp_server
from .context import current_server, given, then


@given('an SMTP server is running with STARTTLS and a "{certificate}" certificate')
def step_starttls_certificate(context: Any, certificate: str) -> None:
    use_smtp_server(context, tls="starttls", certificate=certificate)


@given('an SMTP server is running with implicit TLS and a "{certificate}" certificate')
def step_implicit_certificate(context: Any, certificate: str) -> None:
    use_smtp_server(context, tls="implicit", certificate=certificate)


@then("the client should have rejected the server certificate")
def step_rejected_certificate(context: Any) -> None:
    current_server(context).wait_for_certificate_rejection(smtp_timeout(context))
