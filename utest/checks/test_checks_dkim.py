"""DKIM: every signature verified by dkimpy, each with a result and RFC 6376's reason."""

from __future__ import annotations

import base64
import shutil
import subprocess
import time

import dkim
import pytest
from checkmail import sign
from cryptography.hazmat.primitives import serialization

from SMTPLibrary.core.checks import TestDNS, create_dkim_key, lookups
from SMTPLibrary.core.checks.dkim import verify_dkim

MESSAGE = (
    b"From: Alice <alice@example.com>\r\nTo: bob@example.org\r\nSubject: Invoice 42\r\n"
    b"Date: Mon, 1 Dec 2026 10:00:00 +0000\r\nMessage-ID: <42@example.com>\r\n\r\nHello Bob,\r\n\r\nAlice\r\n"
)


@pytest.fixture(params=["rsa-sha256", "ed25519-sha256"])
def key(request, dns: TestDNS, tmp_path):
    return create_dkim_key("example.com", "test", request.param, dns=dns, directory=tmp_path)


def verify(raw: bytes, dns: TestDNS):
    with lookups.using(dns):
        return verify_dkim(raw)


def only(raw: bytes, dns: TestDNS) -> tuple[str, str]:
    (result,) = verify(raw, dns)
    return result.result, result.reason


def test_a_good_signature_passes_with_its_facts(key, dns: TestDNS):
    (result,) = verify(sign(key, MESSAGE), dns)
    assert (result.result, result.reason, result.domain, result.selector, result.algorithm) == (
        "pass", "", "example.com", "test", key.algorithm,
    )  # fmt: skip
    assert result.canonicalization == "relaxed/simple" and len(result.signature) == 12


@pytest.mark.parametrize(
    "canonicalization", [(b"simple", b"simple"), (b"relaxed", b"relaxed"), (b"simple", b"relaxed")]
)
def test_every_canonicalisation_verifies(key, dns: TestDNS, canonicalization):
    assert only(sign(key, MESSAGE, canonicalize=canonicalization), dns) == ("pass", "")


def test_one_body_byte_changed_fails_the_body_hash(key, dns: TestDNS):
    assert only(sign(key, MESSAGE).replace(b"Hello Bob", b"Hello Rob"), dns) == ("fail", "body hash did not verify")


def test_dkimpy_still_words_a_changed_body_as_this_check_reads_it(key, dns: TestDNS):
    """The one place dkimpy says which check failed is its message: pinned here."""
    changed = sign(key, MESSAGE).replace(b"Hello Bob", b"Hello Rob")
    with lookups.using(dns), pytest.raises(dkim.ValidationError, match=r"^body hash mismatch"):
        dkim.DKIM(changed).verify(dnsfunc=lookups.dkim_txt)


def test_a_changed_signed_header_fails_the_signature(key, dns: TestDNS):
    assert only(sign(key, MESSAGE).replace(b"Invoice 42", b"Invoice 43"), dns) == ("fail", "signature did not verify")


def test_a_revoked_key_is_a_failed_signature_check(key, dns: TestDNS):
    dns.remove(key.dns_name)
    dns.add(key.dns_name, "TXT", key.revoked_record())
    assert only(sign(key, MESSAGE), dns) == ("fail", "key revoked")


def test_no_key_at_the_selector_is_a_permanent_error(key, dns: TestDNS):
    dns.remove(key.dns_name)
    assert only(sign(key, MESSAGE), dns) == ("permerror", "no key for signature")


def test_a_key_record_that_cannot_be_read_is_a_permanent_error(key, dns: TestDNS):
    dns.remove(key.dns_name)
    dns.add(key.dns_name, "TXT", "v=DKIM1; k=rsa; p=bm90IGEga2V5")
    result, reason = only(sign(key, MESSAGE), dns)
    assert result == "permerror" and reason.startswith("key syntax error")


def test_a_key_of_the_other_algorithm_is_inappropriate(dns: TestDNS, tmp_path):
    rsa_key = create_dkim_key("example.com", "test", dns=dns, directory=tmp_path)
    ed_key = create_dkim_key("example.com", "ed", "ed25519-sha256", directory=tmp_path)
    dns.add("ed._domainkey.example.com", "TXT", rsa_key.dns_record)  # an RSA key where the ed25519 one belongs
    assert only(sign(ed_key, MESSAGE), dns) == ("permerror", "inappropriate key algorithm (k=rsa for a=ed25519-sha256)")


def test_rsa_sha1_is_not_accepted(dns: TestDNS, tmp_path):
    key = create_dkim_key("example.com", dns=dns, directory=tmp_path)
    signed = (
        dkim.sign(MESSAGE, b"test", b"example.com", key.dkimpy_private_key, signature_algorithm=b"rsa-sha1") + MESSAGE
    )
    assert dkim.verify(signed, dnsfunc=lambda name, timeout=5: key.dns_record.encode())  # dkimpy itself passes it
    result, reason = only(signed, dns)
    assert result == "permerror" and "rsa-sha1" in reason


def test_a_key_under_1024_bits_is_refused(dns: TestDNS):
    # cryptography refuses to make keys under 1024 bits; openssl still does (it comes with Python's ssl).
    assert shutil.which("openssl"), "the openssl command is needed to make a 512-bit key"
    pem = subprocess.run(["openssl", "genrsa", "512"], capture_output=True, check=True).stdout
    weak = serialization.load_pem_private_key(pem, None)
    public = weak.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    dns.add("weak._domainkey.example.com", "TXT", "v=DKIM1; k=rsa; p=" + base64.b64encode(public).decode())
    signed = dkim.sign(MESSAGE, b"weak", b"example.com", pem) + MESSAGE
    result, reason = only(signed, dns)
    assert result == "permerror" and "too small" in reason


def test_every_signature_is_verified_in_header_order(dns: TestDNS, tmp_path):
    author = create_dkim_key("example.com", "a", dns=dns, directory=tmp_path)
    esp = create_dkim_key("esp.example.net", "b", "ed25519-sha256", dns=dns, directory=tmp_path)
    twice = sign(esp, sign(author, MESSAGE))
    dns.remove(author.dns_name)
    assert [(r.domain, r.result, r.reason) for r in verify(twice, dns)] == [
        ("esp.example.net", "pass", ""),
        ("example.com", "permerror", "no key for signature"),
    ]


def test_no_signature_gives_no_result(dns: TestDNS):
    assert verify(MESSAGE, dns) == ()


def test_a_signature_that_does_not_sign_from_is_refused(key, dns: TestDNS):
    signed = sign(key, MESSAGE, include_headers=[b"from", b"subject"]).replace(b"h=from : subject", b"h=subject")
    assert only(signed, dns) == ("permerror", "From field not signed")


def test_a_signature_missing_a_tag_or_expired(key, dns: TestDNS):
    no_bh = sign(key, MESSAGE).replace(b" bh=", b" xx=", 1)
    assert only(no_bh, dns) == ("permerror", "signature missing required tag (bh=)")
    header = sign(key, MESSAGE)[: -len(MESSAGE)]
    past = str(int(time.time()) - 86400 * 3).encode()
    expired = header.replace(b"; t=", b"; x=" + past + b"; t=", 1) + MESSAGE  # x= three days ago
    assert only(expired, dns) == ("permerror", "signature expired")


def test_garbage_in_the_signature_is_a_syntax_error(dns: TestDNS):
    result, reason = only(b"DKIM-Signature: this is not a tag list\r\n" + MESSAGE, dns)
    assert result == "permerror" and reason.startswith("signature syntax error")


def test_without_a_test_dns_the_key_is_unavailable(key):
    (result,) = verify_dkim(sign(key, MESSAGE))
    assert (result.result, result.reason) == (
        "temperror", "key unavailable: no test DNS is in use, and the checks never ask a real resolver",
    )  # fmt: skip


def test_describe_gives_the_line_a_failure_shows(key, dns: TestDNS):
    (result,) = verify(sign(key, MESSAGE).replace(b"Alice\r\n", b"Alic3\r\n"), dns)
    assert result.describe() == "dkim=fail (body hash did not verify) for d=example.com s=test"
    assert str(result) == result.describe()
