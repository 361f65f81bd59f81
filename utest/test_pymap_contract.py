"""Fails when pymap changes anything the adapter relies on (see SMTPLibrary.core.imap.pymap_adapter)."""

import ast
import asyncio
import imaplib
import importlib
import inspect
import re
import sys
from importlib.metadata import version
from pathlib import Path

import pytest

if sys.version_info < (3, 11):  # pymap installs there only; on 3.11 and newer a missing pymap fails below
    pytest.skip("pymap installs on Python 3.11 and newer only", allow_module_level=True)

import pymap
from imap_support import message
from pymap.backend.dict import Config
from pymap.backend.dict.mailbox import MailboxData, MailboxSet
from pymap.config import IMAPConfig

from SMTPLibrary.core.imap import availability, pymap_adapter
from SMTPLibrary.core.imap.copies import Copies

PUBLIC = {
    "pymap.backend.dict": ["Config"],
    "pymap.backend.dict.mailbox": ["MailboxSet", "MailboxData", "Message"],
    "pymap.backend.session": ["BaseSession"],
    "pymap.interfaces.login": ["LoginInterface", "IdentityInterface"],
    "pymap.imap": ["IMAPServer"],
    "pymap.concurrent": ["Subsystem"],
    "pymap.exceptions": ["InvalidAuth", "AuthorizationFailure", "NotAllowedError"],
    "pymap.flags": ["FlagOp"],
    "pymap.parsing.message": ["AppendMessage"],
    "pymap.parsing.specials": ["FetchRequirement"],
    "pymap.parsing.specials.flag": ["Flag", "Seen", "Recent", "Wildcard"],
    "pymap.user": ["UserMetadata"],
    "pysasl.hashing": ["Cleartext"],
    "pysasl.identity": ["ClearIdentity"],
    "proxyprotocol.sock": ["SocketInfo"],
}


def test_versions_are_the_checked_ones():
    assert version("pymap") == availability.PYMAP_VERSION
    assert version("pysasl") == "1.2.0"
    assert version("proxy-protocol") == "0.11.3"


def test_every_name_used_is_public():
    for module_name, names in PUBLIC.items():
        module = importlib.import_module(module_name)
        for name in names:
            assert name in module.__all__, f"{module_name}.{name} left __all__"


def test_the_adapter_imports_nothing_else_from_pymap():
    source = Path(pymap_adapter.__file__).read_text()
    imported = set(re.findall(r"^from (pymap\S*|pysasl\S*|proxyprotocol\S*) import (.+)$", source, re.M))
    listed = {(module, name.strip()) for module, names in imported for name in names.split(",")}
    assert listed <= {(m, n) for m, ns in PUBLIC.items() for n in ns}, listed
    # No private attribute of a pymap object is read: the only underscore attributes are the adapter's own.
    own = {"_smtplibrary_config", "_smtplibrary_folders", "_user_folders", "_inbox"}
    private = {
        node.attr
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.endswith("__")
    }
    assert private <= own, private


def test_folders_can_be_adopted():
    assert "__slots__" not in vars(MailboxData)

    async def scenario():
        copies = Copies()
        folders = pymap_adapter._Folders("u", copies)
        await folders.adopt()
        assert type(await folders.get_mailbox("INBOX")) is pymap_adapter._Folder
        await folders.add_mailbox("Archive")
        assert type(await folders.get_mailbox("Archive")) is pymap_adapter._Folder
        await folders.rename_mailbox("INBOX", "Old")  # pymap makes a new INBOX as MailboxData
        assert type(await folders.get_mailbox("INBOX")) is pymap_adapter._Folder
        assert type(await folders.get_mailbox("Old")) is pymap_adapter._Folder

    asyncio.run(scenario())


def test_signatures_relied_on():
    for name, parameters in {
        "append": ["self", "append_msg", "recent"],
        "update": ["self", "uid", "cached_msg", "flag_set", "mode"],
        "delete": ["self", "uids"],
        "copy": ["self", "uid", "destination", "recent"],
        "move": ["self", "uid", "destination", "recent"],
    }.items():
        assert list(inspect.signature(getattr(MailboxData, name)).parameters) == parameters, name
    for name in ("add_mailbox", "delete_mailbox", "rename_mailbox", "list_mailboxes", "get_mailbox"):
        assert hasattr(MailboxSet, name)
    assert isinstance(inspect.getattr_static(IMAPConfig, "greeting"), property)
    assert isinstance(inspect.getattr_static(MailboxData, "permanent_flags"), property)
    config_keywords = set(inspect.signature(IMAPConfig.__init__).parameters)
    assert {
        "ssl_context",
        "tls_enabled",
        "hash_context",
        "cpu_subsystem",
        "invalid_user_sleep",
        "reject_dnsbl",
    } <= config_keywords
    assert {"demo_data", "demo_user", "demo_password"} <= set(inspect.signature(Config.__init__).parameters)
    assert list(inspect.signature(pymap.imap.IMAPServer.__call__).parameters) == [
        "self",
        "reader",
        "writer",
        "sock_info",
    ]


def test_session_calls_move_for_move_and_delete_for_expunge(view):
    """MOVE must reach move() (not delete()), EXPUNGE delete(), COPY copy(): the copies follow each."""
    port = view.start_imap()
    stored = view.deliver("bob@example.com", message("Contract"))
    client = imaplib.IMAP4("127.0.0.1", port)
    client.login("bob@example.com", "bob@example.com")
    client.create("A")
    client.create("B")
    client.select("INBOX")
    client.copy("1", "A")
    view.wait_in_folder(stored, "A", timeout=1)
    client.uid("MOVE", "101", "B")
    view.wait_in_folder(stored, "B", timeout=1)
    client.select("A")
    client.store("1", "+FLAGS", "(\\Deleted kw)")
    view.wait_for_flags(stored, "\\Deleted", "kw", timeout=1)  # a keyword is kept (\* in PERMANENTFLAGS)
    client.expunge()
    client.select("B")
    client.store("1", "+FLAGS", "(\\Deleted)")
    client.expunge()
    view.wait_expunged(stored, timeout=1)
    client.logout()


def test_greeting_does_not_look_up_the_host_name(view, monkeypatch):
    import socket

    port = view.start_imap()
    monkeypatch.setattr(socket, "getfqdn", lambda *a: (_ for _ in ()).throw(AssertionError("getfqdn called")))
    client = imaplib.IMAP4("127.0.0.1", port)
    assert b"SMTPLibrary" in client.welcome
    client.logout()


def test_idle_reports_a_change_made_just_before_it(view):
    """pymap 0.36.7 alone misses it (the wait registers after the change): _Folder.update_selected."""
    import socket

    port = view.start_imap()
    view.deliver("bob@example.com", message("Before"))
    with socket.create_connection(("127.0.0.1", port)) as raw:
        raw.settimeout(2)
        stream = raw.makefile("rb")
        stream.readline()
        raw.sendall(b"a LOGIN bob@example.com bob@example.com\r\nb SELECT INBOX\r\n")
        while not stream.readline().startswith(b"b OK"):
            pass
        view.deliver("bob@example.com", message("Between"))  # after SELECT answered, before IDLE
        raw.sendall(b"c IDLE\r\n")
        assert stream.readline() == b"+ Idling.\r\n"
        assert stream.readline() == b"* 2 EXISTS\r\n"  # without the fix: a timeout here
        raw.sendall(b"DONE\r\n")


def test_no_other_module_of_the_package_imports_pymap_or_its_dependencies():
    package = Path(pymap_adapter.__file__).resolve().parents[2]
    importers = sorted(
        str(path.relative_to(package))
        for path in package.rglob("*.py")
        if re.search(r"^\s*(from|import) (pymap|pysasl|proxyprotocol)\b", path.read_text(encoding="utf-8"), re.M)
    )
    assert importers == ["core/imap/pymap_adapter.py"]


def test_the_version_required_is_the_one_the_extras_pin():
    # The adapter is checked against one pymap (above); pip must install that one, whatever extra brings it.
    pyproject = (Path(__file__).resolve().parents[1] / "pyproject.toml").read_text(encoding="utf-8")
    pins = re.findall(r"'pymap==([^;']+);", pyproject)
    assert pins and set(pins) == {availability.PYMAP_VERSION}, pins
