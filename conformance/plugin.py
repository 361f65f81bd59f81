"""pytest plugin: run aiosmtpd's own test suite against another SMTP protocol class.

The class is given as ``module.path:ClassName``, by ``--conformance-class`` or
the environment variable ``SMTPLIBRARY_CONFORMANCE_CLASS``. It must subclass
``aiosmtpd.smtp.SMTP`` and work when given only aiosmtpd's arguments.

Before aiosmtpd's conftest and test modules are imported, the class is put
wherever they would get ``aiosmtpd.smtp.SMTP``: the ``SMTP`` attribute of
``aiosmtpd.smtp`` (so ``from aiosmtpd.smtp import SMTP as Server`` and the
subclasses the tests define take it), and every other aiosmtpd module that
imported the name (``aiosmtpd.controller``: ``Controller.factory()``). A
test module that still holds aiosmtpd's class after collection is an error.

The test files must be those of a tree made by ``fetch.py`` (or of an
installed aiosmtpd with its tests). That tree's ``aiosmtpd/`` folder is put
first on the installed ``aiosmtpd`` package's ``__path__``, so that
``aiosmtpd.tests`` and ``aiosmtpd.testing`` come from it while aiosmtpd's
code comes from the installed package, whose version must be the tree's.

Known, explained differences are listed in a file (``--conformance-expected``,
default ``expected.txt`` beside this module): each test marked there is
run as ``xfail(strict=True)``, so it must still fail; any other failure, and
a listed test that passes, fails the run.
"""

from __future__ import annotations

import importlib
import importlib.resources
import logging
import os
import re
import sys
import types
from pathlib import Path
from typing import Any

import pytest

CLASS_VARIABLE = "SMTPLIBRARY_CONFORMANCE_CLASS"
EXPECTED_VARIABLE = "SMTPLIBRARY_CONFORMANCE_EXPECTED"
DEFAULT_EXPECTED = Path(__file__).with_name("expected.txt")

_state: dict[str, Any] = {}


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("conformance", "aiosmtpd's test suite against another protocol class")
    group.addoption(
        "--conformance-class",
        default=os.environ.get(CLASS_VARIABLE),
        metavar="MODULE:CLASS",
        help=f"the aiosmtpd.smtp.SMTP subclass to test (default: ${CLASS_VARIABLE})",
    )
    group.addoption(
        "--conformance-expected",
        default=os.environ.get(EXPECTED_VARIABLE, str(DEFAULT_EXPECTED)),
        metavar="FILE",
        help="the known differences: node ids (relative to aiosmtpd/tests) with their reasons",
    )


# -- setting up, before aiosmtpd's conftest is imported ---------------------------------------


@pytest.hookimpl(tryfirst=True)
def pytest_load_initial_conftests(early_config: pytest.Config, parser: pytest.Parser, args: list[str]) -> None:
    notes: list[str] = []
    spec = early_config.known_args_namespace.conformance_class
    if not spec:
        raise pytest.UsageError(f"conformance: name the class to test with --conformance-class or ${CLASS_VARIABLE}")
    tree = _tests_tree(early_config, args)
    import aiosmtpd
    import aiosmtpd.smtp

    wanted = _tree_version(tree)
    if aiosmtpd.__version__ != wanted:
        raise pytest.UsageError(
            f"conformance: the tests are aiosmtpd {wanted}'s, the installed aiosmtpd is {aiosmtpd.__version__}"
        )
    if Path(aiosmtpd.__path__[0]).resolve() != tree / "aiosmtpd":
        aiosmtpd.__path__.insert(0, str(tree / "aiosmtpd"))
    _provide_pkg_resources()
    original = aiosmtpd.smtp.SMTP
    # aiosmtpd's tests assert on what it logs to "mail.log"; a library that quiets that
    # logger when imported (SMTPLibrary.core does) would fail them for its import, not
    # for its protocol class: the logger's level is put back as it was.
    mail_log = logging.getLogger("mail.log")
    level = mail_log.level
    cls = _load_class(spec, original)
    if mail_log.level != level:
        changed = logging.getLevelName(mail_log.level)
        mail_log.setLevel(level)
        notes.append(
            f"importing the class set the mail.log level to {changed}; put back to {logging.getLevelName(level)}"
        )
    _state.update(original=original, cls=cls, spec=spec, tree=tree, version=wanted, notes=notes)
    _substitute(original, cls)


def _tests_tree(config: pytest.Config, args: list[str]) -> Path:
    """The folder holding ``aiosmtpd/tests`` of the test files given."""
    trees = set()
    for arg in args:
        if arg.startswith("-"):
            continue
        path = Path(config.invocation_params.dir, arg.split("::", 1)[0]).resolve()
        for folder in (path, *path.parents):
            package = folder / "aiosmtpd"
            if (package / "tests" / "conftest.py").is_file() and (package / "__init__.py").is_file():
                trees.add(folder)
                break
    if len(trees) != 1:
        raise pytest.UsageError("conformance: give test files of one aiosmtpd tree (made by fetch.py)")
    return trees.pop()


def _tree_version(tree: Path) -> str:
    match = re.search(r'^__version__ = "([^"]+)"', (tree / "aiosmtpd" / "__init__.py").read_text(), re.M)
    if match is None:
        raise pytest.UsageError(f"conformance: no __version__ in {tree / 'aiosmtpd' / '__init__.py'}")
    return match.group(1)


def _provide_pkg_resources() -> None:
    """aiosmtpd's conftest finds its certificates with ``pkg_resources.resource_filename``;
    setuptools is deprecating (and dropping) that module. Give the conftest the one
    function it needs, from the standard library, unless pkg_resources is already loaded."""
    if "pkg_resources" in sys.modules:
        return
    shim = types.ModuleType("pkg_resources", "resource_filename only, for aiosmtpd's test conftest")

    def resource_filename(package: str, resource: str) -> str:
        return str(importlib.resources.files(package) / resource)

    shim.resource_filename = resource_filename  # type: ignore[attr-defined]
    sys.modules["pkg_resources"] = shim


def _load_class(spec: str, original: type) -> type:
    module_name, _, qualname = spec.partition(":")
    if not module_name or not qualname:
        raise pytest.UsageError(f"conformance: the class is given as module.path:ClassName, got {spec!r}")
    obj: Any = importlib.import_module(module_name)
    for part in qualname.split("."):
        obj = getattr(obj, part)
    if not (isinstance(obj, type) and issubclass(obj, original)) or obj is original:
        raise pytest.UsageError(f"conformance: {spec} is not a subclass of aiosmtpd.smtp.SMTP")
    return obj


def _substitute(original: type, cls: type) -> None:
    """Put ``cls`` wherever an aiosmtpd module holds ``original`` (imported after the class
    under test, whose modules keep aiosmtpd's own)."""
    importlib.import_module("aiosmtpd.controller")
    importlib.import_module("aiosmtpd.handlers")
    for name, module in list(sys.modules.items()):
        if (name == "aiosmtpd" or name.startswith("aiosmtpd.")) and module is not None:
            for attribute, value in list(vars(module).items()):
                if value is original:
                    setattr(module, attribute, cls)


# -- collection ------------------------------------------------------------------------------


def pytest_configure(config: pytest.Config) -> None:
    for marker in ("client_data", "controller_data", "handler_data"):
        config.addinivalue_line("markers", f"{marker}: aiosmtpd's test data marker")


def pytest_report_header(config: pytest.Config) -> list[str]:
    if not _state:
        return []
    header = f"conformance: aiosmtpd {_state['version']}'s tests ({_state['tree']}) against {_state['spec']}"
    return [header, *(f"conformance: {note}" for note in _state["notes"])]


def read_expected(path: Path) -> dict[str, str]:
    """Node id -> reason. A node id (``test_x.py::Class::test[param]``) starts a line;
    the indented lines under it are its reason. ``#`` starts a comment line."""
    expected: dict[str, str] = {}
    current: str | None = None
    for number, line in enumerate(path.read_text().splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if line[0].isspace():
            if current is None:
                raise pytest.UsageError(f"{path}:{number}: a reason without a node id")
            expected[current] = f"{expected[current]} {line.strip()}".strip()
        else:
            current = line.strip()
            if current in expected:
                raise pytest.UsageError(f"{path}:{number}: {current} is listed twice")
            expected[current] = ""
    for node, reason in expected.items():
        if not reason:
            raise pytest.UsageError(f"{path}: {node} has no reason")
    return expected


def _key(item: pytest.Item) -> str:
    """The node id relative to aiosmtpd/tests: ``test_smtp.py::TestX::test_y[param]``."""
    return "::".join([item.path.name, *item.nodeid.split("::")[1:]])


@pytest.hookimpl(tryfirst=True)  # before -k/-m deselect anything
def pytest_collection_modifyitems(session: pytest.Session, config: pytest.Config, items: list[pytest.Item]) -> None:
    if not _state:
        return
    original, cls = _state["original"], _state["cls"]
    modules = {item.module for item in items if getattr(item, "module", None) is not None}
    for module in (*modules, *(sys.modules[name] for name in sorted(sys.modules) if name.startswith("aiosmtpd."))):
        for attribute, value in vars(module).items():
            if value is original:
                raise pytest.UsageError(
                    f"conformance: {module.__name__}.{attribute} is still aiosmtpd's SMTP, not {cls.__name__}"
                )
    expected = read_expected(Path(config.getoption("conformance_expected")))
    # Stale entries are looked for in the files collected whole (not narrowed to a node id).
    whole_files = {Path(arg).name for arg in config.args if "::" not in arg} & {item.path.name for item in items}
    keys = {_key(item) for item in items}
    stale = [node for node in expected if node.split("::", 1)[0] in whole_files and node not in keys]
    if stale:
        raise pytest.UsageError("conformance: listed differences that match no test: " + ", ".join(stale))
    for item in items:
        reason = expected.get(_key(item))
        if reason is not None:
            item.add_marker(pytest.mark.xfail(reason=reason, strict=True))
