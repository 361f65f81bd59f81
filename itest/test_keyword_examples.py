"""Every example of the keyword reference runs, as the reference shows it.

The examples are read from the library model libdoc renders (the model
``docs/SMTPLibrary.html`` holds, as itest/test_docs.py reads it): the
example tables of each keyword, and the tables and preformatted blocks of
the library's introduction and import documentation. Robot examples become
suites, run with ``robot``:

* a keyword's example tables, row after row, are one test named after the
  keyword, and so are the step lines and tables of a section of the
  introduction; a test case written out in full is a test as it is;
* a suite written out in full is a suite of its own, and settings lines
  (``Library    SMTPLibrary    timeout=10 s``) are the settings of a suite
  of their own with one test that does nothing: importing is what they show.

What the examples take for granted is in ``doc_examples/``: the application
under test (``Register User``, ``Confirm Order``, ``Send The Newsletter``,
sending real mail with smtplib), and a set-up that starts a server and
receives ``${msg}`` before each test (a suite written out in full gets that
resource among its settings). The files the examples name (``mail.eml``,
``server.pem``) are in the folder they run in (``question.eml`` next to the
suite too, for ``${CURDIR}``); ``${SUT HOST}`` is this
machine, where a remote server (``smtplibrary remote``) listens on 8270.

Python examples run with ``python``, behave examples with ``behave``, on the
library's own steps. The rendering is checked for what once went wrong.
"""

from __future__ import annotations

import fcntl
import html
import importlib.util
import re
import subprocess
import sys
import textwrap
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest
import trustme
from robot.api import ExecutionResult
from test_docs import library_model

ROOT = Path(__file__).resolve().parent.parent
SUPPORT = Path(__file__).resolve().parent / "doc_examples"
# Ports the examples name (Start SMTP Server    port=2525, the Remote library's 8270): runs
# from several checkouts on one machine take turns.
FIXED_PORTS_LOCK = Path("/tmp/smtplibrary-doc-examples.lock")
REMOTE_PORT = 8270


@dataclass
class Block:
    """A table (rows of cells; ``header``: it has a header row, so it is a reference table, not an
    example) or a preformatted block (``text``), under the heading ``section``."""

    section: str
    rows: list[list[str]] = field(default_factory=list)
    header: bool = False
    text: str | None = None


class _Blocks(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.blocks: list[Block] = []
        self.section = ""
        self._heading: list[str] | None = None
        self._cell: list[str] | None = None
        self._pre: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in ("h2", "h3"):
            self._heading = []
        elif tag == "table":
            self.blocks.append(Block(self.section))
        elif tag == "tr":
            self.blocks[-1].rows.append([])
        elif tag in ("td", "th"):
            self._cell = []
            self.blocks[-1].header |= tag == "th"
        elif tag == "pre":
            self._pre = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("h2", "h3") and self._heading is not None:
            self.section, self._heading = "".join(self._heading).strip(), None
        elif tag in ("td", "th") and self._cell is not None:
            self.blocks[-1].rows[-1].append("".join(self._cell).strip())
            self._cell = None
        elif tag == "pre" and self._pre is not None:
            self.blocks.append(Block(self.section, text="".join(self._pre).strip("\n")))
            self._pre = None

    def handle_data(self, data: str) -> None:
        for collected in (self._heading, self._cell, self._pre):
            if collected is not None:
                collected.append(data)


def blocks(doc: str) -> list[Block]:
    parser = _Blocks()
    parser.feed(doc)
    return parser.blocks


def robot_line(cells: list[str]) -> str:
    while cells and not cells[-1]:
        cells = cells[:-1]
    return "    ".join(cell or "${EMPTY}" for cell in cells)


def kind_of(text: str) -> str:
    lines = [line for line in text.splitlines() if line.strip()]
    if re.match(r"(import|from) \w", lines[0]):
        return "python"
    if any(re.match(r"\s*(@|Feature:|Scenario:|Background:|Given |When |Then )", line) for line in lines):
        return "gherkin"
    if any(line.startswith("*** ") for line in lines):
        return "suite"
    if all(re.match(r"(Library|Resource|Variables)  ", line) for line in lines):
        return "settings"
    if len(lines) > 1 and not lines[0].startswith(" ") and all(line.startswith("    ") for line in lines[1:]):
        return "test"
    return "steps"


@dataclass
class Examples:
    tests: dict[str, list[str]] = field(default_factory=dict)  # name: body lines
    suites: list[str] = field(default_factory=list)
    settings: list[str] = field(default_factory=list)
    python: list[str] = field(default_factory=list)
    gherkin: list[str] = field(default_factory=list)

    def add_lines(self, name: str, lines: list[str]) -> None:
        self.tests.setdefault(name, []).extend(lines)

    def add(self, name: str, found: list[Block]) -> None:
        for block in found:
            if block.text is None:
                if not block.header:
                    self.add_lines(name or block.section, [robot_line(row) for row in block.rows])
                continue
            kind = kind_of(block.text)
            if kind == "steps":
                self.add_lines(name or block.section, block.text.splitlines())
            elif kind == "test":
                title, *body = block.text.splitlines()
                self.tests[title] = [line[4:] for line in body]
            elif kind == "settings":
                # Alternatives, one per line: each imports the library its way.
                self.settings += block.text.splitlines()
            else:
                getattr(self, kind if kind in ("python", "gherkin") else "suites").append(block.text)


def collect(model: dict) -> Examples:
    examples = Examples()
    examples.add("", blocks(model["doc"]))
    for init in model["inits"]:
        examples.add("Importing", blocks(init["doc"]))
    for keyword in model["keywords"]:
        examples.add(keyword["name"], blocks(keyword["doc"]))
    return examples


@pytest.fixture(scope="module")
def model(tmp_path_factory) -> dict:
    # The current docstrings, rendered now (test_docs checks that the committed page is the same).
    spec = importlib.util.spec_from_file_location("generate_docs", ROOT / "docs" / "generate.py")
    generate = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generate)
    return library_model(generate.generate(tmp_path_factory.mktemp("reference") / "SMTPLibrary.html"))


@pytest.fixture(scope="module")
def examples(model) -> Examples:
    return collect(model)


def test_every_keyword_has_an_example_and_every_kind_is_found(model, examples):
    without = [keyword["name"] for keyword in model["keywords"] if keyword["name"] not in examples.tests]
    assert without == []
    assert examples.suites and examples.settings and examples.python and examples.gherkin
    assert any(name.startswith("Greylisted") for name in examples.tests)


def suite_files(examples: Examples, folder: Path) -> int:
    """Write the Robot examples as suites into ``folder``; returns the number of tests."""
    resource = SUPPORT / "examples.resource"
    cases = "".join(
        f"{name}\n" + "".join(f"    {line}\n" for line in body) + "\n" for name, body in examples.tests.items()
    )
    (folder / "01__keywords.robot").write_text(
        f"*** Settings ***\nResource    {resource}\nTest Setup    Example Setup\n\n*** Test Cases ***\n{cases}",
        encoding="utf-8",
    )
    (folder / "question.eml").write_bytes(QUESTION)  # for ${CURDIR}/question.eml
    tests = len(examples.tests)
    for number, suite in enumerate(examples.suites, 2):
        # The application under test: what the example's own keyword (Register User...) stands for.
        text = suite.replace("*** Settings ***\n", f"*** Settings ***\nResource    {resource}\n", 1)
        (folder / f"{number:02}__suite_{number}.robot").write_text(text + "\n", encoding="utf-8")
        tests += len(names_of_tests(text))
    for number, settings in enumerate(examples.settings, len(examples.suites) + 2):
        text = f"*** Settings ***\n{settings}\n\n*** Test Cases ***\nImported as shown\n    No Operation\n"
        (folder / f"{number:02}__settings_{number}.robot").write_text(text, encoding="utf-8")
        tests += 1
    return tests


def names_of_tests(suite: str) -> list[str]:
    """The names of the tests of a suite written out in full."""
    section = re.split(r"^\*\*\* Test Cases \*\*\*$", suite, flags=re.M)[1]
    section = re.split(r"^\*\*\* ", section, flags=re.M)[0]
    return [line for line in section.splitlines() if line.strip() and not line.startswith((" ", "#"))]


QUESTION = b"From: alice@example.com\r\nTo: support@example.com\r\nSubject: Help\r\n\r\nThe shop is on fire.\r\n"


def working_folder(folder: Path) -> Path:
    """Where the examples run: the files they name are there."""
    folder.mkdir()
    certificate = trustme.CA().issue_cert("localhost")
    certificate.cert_chain_pems[0].write_to_path(str(folder / "server.pem"))
    certificate.private_key_pem.write_to_path(str(folder / "server.key"))
    (folder / "mail.eml").write_bytes(b"From: app@example.com\r\nSubject: Over TLS\r\n\r\nHello\r\n")
    (folder / "question.eml").write_bytes(QUESTION)
    return folder


def test_robot_examples_run(examples, tmp_path):
    suites = tmp_path / "Keyword Reference Examples"
    suites.mkdir()
    expected = suite_files(examples, suites)
    work = working_folder(tmp_path / "work")
    command = [sys.executable, "-m", "robot", "--outputdir", str(tmp_path / "out"), "--pythonpath", str(SUPPORT)]
    command += ["--variable", "SUT HOST:127.0.0.1", "--consolecolors", "off", "--consolewidth", "100", str(suites)]
    with FIXED_PORTS_LOCK.open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        remote = subprocess.Popen(
            [sys.executable, "-m", "SMTPLibrary", "remote", "--port", str(REMOTE_PORT), "--port-file", "remote.port"],
            cwd=work,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        try:
            assert remote.stdout.readline().startswith("SMTPLibrary remote server listening on"), remote.stdout.read()
            result = subprocess.run(command, cwd=work, capture_output=True, text=True, timeout=300)
        finally:
            remote.terminate()
            remote.wait(timeout=30)
    run = ExecutionResult(str(tmp_path / "out" / "output.xml"))
    errors = [message.message for message in run.errors.messages]
    assert (result.returncode, errors) == (0, []), result.stdout + result.stderr
    statistics = run.statistics.total
    assert (statistics.passed, statistics.failed) == (expected, 0), result.stdout


def test_python_examples_run(examples, tmp_path):
    assert examples.python
    for code in examples.python:
        result = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=60)
        assert result.returncode == 0, f"{code}\n---\n{result.stdout}{result.stderr}"


def test_behave_examples_run(examples, tmp_path):
    steps = tmp_path / "features" / "steps"
    steps.mkdir(parents=True)
    (python,) = [code for code in examples.python if "SMTPLibrary.bdd.steps" in code]
    (steps / "smtp.py").write_text(python + "\n", encoding="utf-8")
    scenarios = 0
    for number, text in enumerate(examples.gherkin, 1):
        if "Feature:" not in text:
            text = "Feature: Example\n" + textwrap.indent(text, "  ")
        (tmp_path / "features" / f"example_{number}.feature").write_text(text + "\n", encoding="utf-8")
        scenarios += text.count("Scenario:")
    result = subprocess.run(
        [sys.executable, "-m", "behave", "--format", "progress", "features"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"{scenarios} scenarios passed, 0 failed" in result.stdout, result.stdout


# -- the rendering -----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def committed() -> dict:
    return library_model(ROOT / "docs" / "SMTPLibrary.html")


def test_the_rendered_reference_shows_what_the_source_says(committed):
    intro = committed["doc"]
    # Section headers in examples, not bold stars: "* Settings *".
    assert "<b>*</b>" not in intro
    assert "<code>*** Settings ***</code>" in intro
    assert "<code>*** Test Cases ***</code>" in intro
    # Backslashes as written (a non-raw docstring turned \n into a line break, splitting a table row).
    row = re.search(r"<td>source</td>\s*<td>(.*?)</td>", intro, re.S)
    assert row and "<code>\\n</code> line endings" in row.group(1), row
    assert "Line ends are <code>\\n</code>." in intro
    for keyword in committed["keywords"]:
        # ${attachments}[0].filename is item access followed by the text ".filename" in Robot.
        assert not re.search(r"\}\[\d+\]\.\w", keyword["doc"]), keyword["name"]
        assert "Go To" not in html.unescape(keyword["doc"]), keyword["name"]
