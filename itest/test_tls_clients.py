"""Mail clients this project did not write verify the test certificate over STARTTLS.

Some clients compare the host they connect to with the certificate's DNS
names only, even when the host is an IP address: Jakarta Mail 2.0 on JDK 9
and newer, and s-nail. Others check IP addresses against the certificate's IP
entries only: Python's ssl, curl, OpenSSL. The test certificate names the
loopback addresses both ways, so that each of them verifies it on
``127.0.0.1`` as on ``localhost`` (s-nail cannot address ``::1`` at all: its
``smtp://[::1]:port`` is refused before any connection). A missing client is
a failure, never a skip: ``make tools`` installs them.
"""

from __future__ import annotations

import shutil
import smtplib
import socket
import ssl
import subprocess
from pathlib import Path

import pytest

from SMTPLibrary import SMTPServer

CLIENTS = Path(__file__).resolve().parent / "clients"
JAKARTA_JARS = [Path("/usr/share/java/jakarta-mail.jar"), Path("/usr/share/java/jakarta-activation.jar")]


def tool(name: str) -> str:
    path = shutil.which(name)
    assert path, f"{name} is not installed: run `make tools`"
    return path


def ipv6_loopback() -> bool:
    try:
        with socket.socket(socket.AF_INET6) as probe:
            probe.bind(("::1", 0))
    except OSError:
        return False
    return True


HOSTS = ["127.0.0.1", "localhost", pytest.param("::1", marks=pytest.mark.skipif(not ipv6_loopback(), reason="no ::1"))]


def run(command: list[str], **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(command, capture_output=True, text=True, timeout=60, **kwargs)


def tls_server(client_host: str) -> SMTPServer:
    """A STARTTLS server with the test certificate, where a client connecting to ``client_host``
    finds it (``localhost`` is 127.0.0.1 here)."""
    return SMTPServer(host="::1" if client_host == "::1" else "127.0.0.1", tls="starttls", require_tls=True)


@pytest.fixture(scope="module")
def jakarta(tmp_path_factory) -> list[str]:
    """The command that runs itest/clients/JakartaSend.java, compiled, trusting nothing but the test CA
    of this process (the one every server here presents)."""
    for jar in JAKARTA_JARS:
        assert jar.is_file(), f"{jar} is missing: run `make tools` (Debian: libjakarta-mail-java)"
    folder = tmp_path_factory.mktemp("jakarta")
    classpath = ":".join([str(folder), *map(str, JAKARTA_JARS)])
    compiled = run([tool("javac"), "-d", str(folder), "-cp", classpath, str(CLIENTS / "JakartaSend.java")])
    assert compiled.returncode == 0, compiled.stderr
    with SMTPServer(tls="starttls") as any_server:
        ca = any_server.ca_certificate
    store = folder / "trust.p12"
    command = [tool("keytool"), "-importcert", "-noprompt", "-alias", "smtplibrary-test-ca", "-file", ca]
    imported = run([*command, "-keystore", str(store), "-storetype", "PKCS12", "-storepass", "changeit"])
    assert imported.returncode == 0, imported.stdout + imported.stderr
    trust = [f"-Djavax.net.ssl.trustStore={store}", "-Djavax.net.ssl.trustStorePassword=changeit"]
    return [tool("java"), *trust, "-cp", classpath, "JakartaSend"]


def url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


@pytest.mark.parametrize("host", HOSTS)
def test_jakarta_mail_verifies_the_certificate(jakarta, host):
    with tls_server(host) as server:
        result = run([*jakarta, host, str(server.port), f"Jakarta Mail to {host}"])
        assert result.returncode == 0, result.stdout + result.stderr
        message = server.wait_for(subject=f"EQUALS:Jakarta Mail to {host}", timeout=10)
    assert message.tls["mode"] == "starttls"


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost"])
def test_s_nail_verifies_the_certificate(host, tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    with tls_server(host) as server:
        # -:/ reads no resource file, DEAD=/dev/null writes no dead.letter: s-nail run as root
        # would otherwise use root's home whatever HOME says.
        command = [tool("s-nail"), "-:/", "-S", "DEAD=/dev/null", "-S", "v15-compat", "-S", "smtp-auth=none"]
        command += ["-S", f"mta=smtp://{host}:{server.port}", "-S", "smtp-use-starttls", "-S", "tls-verify=strict"]
        command += ["-S", f"tls-ca-file={server.ca_certificate}", "-S", "tls-ca-no-defaults"]
        command += ["-S", "from=snail@example.com", "-s", f"s-nail to {host}", "alice@example.com"]
        result = run(command, input="Sent by s-nail\n", env={"PATH": "/usr/bin:/bin", "HOME": str(home)})
        assert result.returncode == 0, result.stdout + result.stderr
        message = server.wait_for(subject=f"EQUALS:s-nail to {host}", timeout=10)
    assert message.sender == "snail@example.com"
    assert message.tls["mode"] == "starttls"


@pytest.mark.parametrize("host", HOSTS)
def test_python_ssl_verifies_the_certificate(host):
    with tls_server(host) as server:
        context = ssl.create_default_context(cafile=server.ca_certificate)
        with smtplib.SMTP(host, server.port, timeout=10) as client:
            client.starttls(context=context)
            client.sendmail("py@example.com", ["alice@example.com"], f"Subject: Python to {host}\r\n\r\nHi\r\n")
        assert server.wait_for(subject=f"EQUALS:Python to {host}", timeout=10).tls


@pytest.mark.parametrize("host", HOSTS)
def test_curl_verifies_the_certificate(host, tmp_path):
    mail = tmp_path / "mail.eml"
    mail.write_bytes(f"Subject: curl to {host}\r\n\r\nHi\r\n".encode())
    with tls_server(host) as server:
        command = [tool("curl"), "--silent", "--show-error", "--ssl-reqd", "--cacert", server.ca_certificate]
        command += [f"smtp://{url_host(host)}:{server.port}/curl.test", "--mail-from", "curl@example.com"]
        result = run([*command, "--mail-rcpt", "alice@example.com", "--upload-file", str(mail)])
        assert result.returncode == 0, result.stderr
        assert server.wait_for(subject=f"EQUALS:curl to {host}", timeout=10).tls


def test_swaks_verifies_the_chain():
    # swaks checks the chain, never the name: it is here to show it keeps working.
    with tls_server("127.0.0.1") as server:
        command = [tool("swaks"), "--server", f"127.0.0.1:{server.port}", "--tls", "--tls-verify"]
        command += ["--tls-ca-path", server.ca_certificate, "--from", "swaks@example.com", "--to", "alice@example.com"]
        result = run([*command, "--header", "Subject: swaks over STARTTLS"])
        assert result.returncode == 0, result.stdout + result.stderr
        assert server.wait_for(subject="EQUALS:swaks over STARTTLS", timeout=10).tls
