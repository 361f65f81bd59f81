"""SPF: pyspf's whole evaluation over the test DNS, for the envelope sender or the HELO name."""

from __future__ import annotations

import pytest

from SMTPLibrary.core import InvalidArgument
from SMTPLibrary.core.checks import TestDNS, lookups
from SMTPLibrary.core.checks.spf import _client_ip as client_ip
from SMTPLibrary.core.checks.spf import check_spf as check_in_dns
from SMTPLibrary.core.checks.spf import envelope_address


def check_spf(sender, peer, helo, dns: TestDNS):
    with lookups.using(dns):
        return check_in_dns(sender, peer, helo)


@pytest.fixture
def published(dns: TestDNS) -> TestDNS:
    dns.add(
        "example.com",
        "TXT",
        "v=spf1 ip4:192.0.2.0/24 ip6:2001:db8::/32 include:_spf.esp.test mx a:relay.example.com ~all",
    )
    dns.add("_spf.esp.test", "TXT", "v=spf1 ip4:198.51.100.0/24 -all")
    dns.add("example.com", "MX", "10 mx.example.com")
    dns.add("mx.example.com", "A", "203.0.113.10")
    dns.add("relay.example.com", "A", "203.0.113.20")
    dns.add("strict.test", "TXT", "v=spf1 ip4:192.0.2.1 -all")
    dns.add("neutral.test", "TXT", "v=spf1 ?all")
    dns.add("broken.test", "TXT", "v=spf1 ip4:192.0.2.1 -all")
    dns.add("broken.test", "TXT", "v=spf1 -all")  # two records: permerror (RFC 7208 4.5)
    dns.add("typo.test", "TXT", "v=spf1 ip4:192.0.2.1 moo -all")
    dns.add("redirected.test", "TXT", "v=spf1 redirect=strict.test")
    dns.add("mail.example.com", "TXT", "v=spf1 a -all")
    dns.add("mail.example.com", "A", "192.0.2.77")
    dns.add("alias.test", "CNAME", "strict.test")
    dns.add("ptr.test", "TXT", "v=spf1 ptr -all")
    dns.add("192.0.2.99", "PTR", "host.ptr.test")
    dns.add("host.ptr.test", "A", "192.0.2.99")
    return dns


@pytest.mark.parametrize(
    "sender, ip, expected",
    [
        ("a@example.com", "192.0.2.5", "pass"),  # ip4
        ("a@example.com", "2001:db8::5", "pass"),  # ip6
        ("a@example.com", "198.51.100.7", "pass"),  # include
        ("a@example.com", "203.0.113.10", "pass"),  # mx
        ("a@example.com", "203.0.113.20", "pass"),  # a:
        ("a@example.com", "203.0.113.99", "softfail"),  # ~all
        ("a@strict.test", "192.0.2.2", "fail"),  # -all
        ("a@neutral.test", "192.0.2.2", "neutral"),
        ("a@nothing.test", "192.0.2.2", "none"),  # NXDOMAIN
        ("a@broken.test", "192.0.2.1", "permerror"),
        ("a@typo.test", "192.0.2.1", "permerror"),
        ("a@redirected.test", "192.0.2.1", "pass"),
        ("a@redirected.test", "192.0.2.9", "fail"),
        ("a@ptr.test", "192.0.2.99", "pass"),
    ],
)
def test_results(published: TestDNS, sender, ip, expected):
    assert check_spf(sender, ip, "mail.example.com", published).result == expected


def test_the_null_reverse_path_checks_the_helo_name(published: TestDNS):
    result = check_spf("<>", ("192.0.2.77", 40000), "Mail.Example.com", published)
    assert (result.result, result.identity, result.domain, result.sender) == ("pass", "helo", "mail.example.com", "")
    assert check_spf("", "192.0.2.78", "mail.example.com", published).result == "fail"


def test_the_result_carries_its_facts(published: TestDNS):
    result = check_spf("<a@strict.test>", "::ffff:192.0.2.2", "client.test", published)
    assert (result.result, result.identity, result.domain, result.sender, result.ip, result.helo) == (
        "fail", "mailfrom", "strict.test", "a@strict.test", "192.0.2.2", "client.test",
    )  # fmt: skip
    assert result.reason
    assert result.describe().startswith("spf=fail (")


def test_a_cname_is_followed(published: TestDNS):
    assert check_spf("a@alias.test", "192.0.2.1", "x.test", published).result == "pass"


def test_nothing_to_check_is_none(dns: TestDNS):
    assert check_spf("a@example.com", None, "x", dns).result == "none"
    assert check_spf("<>", "192.0.2.1", "", dns).result == "none"


def test_envelope_and_peer_forms():
    assert envelope_address("<a@b.test>") == "a@b.test"
    assert envelope_address("<>") == ""
    assert client_ip(("2001:db8::1", 25, 0, 0)) == "2001:db8::1"
    assert client_ip("[192.0.2.1]") == "192.0.2.1"
    with pytest.raises(InvalidArgument, match=r"^The client address 'not-an-ip' is not an IP address\.$"):
        client_ip("not-an-ip")


def test_a_reverse_path_without_an_at_sign_is_checked_as_its_domain(published: TestDNS):
    # aiosmtpd takes MAIL FROM:<strict.test>; pyspf checks strict.test (RFC 7208 4.3: postmaster@).
    result = check_spf("strict.test", "192.0.2.1", "client.test", published)
    assert (result.result, result.identity, result.domain) == ("pass", "mailfrom", "strict.test")
