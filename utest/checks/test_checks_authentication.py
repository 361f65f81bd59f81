"""DKIM, SPF, DMARC and ARC together: the results, the Authentication-Results header, and the
comparison with expected results that Message Authentication Should Be fails with."""

from __future__ import annotations

import authres
import dkim
import pytest
from checkmail import received, sign

from SMTPLibrary.core import ContentMismatch, InvalidArgument
from SMTPLibrary.core.checks import TestDNS, authenticate, create_dkim_key, lookups, require_authentication
from SMTPLibrary.core.checks.arc import verify_arc

MESSAGE = (
    b"From: Alice <alice@example.com>\r\nTo: list@list.test\r\nSubject: Meeting\r\n"
    b"Date: Mon, 1 Dec 2026 10:00:00 +0000\r\nMessage-ID: <m1@example.com>\r\n\r\nSee you at ten.\r\n"
)


@pytest.fixture
def keys(dns: TestDNS, tmp_path):
    made = {
        "author": create_dkim_key("example.com", "test", dns=dns, directory=tmp_path),
        "list": create_dkim_key("list.test", "arc", dns=dns, directory=tmp_path),
        "relay": create_dkim_key("relay.test", "arc", dns=dns, directory=tmp_path),
    }
    dns.add("example.com", "TXT", "v=spf1 ip4:192.0.2.0/24 -all")
    dns.add("_dmarc.example.com", "TXT", "v=DMARC1; p=reject")
    dns.add("list.test", "TXT", "v=spf1 ip4:198.51.100.0/24 -all")
    return made


def seal(raw: bytes, key, server: str, dns: TestDNS, sender: str, peer: str) -> bytes:
    """What a forwarder does: add its Authentication-Results, then an ARC set over them."""
    results = authenticate(received(raw, sender, (peer, 25), f"mail.{server}"), dns, authserv_id=server)
    with_results = results.header.encode() + b"\r\n" + raw
    arc_set = dkim.arc_sign(
        with_results, key.selector.encode(), key.domain.encode(), key.dkimpy_private_key, server.encode()
    )
    return b"".join(arc_set) + with_results


def test_direct_mail_passes_everything_and_the_header_says_so(keys, dns: TestDNS):
    message = received(sign(keys["author"], MESSAGE), "<alice@example.com>", ("192.0.2.10", 52000))
    auth = authenticate(message, dns, authserv_id="mx.test")
    assert (auth.dkim[0].result, auth.spf.result, auth.dmarc.result, auth.arc.result) == (
        "pass",
        "pass",
        "pass",
        "none",
    )
    assert auth.differences(dkim="pass", spf="pass", dmarc="pass", arc="none") == []
    assert auth.header.startswith(
        "Authentication-Results: mx.test;\r\n\tdkim=pass header.d=example.com header.i=@example.com header.s=test"
    )
    parsed = authres.AuthenticationResultsHeader.parse(auth.header.replace("\r\n", ""))
    assert parsed.authserv_id == "mx.test"
    assert [(r.method, r.result) for r in parsed.results] == [
        ("dkim", "pass"),
        ("spf", "pass"),
        ("dmarc", "pass"),
        ("arc", "none"),
    ]
    assert str(auth) == auth.header


def test_the_header_parses_when_results_carry_reasons(keys, dns: TestDNS):
    broken = sign(keys["author"], MESSAGE).replace(b"ten.", b"eleven.")
    auth = authenticate(received(broken, "<>", ("203.0.113.1", 25), "unknown.test"), dns, authserv_id="mx.test")
    parsed = authres.AuthenticationResultsHeader.parse(auth.header.replace("\r\n", ""))
    assert [(r.method, r.result) for r in parsed.results] == [
        ("dkim", "fail"),
        ("spf", "none"),
        ("dmarc", "fail"),
        ("arc", "none"),
    ]
    assert parsed.results[0].reason == "body hash did not verify"
    assert 'dkim=fail reason="body hash did not verify" header.d=example.com' in auth.header


def test_differences_name_each_check_its_result_and_reason(keys, dns: TestDNS):
    broken = sign(keys["author"], MESSAGE).replace(b"ten.", b"eleven.")
    auth = authenticate(received(broken, "bounce@list.test", ("203.0.113.1", 25), "mail.list.test"), dns)
    assert auth.differences(dkim="pass", spf="pass", dmarc="pass", arc="none") == [
        "dkim=fail (body hash did not verify) for d=example.com s=test",
        "spf=fail (SPF fail - not authorized) for mailfrom bounce@list.test from 203.0.113.1",
        "dmarc=fail (no DKIM signature passed; SPF fail; p=reject) for header.from=example.com",
    ]
    assert auth.differences(dkim="FAIL", spf="fail", dmarc="fail") == []
    assert auth.differences() == []


def test_require_authentication_fails_naming_each_difference(keys, dns: TestDNS):
    broken = received(
        sign(keys["author"], MESSAGE).replace(b"ten.", b"eleven."), "alice@example.com", ("192.0.2.10", 25)
    )
    broken.seq = 7
    with pytest.raises(ContentMismatch) as failure:
        require_authentication(broken, dns, dkim="pass", spf="pass", dmarc="pass")
    assert str(failure.value) == (
        "Message #7 did not authenticate as expected (dkim=pass, spf=pass, dmarc=pass):\n"
        "dkim=fail (body hash did not verify) for d=example.com s=test"
    )
    good = received(sign(keys["author"], MESSAGE), "alice@example.com", ("192.0.2.10", 25))
    assert require_authentication(good, dns, dkim="pass", spf="pass", dmarc="pass", arc="none").dkim_result == "pass"


def test_expecting_no_signature(keys, dns: TestDNS):
    auth = authenticate(received(MESSAGE), dns)
    assert auth.differences(dkim="none") == [] and auth.dkim_result == "none"
    assert auth.differences(dkim="pass") == ["dkim=none (the message has no DKIM-Signature)"]
    signed = authenticate(received(sign(keys["author"], MESSAGE)), dns)
    assert signed.differences(dkim="none") == ["dkim=pass for d=example.com s=test"]


def test_dkim_pass_is_expected_of_every_signature(keys, dns: TestDNS):
    twice = sign(keys["list"], sign(keys["author"], MESSAGE))
    dns.remove(keys["author"].dns_name)
    auth = authenticate(received(twice), dns)
    assert [signature.result for signature in auth.dkim] == ["pass", "permerror"]
    assert auth.dkim_result == "permerror"
    assert auth.differences(dkim="pass") == ["dkim=permerror (no key for signature) for d=example.com s=test"]


def test_an_unknown_expected_word_is_refused_naming_the_words(dns: TestDNS):
    auth = authenticate(received(MESSAGE), dns)
    with pytest.raises(InvalidArgument) as refused:
        auth.differences(dkim="passed")
    assert str(refused.value) == (
        "dkim must be one of pass, fail, none, neutral, softfail, temperror, permerror, got 'passed'."
    )


def test_the_results_are_frozen_and_travel_as_plain_values(keys, dns: TestDNS):
    auth = authenticate(received(sign(keys["author"], MESSAGE)), dns)
    with pytest.raises(AttributeError):
        auth.spf.result = "pass"  # type: ignore[misc]
    fields = auth.as_fields()
    assert fields["dkim"][0]["result"] == "pass" and fields["dkim"][0]["domain"] == "example.com"
    assert fields["spf"]["result"] == "pass" and fields["dmarc"]["disposition"] == "none"
    assert fields["arc"] == {"result": "none", "reason": "", "sets": ()} and fields["header"] == auth.header


def test_an_arc_chain_of_two_forwarders_passes_and_a_later_change_fails_it(keys, dns: TestDNS):
    signed = sign(keys["author"], MESSAGE)
    hop1 = seal(signed, keys["list"], "list.test", dns, "alice@example.com", "192.0.2.10")
    # The list rewrites the body (a footer) after sealing: hop 1's ARC-Message-Signature no longer verifies.
    footer = hop1.replace(b"See you at ten.\r\n", b"See you at ten.\r\n--\r\nlist footer\r\n")
    hop2 = seal(footer, keys["relay"], "relay.test", dns, "bounce@list.test", "198.51.100.5")
    with lookups.using(dns):
        arc = verify_arc(hop2)
    assert (arc.result, arc.instances) == ("fail", 2)
    # Sealed honestly (the list seals after changing the body), the chain passes.
    changed = signed.replace(b"See you at ten.\r\n", b"See you at ten.\r\n--\r\nlist footer\r\n")
    hop1 = seal(changed, keys["list"], "list.test", dns, "alice@example.com", "192.0.2.10")
    hop2 = seal(hop1, keys["relay"], "relay.test", dns, "bounce@list.test", "198.51.100.5")
    auth = authenticate(received(hop2, "bounce@relay.test", ("203.0.113.7", 25), "mail.relay.test"), dns)
    assert (auth.arc.result, auth.arc.instances, auth.dkim[0].result) == ("pass", 2, "fail")
    assert [s.chain for s in auth.arc.sets] == ["pass", "none"]
    assert "arc=pass (i=2)" in auth.header
    with lookups.using(dns):
        arc = verify_arc(hop2.replace(b"list footer", b"LIST footer"))
    assert arc.result == "fail" and arc.reason == "Most recent ARC-Message-Signature did not validate"


def test_an_arc_key_that_is_gone_fails_the_chain(keys, dns: TestDNS):
    hop1 = seal(sign(keys["author"], MESSAGE), keys["list"], "list.test", dns, "alice@example.com", "192.0.2.10")
    dns.remove("arc._domainkey.list.test")
    with lookups.using(dns):
        assert verify_arc(hop1).result == "fail"
