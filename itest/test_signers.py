"""DKIM signatures made by signers this project did not write, OpenDKIM and nodemailer, verify as the
RFCs say: pass, fail with the reason when one body byte changes, in every canonicalisation, and fail
when the key is revoked. (Every test runs under the root conftest's guard: no DNS query leaves.)"""

from __future__ import annotations

import pytest
from signers import install_nodemailer, nodemailer, opendkim_sign, opendkim_verify

from SMTPLibrary.core import SMTPServer
from SMTPLibrary.core.checks import TestDNS, authenticate, create_dkim_key, problems, require_well_formed
from SMTPLibrary.core.mail import ReceivedMessage

MESSAGE = (
    b"From: Alice <alice@example.com>\r\nTo: bob@example.org\r\nSubject: Quarterly  report\r\n"
    b"Date: Mon, 1 Dec 2026 10:00:00 +0000\r\nMessage-ID: <q4@example.com>\r\nMIME-Version: 1.0\r\n"
    b"Content-Type: text/plain; charset=utf-8\r\n\r\nHello Bob,  \r\n\r\nthe figures are in.\r\n\r\n\r\n"
)
CANONICALISATIONS = ["simple/simple", "relaxed/relaxed", "relaxed/simple", "simple/relaxed"]


@pytest.fixture
def dns() -> TestDNS:
    return TestDNS()


def received(raw: bytes, sender: str = "alice@example.com") -> ReceivedMessage:
    return ReceivedMessage(raw, sender, ["bob@example.org"], peer=("192.0.2.1", 25), helo="mail.example.com")


def dkim_of(raw: bytes, dns: TestDNS) -> tuple[str, str]:
    (result,) = authenticate(received(raw), dns).dkim
    return result.result, result.reason


def change_one_body_byte(raw: bytes) -> bytes:
    head, _, body = raw.partition(b"\r\n\r\n")
    return head + b"\r\n\r\n" + body.replace(b"figures", b"fiGures", 1)


# -- OpenDKIM -----------------------------------------------------------------------------------

# OpenDKIM 2.11.0~beta2 (Debian 12) signs ed25519 with simple header canonicalisation wrongly: neither
# dkimpy nor OpenDKIM's own verifier accepts those signatures, while both accept dkimpy's ed25519
# simple/simple signatures. Strict: a fixed OpenDKIM turns these into failures to notice.
OPENDKIM_ED25519_SIMPLE = pytest.mark.xfail(
    strict=True, reason="OpenDKIM 2.11.0~beta2: ed25519 with simple header canonicalisation"
)


@pytest.mark.parametrize(
    ("algorithm", "canonicalization"),
    [
        pytest.param(
            algorithm,
            canonicalization,
            marks=[OPENDKIM_ED25519_SIMPLE]
            if algorithm.startswith("ed") and canonicalization.startswith("simple/")
            else [],
        )
        for algorithm in ("rsa-sha256", "ed25519-sha256")
        for canonicalization in CANONICALISATIONS
    ],
)
def test_opendkim_signatures_pass_and_fail_on_one_body_byte(dns, tmp_path, algorithm, canonicalization):
    key = create_dkim_key("example.com", "od", algorithm, dns=dns, directory=tmp_path)
    raw = opendkim_sign(
        MESSAGE,
        key.private_key_path,
        key.domain,
        key.selector,
        tmp_path / "od",
        canonicalization=canonicalization,
        algorithm=algorithm,
    )
    assert f"a={algorithm}; c={canonicalization};".encode() in raw
    assert dkim_of(raw, dns) == ("pass", "")
    assert dkim_of(change_one_body_byte(raw), dns) == ("fail", "body hash did not verify")


@pytest.mark.parametrize("algorithm", ["rsa-sha256", "ed25519-sha256"])
def test_opendkim_signature_with_a_revoked_key_fails(dns, tmp_path, algorithm):
    key = create_dkim_key("example.com", "od", algorithm, dns=dns, directory=tmp_path)
    raw = opendkim_sign(MESSAGE, key.private_key_path, key.domain, key.selector, tmp_path / "od", algorithm=algorithm)
    dns.remove(key.dns_name)
    dns.add(key.dns_name, "TXT", key.revoked_record())
    assert dkim_of(raw, dns) == ("fail", "key revoked")


def test_opendkim_as_verifier_agrees_but_on_a_missing_key(dns, tmp_path):
    key = create_dkim_key("example.com", "od", dns=dns, directory=tmp_path)
    raw = opendkim_sign(MESSAGE, key.private_key_path, key.domain, key.selector, tmp_path / "s")
    published = {key.dns_name: key.dns_record}
    assert "dkim=pass" in opendkim_verify(raw, published, tmp_path / "v1")
    assert 'dkim=fail reason="signature verification failed"' in opendkim_verify(
        change_one_body_byte(raw), published, tmp_path / "v2"
    )
    assert 'dkim=fail reason="key revoked"' in opendkim_verify(
        raw, {key.dns_name: key.revoked_record()}, tmp_path / "v3"
    )
    # Where they differ: no key at all. OpenDKIM says fail; RFC 8601 2.7.1 reads as permerror.
    assert 'dkim=fail reason="key not found in DNS"' in opendkim_verify(
        raw, {"other._domainkey.example.com": key.dns_record}, tmp_path / "v4"
    )
    dns.remove(key.dns_name)
    assert dkim_of(raw, dns) == ("permerror", "no key for signature")


def test_opendkim_takes_the_ed25519_key_as_pem_and_verifies_dkimpys_simple_signature(dns, tmp_path):
    import dkim

    key = create_dkim_key("example.com", "py", "ed25519-sha256", directory=tmp_path)
    signature = dkim.sign(
        MESSAGE,
        b"py",
        b"example.com",
        key.dkimpy_private_key,
        signature_algorithm=b"ed25519-sha256",
        canonicalize=(b"simple", b"simple"),
    )
    assert "dkim=pass" in opendkim_verify(signature + MESSAGE, {key.dns_name: key.dns_record}, tmp_path / "v")
    seed = tmp_path / "seed.b64"
    seed.write_text(key.private_key_base64 + "\n")
    seed.chmod(0o600)
    with pytest.raises(AssertionError, match="d2i_PrivateKey_bio"):
        opendkim_sign(MESSAGE, str(seed), key.domain, key.selector, tmp_path / "od", algorithm="ed25519-sha256")


def test_a_message_signed_by_opendkim_has_no_problem(dns, tmp_path):
    key = create_dkim_key("example.com", "od", dns=dns, directory=tmp_path)
    raw = opendkim_sign(MESSAGE, key.private_key_path, key.domain, key.selector, tmp_path / "od")
    assert problems(received(raw)) == []


# -- nodemailer ---------------------------------------------------------------------------------

MAIL = {
    "from": "Alice <alice@example.com>",
    "to": "bob@example.org",
    "subject": "Quarterly report",
    "text": "Hello Bob,  \n\nthe figures are in.\n\n",
    "html": '<html lang="en"><body><p>Hello Bob, the figures are in.</p><img src="cid:logo" alt="Logo"></body></html>',
}


@pytest.fixture(scope="module")
def node() -> None:
    install_nodemailer()


def nodemailer_key(dns, tmp_path, algorithm="rsa-sha256"):
    key = create_dkim_key("example.com", "nm", algorithm, dns=dns, directory=tmp_path)
    return key, {"domainName": key.domain, "keySelector": key.selector, "privateKeyPath": key.private_key_path}


def test_nodemailer_sends_mail_that_passes_every_check_and_fails_on_one_body_byte(node, dns, tmp_path):
    _, signing = nodemailer_key(dns, tmp_path)
    dns.add("example.com", "TXT", "v=spf1 ip4:127.0.0.1 -all")
    dns.add("_dmarc.example.com", "TXT", "v=DMARC1; p=reject")
    with SMTPServer() as server:
        assert nodemailer(MAIL, signing, port=server.port).startswith(b"250")
        message = server.wait_for(subject="Quarterly report", timeout=10)
    assert b"c=relaxed/relaxed;" in message.raw  # nodemailer always signs relaxed/relaxed
    auth = authenticate(message, dns)
    assert auth.differences(dkim="pass", spf="pass", dmarc="pass", arc="none") == []
    assert (auth.spf.ip, auth.spf.helo) == ("127.0.0.1", "app.example.com")
    assert require_well_formed(message) == []
    assert dkim_of(change_one_body_byte(message.raw), dns) == ("fail", "body hash did not verify")


def test_nodemailer_signature_with_a_revoked_key_fails(node, dns, tmp_path):
    key, signing = nodemailer_key(dns, tmp_path)
    raw = nodemailer(MAIL, signing)
    dns.remove(key.dns_name)
    dns.add(key.dns_name, "TXT", key.revoked_record())
    assert dkim_of(raw, dns) == ("fail", "key revoked")


def test_nodemailer_given_an_ed25519_key_sends_unsigned_without_a_word(node, dns, tmp_path):
    _, signing = nodemailer_key(dns, tmp_path, "ed25519-sha256")
    raw = nodemailer(MAIL, signing)
    assert b"DKIM-Signature" not in raw
    assert authenticate(received(raw), dns).dkim == ()


def test_nodemailer_bulk_mail_with_one_click_unsubscription_is_clean(node, dns, tmp_path):
    _, signing = nodemailer_key(dns, tmp_path)
    mail = dict(
        MAIL,
        list={"id": "news.example.com", "unsubscribe": ["https://example.com/u/42", "mailto:unsubscribe@example.com"]},
        headers={"List-Unsubscribe-Post": "List-Unsubscribe=One-Click"},
    )
    assert problems(received(nodemailer(mail, signing))) == []
    unsigned = received(nodemailer(mail))
    assert [problem.code for problem in problems(unsigned)] == ["bulk.list-unsubscribe.unsigned"]
