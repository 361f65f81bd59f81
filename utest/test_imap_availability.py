"""Without Python 3.11 or the imap extra, the IMAP keywords, steps and options say in one sentence
what is missing; and nothing imports pymap before an IMAP or POP3 server starts."""

from __future__ import annotations

import subprocess
import sys
from importlib.metadata import PackageNotFoundError

import pytest

from SMTPLibrary.cli import main
from SMTPLibrary.core import IMAPUnavailable
from SMTPLibrary.core.imap import availability, missing_imap


@pytest.mark.skipif(sys.version_info < (3, 11), reason="pymap, the IMAP server, installs on Python 3.11 and newer only")
def test_nothing_imports_pymap_until_a_server_starts():
    code = (
        "import sys, SMTPLibrary\n"
        "from SMTPLibrary import SMTPServer\n"
        "from SMTPLibrary.library import SMTPLibrary as Library\n"
        "import SMTPLibrary.pytest_plugin\n"
        "Library()\n"
        "server = SMTPServer(); server.start(); server.deliver('bob@example.com', 'Subject: x\\n\\nbody')\n"
        "before = 'pymap' in sys.modules\n"
        "server.start_imap(); server.stop()\n"
        "print(before, 'pymap' in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.split() == ["False", "True"]


def test_python_3_10_is_told_the_version_it_needs(monkeypatch):
    monkeypatch.setattr(sys, "version_info", (3, 10, 13, "final", 0))
    assert missing_imap() == (
        "The IMAP and POP3 view needs Python 3.11 or newer (its server, pymap, does); this is Python 3.10.13. "
        "Everything else in SMTPLibrary works on it."
    )


def without_pymap(name):
    raise PackageNotFoundError(name)


def test_without_the_extra_every_door_says_what_to_install(monkeypatch, capsys, server):
    monkeypatch.setattr(sys, "version_info", (3, 11, 7, "final", 0))  # the Python the extra installs on
    monkeypatch.setattr(availability, "version", without_pymap)
    monkeypatch.setattr(availability, "_ready", False)
    sentence = (
        "The IMAP and POP3 view needs pymap 0.36.7, which is not installed: "
        "pip install 'robotframework-smtplibrary[imap]'."
    )
    assert missing_imap() == sentence
    with pytest.raises(IMAPUnavailable) as failure:
        server.start_imap()
    assert str(failure.value) == sentence
    from SMTPLibrary.library import SMTPLibrary

    library = SMTPLibrary()
    library.servers.add(server)
    for keyword, arguments in [
        (library.start_imap_server, ()),
        (library.start_pop3_server, ()),
        (library.add_mail_user, ("a@example.com", "pw")),
        (library.deliver_message, ("a@example.com", "Subject: x\n\nbody")),
        (library.get_mailbox_folders, ("a@example.com",)),
    ]:
        with pytest.raises(IMAPUnavailable, match=r"^The IMAP and POP3 view needs pymap"):
            keyword(*arguments)
    from SMTPLibrary.bdd.steps import imap as imap_steps

    with pytest.raises(IMAPUnavailable, match=r"^The IMAP and POP3 view needs pymap"):
        imap_steps.step_imap_running(object())  # before it looks for a server on the context
    assert main(["serve", "--port", "0", "--imap-port", "0"]) == 2
    assert capsys.readouterr().err == f"smtplibrary serve: {sentence}\n"


def test_another_pymap_version_is_named(monkeypatch):
    monkeypatch.setattr(sys, "version_info", (3, 11, 7, "final", 0))
    monkeypatch.setattr(availability, "version", lambda name: "0.37.0")
    assert missing_imap() == (
        "The IMAP and POP3 view is built for pymap 0.36.7, but pymap 0.37.0 is installed: "
        "pip install 'robotframework-smtplibrary[imap]'."
    )
