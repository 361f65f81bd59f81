"""The test DNS: records as published, read by dkimpy and pyspf, and never a query to a resolver."""

from __future__ import annotations

import concurrent.futures
import threading

import dkim
import pytest
import spf
from checkmail import received, sign

from SMTPLibrary.core import InvalidArgument
from SMTPLibrary.core.checks import NameNotFound, Record, TestDNS, authenticate, create_dkim_key, lookups
from SMTPLibrary.core.checks.spf import check_spf

SIMPLE = (
    b"From: a@example.com\r\nTo: b@example.org\r\nSubject: hi\r\n"
    b"Date: Mon, 1 Dec 2026 10:00:00 +0000\r\nMessage-ID: <1@example.com>\r\n\r\nHello\r\n"
)


def test_names_are_case_insensitive_with_or_without_the_trailing_dot(dns: TestDNS):
    dns.add("Mail.Example.COM.", "a", "192.0.2.1")
    assert dns.lookup("mail.example.com", "A") == ("192.0.2.1",)
    assert dns.lookup(b"MAIL.example.com.", "a") == ("192.0.2.1",)


def test_a_missing_name_is_nxdomain_and_a_missing_type_is_no_data(dns: TestDNS):
    dns.add("example.com", "A", "192.0.2.1")
    with pytest.raises(NameNotFound):
        dns.lookup("other.example.com", "A")
    assert dns.lookup("example.com", "TXT") == ()


def test_values_are_checked_and_kept_in_their_readers_shapes(dns: TestDNS):
    dns.add("example.com", "AAAA", "2001:DB8::0001")
    dns.add("example.com", "MX", "10 MX.example.com.")
    dns.add("example.com", "MX", "mx2.example.com")
    dns.add("192.0.2.7", "PTR", "mail.example.com")
    dns.add("www.example.com", "CNAME", "example.com")
    dns.add("bücher.example", "A", "192.0.2.9")
    assert dns.lookup("example.com", "AAAA") == ("2001:db8::1",)
    assert dns.lookup("example.com", "MX") == ((10, "mx.example.com"), (10, "mx2.example.com"))
    assert dns.lookup("7.2.0.192.in-addr.arpa", "PTR") == ("mail.example.com",)
    assert dns.lookup("xn--bcher-kva.example", "A") == ("192.0.2.9",)


@pytest.mark.parametrize(
    ("name", "type_", "value", "error"),
    [
        ("bad.example.com", "A", "2001:db8::1", "An A value must be an IPv4 address, got '2001:db8::1'."),
        ("bad.example.com", "AAAA", "192.0.2.1", "An AAAA value must be an IPv6 address, got '192.0.2.1'."),
        (
            "bad.example.com",
            "MX",
            "ten mx",
            "An MX value is 'preference exchange', such as '10 mx.example.com', got 'ten mx'.",
        ),
        (
            "bad.example.com",
            "SRV",
            "x",
            "DNS record type 'SRV' is not supported: use one of A, AAAA, CNAME, MX, PTR, TXT.",
        ),
        ("", "A", "192.0.2.1", "A DNS name cannot be empty."),
        (
            "a..example.com",
            "A",
            "192.0.2.1",
            "'a..example.com' is not a valid DNS name: labels of 1 to 63 characters, 253 in all.",
        ),
        (
            "www.example.com",
            "A",
            "192.0.2.1",
            "www.example.com cannot have a CNAME and other records (RFC 1034 3.6.2).",
        ),
    ],
)
def test_a_wrong_record_is_refused_naming_what_is_wrong(dns: TestDNS, name, type_, value, error):
    dns.add("www.example.com", "CNAME", "example.com")
    with pytest.raises(InvalidArgument) as refused:
        dns.add(name, type_, value)
    assert str(refused.value) == error
    assert len(dns) == 1


def test_a_long_txt_value_is_split_into_strings_of_255_octets(dns: TestDNS):
    dns.add("example.com", "TXT", "v=spf1 " + "a" * 600)
    (parts,) = dns.lookup("example.com", "TXT")
    assert [len(part) for part in parts] == [255, 255, 97]
    assert Record("example.com", "TXT", parts).text == "v=spf1 " + "a" * 600


def test_remove_discard_and_clear(dns: TestDNS):
    dns.add("a.example.com", "A", "192.0.2.1")
    kept = dns.add("a.example.com", "TXT", "one")
    gone = dns.add("a.example.com", "TXT", "two")
    dns.discard(gone)
    assert dns.lookup("a.example.com", "TXT") == ((b"one",),)
    dns.remove("a.example.com", "TXT")
    assert dns.lookup("a.example.com", "TXT") == ()
    dns.discard(kept)  # no longer there: nothing happens
    assert [str(record) for record in dns.records()] == ["a.example.com A 192.0.2.1"]
    dns.clear()
    assert len(dns) == 0
    with pytest.raises(NameNotFound):
        dns.lookup("a.example.com", "A")


def test_records_can_change_while_other_threads_look_up(dns: TestDNS):
    errors: list[BaseException] = []

    def reader():
        try:
            for _ in range(2000):
                try:
                    dns.lookup("n.example.com", "A")
                except NameNotFound:
                    pass
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=reader) for _ in range(4)]
    for thread in threads:
        thread.start()
    for number in range(2000):
        dns.add("n.example.com", "A", f"192.0.2.{number % 250}")
        if number % 100 == 0:
            dns.clear()
    for thread in threads:
        thread.join()
    assert errors == []


def test_dkimpy_gets_the_first_txt_record_joined_and_none_for_nxdomain(dns: TestDNS):
    dns.add("s._domainkey.example.com", "TXT", ["v=DKIM1; ", "p=abc"])
    with lookups.using(dns):
        assert lookups.dkim_txt(b"s._domainkey.example.com.", timeout=5) == b"v=DKIM1; p=abc"
        assert lookups.dkim_txt(b"missing._domainkey.example.com.") is None


def test_pyspf_gets_its_own_shapes_and_follows_a_cname(dns: TestDNS):
    dns.add("example.com", "TXT", "v=spf1 -all")
    dns.add("example.com", "MX", "5 mx.example.com")
    dns.add("alias.example.com", "CNAME", "example.com")
    with lookups.using(dns):
        assert lookups.spf_lookup("example.com", "TXT") == [(("example.com", "TXT"), (b"v=spf1 -all",))]
        assert lookups.spf_lookup("example.com", "MX") == [(("example.com", "MX"), (5, "mx.example.com"))]
        assert lookups.spf_lookup("alias.example.com", "TXT") == [(("alias.example.com", "CNAME"), "example.com")]
        assert lookups.spf_lookup("nowhere.example.com", "A") == []


def test_pyspf_lookup_is_replaced_once_and_left_to_pyspf_outside_a_check(monkeypatch):
    import SMTPLibrary.core.checks.spf  # noqa: F401 - importing it replaces the lookup

    assert spf.DNSLookup is lookups.spf_lookup
    lookups.install_spf_lookup()
    assert spf.DNSLookup is lookups.spf_lookup
    # Someone else's pyspf call in this process, outside a check, gets pyspf's own lookup.
    seen = []
    monkeypatch.setattr(lookups, "_pyspf_lookup", lambda *args: seen.append(args) or [])
    assert lookups.current() is None
    assert spf.query(i="192.0.2.1", s="a@example.com", h="mail.example.com").check()[0] == "none"
    assert seen and seen[0][:2] == ("example.com", "TXT")


def test_without_a_test_dns_dkimpy_gets_a_timeout_and_nothing_is_sent():
    assert lookups.current() is None
    with pytest.raises(dkim.DnsTimeoutError, match="no test DNS is in use"):
        lookups.dkim_txt(b"test._domainkey.example.com.")
    assert dkim.verify(SIMPLE, dnsfunc=lookups.dkim_txt) is False
    with pytest.raises(LookupError, match="no test DNS is in use"):
        lookups.txt_records("_dmarc.example.com")


def test_each_check_reads_only_the_dns_it_is_given(dns: TestDNS):
    key = create_dkim_key("example.com", dns=dns)
    signed = received(sign(key, SIMPLE), sender="a@example.com")
    dns.add("example.com", "TXT", "v=spf1 ip4:192.0.2.0/24 -all")
    dns.add("_dmarc.example.com", "TXT", "v=DMARC1; p=reject")
    result = authenticate(signed, dns)
    assert (result.dkim_result, result.spf.result, result.dmarc.result, result.arc.result) == (
        "pass", "pass", "pass", "none",
    )  # fmt: skip
    result = authenticate(signed, TestDNS())
    assert (result.dkim[0].reason, result.spf.result, result.dmarc.result) == ("no key for signature", "none", "none")
    assert lookups.current() is None


def test_the_guard_itself_catches_a_real_query(dns_guard):
    """dkimpy without a DNS function goes to dnspython: the guard every test runs under stops it
    (so that the other tests mean something)."""
    key = create_dkim_key("example.com")
    with pytest.raises(AssertionError, match="A DNS query tried to leave the process"):
        dkim.verify(sign(key, SIMPLE))  # dkimpy's default: a real resolver
    assert len(dns_guard.attempts) == 1
    dns_guard.attempts.clear()


def test_spf_with_the_replaced_lookup_reads_the_test_dns_only(dns: TestDNS, monkeypatch):
    dns.add("example.com", "TXT", "v=spf1 include:_spf.example.net mx a:relay.example.com ~all")
    dns.add("_spf.example.net", "TXT", "v=spf1 ip4:198.51.100.0/24 -all")
    calls = []
    real = TestDNS.lookup
    monkeypatch.setattr(
        TestDNS, "lookup", lambda self, name, type_: calls.append((str(name), type_)) or real(self, name, type_)
    )
    with lookups.using(dns):
        assert check_spf("a@example.com", "203.0.113.9", "mail.example.com").result == "softfail"
    assert ("_spf.example.net", "TXT") in calls and ("example.com", "MX") in calls


def test_threads_checking_at_once_each_see_their_own_dns():
    def run(number: int) -> tuple[int, str]:
        own = TestDNS()
        own.add("example.com", "TXT", "v=spf1 ip4:192.0.2.0/24 -all" if number % 2 else "v=spf1 -all")
        with lookups.using(own):
            (result,) = {check_spf("a@example.com", "192.0.2.1", "h.test").result for _ in range(50)}
        return number, result

    with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
        for number, result in pool.map(run, range(16)):
            assert result == ("pass" if number % 2 else "fail")
    assert lookups.current() is None
