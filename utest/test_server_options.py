"""ServerOptions is the one list of server options: every way of starting a server takes exactly these."""

from __future__ import annotations

import dataclasses
import inspect

import pytest

from SMTPLibrary import SMTPLibrary
from SMTPLibrary.cli import build_parser
from SMTPLibrary.core import InvalidArgument, ServerOptions, SMTPServer


def test_the_keyword_takes_host_port_alias_then_every_other_option_with_its_default():
    parameters = list(inspect.signature(SMTPLibrary.start_smtp_server).parameters.values())[1:]
    names = ServerOptions.names()
    assert [parameter.name for parameter in parameters] == [*names[:2], "alias", *names[2:]]
    defaults = {field.name: field.default for field in dataclasses.fields(ServerOptions)}
    for parameter in parameters:
        assert parameter.default == (None if parameter.name == "alias" else defaults[parameter.name]), parameter.name


def test_the_keyword_passes_what_it_is_given_to_the_server(monkeypatch):
    given = {}

    class Recording(SMTPServer):
        def __init__(self, **options):
            given.update(options)
            super().__init__(**options)

    monkeypatch.setattr("SMTPLibrary.keywords.server.SMTPServer", Recording)
    library = SMTPLibrary(auto_reset="none")
    try:
        library.start_smtp_server("127.0.0.1", 0, "a", size_limit=1000, server_hostname="mail.test")
    finally:
        library.stop_all_smtp_servers()
    assert given["size_limit"] == 1000 and given["server_hostname"] == "mail.test"
    assert set(given) == set(ServerOptions.names())


def test_serve_offers_every_option():
    serve = build_parser().parse_args(["serve"])
    assert [name for name in ServerOptions.names() if not hasattr(serve, name)] == []


@pytest.mark.parametrize(
    ("arguments", "option", "value"),
    [
        (["--no-smtputf8"], "smtputf8", False),
        (["--require-tls", "--tls", "starttls"], "require_tls", True),
        (["--size-limit", "1000"], "size_limit", 1000),
        (["--server-hostname", "mail.test"], "server_hostname", "mail.test"),
        (["--credentials", "a:b", "c:d"], "credentials", ["a:b", "c:d"]),
    ],
)
def test_serve_options_arrive_as_typed_values(arguments, option, value):
    assert getattr(build_parser().parse_args(["serve", *arguments]), option) == value


def test_an_unknown_option_names_itself_and_the_options_there_are():
    with pytest.raises(InvalidArgument) as failure:
        SMTPServer(timeout=10)
    assert str(failure.value) == f"Unknown server option 'timeout': expected one of {', '.join(ServerOptions.names())}."


def test_options_compare_by_the_users_they_allow_and_show_no_password():
    written, mapped = ServerOptions(credentials="alice:s3cret"), ServerOptions(credentials={"alice": "s3cret"})
    assert written == mapped and written.differences(mapped) == []
    assert ServerOptions(credentials="alice:other").differences(written) == ["credentials"]
    assert ServerOptions(tls="STARTTLS").differences(ServerOptions()) == ["tls"]
    assert "s3cret" not in repr(written)
