"""DKIM keys: made with cryptography, published in the test DNS, in the forms signers take."""

from __future__ import annotations

import base64
import os
import stat

import dkim
import pytest
from checkmail import sign
from cryptography.hazmat.primitives.asymmetric import ed25519, rsa
from cryptography.hazmat.primitives.serialization import load_der_public_key, load_pem_private_key

from SMTPLibrary.core import InvalidArgument
from SMTPLibrary.core.checks import TestDNS, create_dkim_key, lookups
from SMTPLibrary.core.checks.dkim import verify_dkim

MESSAGE = b"From: a@example.com\r\nTo: b@example.org\r\nSubject: hi\r\n\r\nHello\r\n"


def verified(raw: bytes, dns: TestDNS) -> list[str]:
    with lookups.using(dns):
        return [result.result for result in verify_dkim(raw)]


def test_an_rsa_key_is_2048_bits_published_at_the_selector(dns: TestDNS, tmp_path):
    key = create_dkim_key("Example.COM", dns=dns, directory=tmp_path)
    assert (key.domain, key.selector, key.algorithm, key.dns_name) == (
        "example.com", "test", "rsa-sha256", "test._domainkey.example.com",
    )  # fmt: skip
    assert key.private_key.startswith("-----BEGIN PRIVATE KEY-----")
    private = load_pem_private_key(key.private_key.encode(), None)
    assert isinstance(private, rsa.RSAPrivateKey) and private.key_size == 2048
    assert key.dns_record == f"v=DKIM1; k=rsa; p={key.public_key}"
    assert isinstance(load_der_public_key(base64.b64decode(key.public_key)), rsa.RSAPublicKey)
    (published,) = dns.lookup("test._domainkey.example.com", "TXT")
    assert b"".join(published).decode() == key.dns_record
    assert len(key.dns_record) > 255 and len(published) == 2  # split as a real zone does
    assert key.private_key_base64 == ""


def test_the_private_key_file_holds_the_pem_and_only_its_owner_reads_it(tmp_path):
    key = create_dkim_key("example.com", "s1", directory=tmp_path)
    assert open(key.private_key_path).read() == key.private_key
    assert stat.S_IMODE(os.stat(key.private_key_path).st_mode) == 0o600
    assert os.path.basename(key.private_key_path).startswith("s1._domainkey.example.com-")


def test_a_new_key_for_a_selector_replaces_the_published_one_and_gets_its_own_file(dns: TestDNS):
    first = create_dkim_key("example.com", dns=dns)
    second = create_dkim_key("example.com", dns=dns)
    assert first.private_key_path != second.private_key_path
    assert open(first.private_key_path).read() == first.private_key
    assert [record.text for record in dns.records()] == [second.dns_record]
    assert verified(sign(second, MESSAGE), dns) == ["pass"]
    assert verified(sign(first, MESSAGE), dns) == ["fail"]


def test_an_ed25519_key_gives_pem_for_openssl_users_and_the_raw_seed_for_dkimpy(dns: TestDNS, tmp_path):
    key = create_dkim_key("example.com", "ed", "ED25519-SHA256", dns=dns, directory=tmp_path)
    assert key.algorithm == "ed25519-sha256"
    assert isinstance(load_pem_private_key(key.private_key.encode(), None), ed25519.Ed25519PrivateKey)
    assert len(base64.b64decode(key.private_key_base64)) == 32
    assert key.dns_record == f"v=DKIM1; k=ed25519; p={key.public_key}"
    assert len(base64.b64decode(key.public_key)) == 32
    assert verified(sign(key, MESSAGE), dns) == ["pass"]
    with pytest.raises(dkim.KeyFormatError):  # dkimpy refuses the PEM form
        dkim.sign(MESSAGE, b"ed", b"example.com", key.private_key.encode(), signature_algorithm=b"ed25519-sha256")


def test_an_unknown_algorithm_is_refused_naming_those_there_are():
    with pytest.raises(InvalidArgument) as refused:
        create_dkim_key("example.com", algorithm="rsa-sha1")
    assert str(refused.value) == "algorithm must be one of rsa-sha256, ed25519-sha256, got 'rsa-sha1'."


def test_revoked_record_and_fields():
    key = create_dkim_key("example.com")
    assert key.revoked_record() == "v=DKIM1; k=rsa; p="
    fields = key.as_fields()
    assert fields["private_key_path"] == key.private_key_path and fields["dns_name"] == key.dns_name
    assert set(fields) == {
        "domain", "selector", "algorithm", "private_key", "private_key_path", "private_key_base64",
        "public_key", "dns_name", "dns_record",
    }  # fmt: skip
    assert "BEGIN PRIVATE KEY" not in repr(key)
