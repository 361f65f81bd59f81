"""The test DNS of a run: records live as long as the test or suite that published them."""

from __future__ import annotations

import pytest

from SMTPLibrary.core.checks import TestDNS
from SMTPLibrary.core.runs import Isolation, RunDNS, ServerRegistry


def published(dns: TestDNS) -> list[str]:
    return [str(record) for record in dns.records()]


@pytest.fixture
def registry():
    servers = ServerRegistry()
    yield servers
    servers.stop_all()


def add(registry: ServerRegistry, name: str) -> None:
    registry.dns.add(name, "A", "192.0.2.1", registry.owner)


def test_test_mode_removes_a_tests_records_when_it_ends_and_keeps_the_suites(registry):
    isolation = Isolation(registry, "test")
    isolation.start("suite", "s1")
    add(registry, "suite.example.com")
    isolation.start("test", "s1-t1")
    add(registry, "test.example.com")
    add(registry, "suite.example.com")  # the same record again: the suite's stays
    assert published(registry.dns.dns) == ["suite.example.com A 192.0.2.1", "test.example.com A 192.0.2.1"]
    isolation.end("test", "s1-t1")
    assert published(registry.dns.dns) == ["suite.example.com A 192.0.2.1"]
    isolation.end("suite", "s1")
    assert published(registry.dns.dns) == []


def test_suite_mode_keeps_records_across_tests_until_the_suite_ends(registry):
    isolation = Isolation(registry, "suite")
    isolation.start("suite", "s1")
    isolation.start("test", "s1-t1")
    add(registry, "example.com")
    isolation.end("test", "s1-t1")
    assert published(registry.dns.dns) == ["example.com A 192.0.2.1"]
    isolation.end("suite", "s1")
    assert published(registry.dns.dns) == []


def test_none_mode_never_removes_records(registry):
    isolation = Isolation(registry, "none")
    isolation.start("suite", "s1")
    isolation.start("test", "s1-t1")
    add(registry, "example.com")
    isolation.end("test", "s1-t1")
    isolation.end("suite", "s1")
    assert published(registry.dns.dns) == ["example.com A 192.0.2.1"]
    registry.stop_all()
    assert len(registry.dns.dns) == 1


def test_a_key_replaces_the_one_published_at_its_selector_and_clear_removes_all():
    run = RunDNS()
    run.add("test._domainkey.example.com", "TXT", "v=DKIM1; k=rsa; p=old", "suite")

    class Key:
        dns_name, dns_record = "test._domainkey.example.com", "v=DKIM1; k=rsa; p=new"

    run.publish_key(Key(), "test")  # type: ignore[arg-type]
    assert [record.text for record in run.dns.records()] == ["v=DKIM1; k=rsa; p=new"]
    run.release("test")
    assert len(run.dns) == 0
    run.add("example.com", "A", "192.0.2.1", None)
    run.clear()
    assert len(run.dns) == 0
