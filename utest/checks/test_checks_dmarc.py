"""DMARC over publicsuffixlist: policy discovery, alignment (foo.test and evil.test do not align)."""

from __future__ import annotations

import pytest

from SMTPLibrary.core.checks import DKIMResult, SPFResult, TestDNS, lookups
from SMTPLibrary.core.checks.dmarc import evaluate_dmarc as evaluate_in_dns
from SMTPLibrary.core.checks.dmarc import from_domains
from SMTPLibrary.core.checks.domains import aligned, organisational_domain


def evaluate_dmarc(from_domain_list, dkim, spf, dns: TestDNS):
    with lookups.using(dns):
        return evaluate_in_dns(from_domain_list, dkim, spf)


def dkim_pass(domain: str) -> DKIMResult:
    return DKIMResult("pass", "", domain, "test")


def dkim_fail(domain: str) -> DKIMResult:
    return DKIMResult("fail", "body hash did not verify", domain, "test")


def spf(result: str, domain: str) -> SPFResult:
    return SPFResult(result, "", domain, "mailfrom", f"bounce@{domain}", "192.0.2.1", "mail.test")


NO_SPF = spf("none", "nowhere.test")


@pytest.mark.parametrize(
    "domain, organisational",
    [
        ("foo.test", "foo.test"),  # an unknown TLD: the list's default rule '*'
        ("mail.foo.test", "foo.test"),
        ("example.com", "example.com"),
        ("a.b.example.com", "example.com"),
        ("mail.example.co.uk", "example.co.uk"),
        ("EXAMPLE.COM.", "example.com"),
        ("co.uk", "co.uk"),  # a public suffix is its own
    ],
)
def test_organisational_domains(domain, organisational):
    assert organisational_domain(domain) == organisational


def test_alignment_modes():
    assert aligned("mail.example.com", "example.com", "r")
    assert not aligned("mail.example.com", "example.com", "s")
    assert aligned("Example.com", "example.com.", "s")
    assert not aligned("foo.test", "evil.test", "r")


def test_an_aligned_passing_signature_passes(dns: TestDNS):
    dns.add("_dmarc.example.com", "TXT", "v=DMARC1; p=reject; rua=mailto:d@example.com")
    result = evaluate_dmarc(["example.com"], (dkim_pass("mail.example.com"),), NO_SPF, dns)
    assert (result.result, result.policy, result.dkim_aligned, result.dkim_domain, result.disposition) == (
        "pass", "reject", True, "mail.example.com", "none",
    )  # fmt: skip


def test_aligned_spf_alone_passes(dns: TestDNS):
    dns.add("_dmarc.example.com", "TXT", "v=DMARC1; p=quarantine")
    result = evaluate_dmarc(["example.com"], (), spf("pass", "bounces.example.com"), dns)
    assert (result.result, result.spf_aligned, result.spf_domain) == ("pass", True, "bounces.example.com")


def test_a_signature_from_a_sibling_test_domain_does_not_align(dns: TestDNS):
    """The false pass authheaders gives: foo.test signed by evil.test."""
    dns.add("_dmarc.foo.test", "TXT", "v=DMARC1; p=reject")
    result = evaluate_dmarc(["foo.test"], (dkim_pass("evil.test"),), spf("pass", "evil.test"), dns)
    assert (result.result, result.disposition) == ("fail", "reject")
    assert result.reason == (
        "DKIM passed for d=evil.test, not aligned (relaxed) with foo.test; "
        "SPF passed for evil.test, not aligned (relaxed) with foo.test"
    )


def test_strict_alignment(dns: TestDNS):
    dns.add("_dmarc.example.com", "TXT", "v=DMARC1; p=reject; adkim=s; aspf=s")
    result = evaluate_dmarc(["example.com"], (dkim_pass("mail.example.com"),), spf("pass", "bounces.example.com"), dns)
    assert (result.result, result.adkim, result.aspf) == ("fail", "s", "s")
    assert "not aligned (strict)" in result.reason
    assert evaluate_dmarc(["example.com"], (dkim_pass("EXAMPLE.com"),), NO_SPF, dns).result == "pass"


def test_failing_signatures_do_not_count(dns: TestDNS):
    dns.add("_dmarc.example.com", "TXT", "v=DMARC1; p=none")
    result = evaluate_dmarc(["example.com"], (dkim_fail("example.com"),), spf("softfail", "example.com"), dns)
    assert (result.result, result.reason, result.disposition) == (
        "fail",
        "no DKIM signature passed; SPF softfail",
        "none",
    )


def test_the_organisational_record_and_its_subdomain_policy(dns: TestDNS):
    dns.add("_dmarc.example.com", "TXT", "v=DMARC1; p=reject; sp=quarantine")
    result = evaluate_dmarc(["news.example.com"], (), NO_SPF, dns)
    assert (result.result, result.record_domain, result.policy) == ("fail", "example.com", "quarantine")
    dns.add("_dmarc.news.example.com", "TXT", "v=DMARC1; p=none")
    result = evaluate_dmarc(["news.example.com"], (), NO_SPF, dns)
    assert (result.record_domain, result.policy) == ("news.example.com", "none")


def test_no_record_is_none_and_other_txt_records_do_not_count(dns: TestDNS):
    dns.add("_dmarc.example.com", "TXT", "google-site-verification=abc")
    result = evaluate_dmarc(["example.com"], (dkim_pass("example.com"),), NO_SPF, dns)
    assert (result.result, result.reason, result.policy) == ("none", "no DMARC record", "")


@pytest.mark.parametrize(
    "record, why",
    [
        ("v=DMARC1; rua=mailto:x@example.com", "no p= tag"),
        ("v=DMARC1; p=block", "p=block is not none, quarantine or reject"),
        ("v=DMARC1; p=reject; sp=maybe", "sp=maybe is not none, quarantine or reject"),
        ("v=DMARC1; p=reject; adkim=x", "adkim=x is not r or s"),
    ],
)
def test_an_unusable_record_is_a_permanent_error(dns: TestDNS, record, why):
    dns.add("_dmarc.example.com", "TXT", record)
    result = evaluate_dmarc(["example.com"], (), NO_SPF, dns)
    assert (result.result, result.reason) == ("permerror", f"invalid DMARC record at _dmarc.example.com: {why}")


def test_two_records_are_a_permanent_error(dns: TestDNS):
    dns.add("_dmarc.example.com", "TXT", "v=DMARC1; p=reject")
    dns.add("_dmarc.example.com", "TXT", "v=DMARC1; p=none")
    assert evaluate_dmarc(["example.com"], (), NO_SPF, dns).result == "permerror"


def test_from_domains_and_their_errors(dns: TestDNS):
    raw = b"From: A <a@Example.COM>, b@example.com\r\nFrom: c@other.test\r\n\r\nx"
    assert from_domains(raw) == ["example.com", "example.com", "other.test"]
    assert evaluate_dmarc(from_domains(raw), (), NO_SPF, dns).reason == "several From domains (example.com, other.test)"
    assert evaluate_dmarc(from_domains(b"From: undisclosed:;\r\n\r\nx"), (), NO_SPF, dns).reason == "no From domain"
    assert evaluate_dmarc(from_domains(b"To: a@b.test\r\n\r\nx"), (), NO_SPF, dns).result == "permerror"


def test_without_a_test_dns_the_lookup_is_a_temporary_error():
    result = evaluate_in_dns(["example.com"], (), NO_SPF)
    assert (result.result, result.reason) == (
        "temperror",
        "no test DNS is in use, and the checks never ask a real resolver",
    )


def test_the_from_domain_of_an_smtputf8_message_is_read_as_utf8(dns: TestDNS):
    # The raw bytes of a UTF-8 domain reach the parser as surrogates: read as UTF-8, the domain
    # is the one whose record the test published (not a name no DNS could hold).
    raw = "From: a@bücher.example\r\nTo: b@example.org\r\n\r\nx".encode()
    assert from_domains(raw) == ["bücher.example"]
    dns.add("_dmarc.bücher.example", "TXT", "v=DMARC1; p=reject")
    result = evaluate_dmarc(from_domains(raw), (), NO_SPF, dns)
    assert (result.result, result.from_domain, result.policy) == ("fail", "bücher.example", "reject")
