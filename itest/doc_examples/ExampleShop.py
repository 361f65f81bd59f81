"""The application the keyword reference's examples test: a shop that mails its customers.

Its keywords stand for the application under test in those examples
(``Register User``, ``Confirm Order``, ``Send The Newsletter``, ``Start The
Application``): each sends real mail with smtplib to the current SMTPLibrary
server, as the shop would to whatever server it is configured with: STARTTLS
when the server offers it (verifying the certificate with the server's CA
file), implicit TLS on an implicit TLS server, a login when told to. On a
temporary refusal (4xx, a dropped connection) it sends the whole message
again, up to five times: a message goes to all its recipients at once, or to
none. Its mail is well formed (Date, Message-ID, a text and an HTML
alternative, a language), and signed with DKIM when given a key.
"""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from robot.api import logger
from robot.api.deco import keyword, library
from robot.libraries.BuiltIn import BuiltIn

SHOP = "Bücherladen Müller <shop@example.com>"
SUBSCRIBERS = ("alice@example.com", "bob@example.com")
ATTEMPTS = 5
INVOICE = b"%PDF-1.4\n% the invoice of order 42\n"


@library(scope="GLOBAL")
class ExampleShop:
    @keyword("Register User")
    def register_user(self, address: str, smtp_port: int | None = None, smtp_login: str | None = None) -> None:
        """Sends the welcome mail, with a link that confirms the address, to ``address``."""
        name = address.split("@")[0].split(".")[0].capitalize()
        link = "https://example.com/verify?token=4f2a1c"
        mail = _mail(address, "Welcome", f"Hello {name},\n\nplease confirm your address: {link}\n")
        mail.add_alternative(
            _html(f'<p>Hello {name},</p>\n<p><a href="{link}">Confirm your address</a></p>'), subtype="html"
        )
        _send(mail, [address], smtp_port, smtp_login)

    @keyword("Confirm Order")
    def confirm_order(self, address: str, order: str, smtp_port: int | None = None) -> None:
        """Sends the confirmation of ``order`` to ``address``, with a tracking link and the invoice as a PDF."""
        link = f"https://example.com/orders/{order}?track=1"
        mail = _mail(address, f"Order {order} confirmed", f"Thank you! Track your order: {link}\n")
        mail.add_alternative(_html(f'<p>Thank you!\n<a href="{link}">Track your order</a></p>'), subtype="html")
        mail.add_attachment(INVOICE, maintype="application", subtype="pdf", filename="Rechnung März.pdf")
        _send(mail, [address], smtp_port)

    @keyword("Start The Application")
    def start_the_application(
        self, smtp_port: int | None = None, ca_file: str | None = None, dkim_key_file: str | None = None
    ) -> None:
        """Runs the shop's invoicing once: the invoice of order 42 goes to alice@example.com, signed with
        the DKIM key in ``dkim_key_file`` (selector ``test`` of example.com) when given, over TLS checked
        with ``ca_file`` when the server has TLS. As a running application would, it logs a failure to
        send (a refused certificate, say) rather than stopping the test."""
        mail = _mail("alice@example.com", "Invoice for order 42", "Your invoice is attached.\n")
        mail.add_alternative(_html("<p>Your invoice is attached.</p>"), subtype="html")
        mail.add_attachment(INVOICE, maintype="application", subtype="pdf", filename="invoice-42.pdf")
        try:
            _send(mail, ["alice@example.com"], smtp_port, ca_file=ca_file, dkim_key_file=dkim_key_file)
        except (smtplib.SMTPException, OSError) as error:
            logger.info(f"The shop could not send the invoice: {type(error).__name__}: {error}")

    @keyword("Send The Newsletter")
    def send_the_newsletter(self, smtp_port: int | None = None) -> None:
        """Sends this month's newsletter to every subscriber (alice and bob), as one message."""
        mail = _mail(", ".join(SUBSCRIBERS), "Our March newsletter", "New books are in.\n")
        _send(mail, list(SUBSCRIBERS), smtp_port)


def _mail(to: str, subject: str, text: str) -> EmailMessage:
    mail = EmailMessage()
    mail["From"], mail["To"], mail["Subject"] = SHOP, to, subject
    mail["Date"] = formatdate(localtime=True)
    mail["Message-ID"] = make_msgid(domain="example.com")
    mail.set_content(text)
    return mail


def _html(body: str) -> str:
    return f'<html lang="en">\n<body>\n{body}\n</body>\n</html>\n'


def _send(
    mail: EmailMessage,
    recipients: list[str],
    port: int | None,
    login: str | None = None,
    ca_file: str | None = None,
    dkim_key_file: str | None = None,
) -> None:
    smtp = BuiltIn().get_library_instance("SMTPLibrary")
    server = smtp.servers.get()
    port = int(port) if port is not None else server.port
    ca_file = ca_file or server.ca_certificate
    context = ssl.create_default_context(cafile=ca_file) if ca_file else None
    data = mail.as_bytes(policy=mail.policy.clone(linesep="\r\n"))
    if dkim_key_file:
        import dkim  # the checks extra's signer: the shop signs as any DKIM signer would

        with open(dkim_key_file, "rb") as key:
            data = dkim.sign(data, b"test", b"example.com", key.read()) + data
    for attempt in range(1, ATTEMPTS + 1):
        try:
            if server.tls == "implicit":
                client = smtplib.SMTP_SSL("127.0.0.1", port, context=context, timeout=10)
            else:
                client = smtplib.SMTP("127.0.0.1", port, local_hostname="shop.example.com", timeout=10)
            with client:
                if server.tls == "starttls":
                    client.starttls(context=context)
                if login:
                    client.login(*login.split(":", 1))
                _transaction(client, recipients, data)
            return
        except (smtplib.SMTPException, OSError) as error:
            if attempt == ATTEMPTS or not _temporary(error):
                raise


def _transaction(client: smtplib.SMTP, recipients: list[str], data: bytes) -> None:
    """One message to every recipient or to none: a recipient refused (for now or for good)
    ends the transaction before the message is sent."""
    client.ehlo_or_helo_if_needed()
    code, reply = client.mail("shop@example.com")
    if code != 250:
        raise smtplib.SMTPSenderRefused(code, reply, "shop@example.com")
    for recipient in recipients:
        code, reply = client.rcpt(recipient)
        if code not in (250, 251):
            client.rset()
            raise smtplib.SMTPRecipientsRefused({recipient: (code, reply)})
    code, reply = client.data(data)
    if code != 250:
        raise smtplib.SMTPDataError(code, reply)


def _temporary(error: Exception) -> bool:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(400 <= code < 500 for code, _ in error.recipients.values())
    if isinstance(error, smtplib.SMTPResponseException):
        return 400 <= error.smtp_code < 500
    if isinstance(error, ssl.SSLCertVerificationError):
        return False  # a certificate the shop does not trust: sending again changes nothing
    return isinstance(error, (smtplib.SMTPServerDisconnected, OSError))
