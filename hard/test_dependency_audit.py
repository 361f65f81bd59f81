"""`make audit` (.ci/audit.py): pip-audit of the runtime dependencies fails on a known
vulnerability, and reports without failing when no vulnerability service answers."""

from __future__ import annotations

import importlib.util
import json
import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def audit():
    spec = importlib.util.spec_from_file_location("audit", ROOT / ".ci" / "audit.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def answer(monkeypatch, audit, stdout: str, stderr: str = "") -> list[list[str]]:
    """Make pip-audit answer ``stdout``; returns the commands run and the requirements they got."""
    ran = []

    def run(command, **kwargs):
        requirements = Path(command[command.index("-r") + 1]).read_text()
        ran.append([*command[:3], requirements])
        return subprocess.CompletedProcess(command, 1, stdout, stderr)

    monkeypatch.setattr(audit.subprocess, "run", run)
    return ran


def names(requirements: list[str]) -> list[str]:
    return sorted(re.match(r"[\w.-]+", requirement).group(0).lower() for requirement in requirements)


def test_the_runtime_dependencies_are_audited(audit, monkeypatch, capsys):
    ran = answer(
        monkeypatch, audit, json.dumps({"dependencies": [{"name": "aiosmtpd", "version": "1.4.6", "vulns": []}]})
    )
    assert audit.main() == 0
    project = (ROOT / "pyproject.toml").read_text()
    declared = []
    # The dependencies, and the extras users run (audit.RUNTIME_EXTRAS).
    for list_name in ("dependencies", *audit.RUNTIME_EXTRAS):
        block = re.search(rf"^{list_name} = \[(.*?)\]$", project, re.M | re.S).group(1)
        code = "\n".join(line.split("#")[0] for line in block.splitlines())
        declared += re.findall(r'"([^"]+)"', code)
    assert len(declared) >= 10
    assert names(ran[0][3].split()) == names(declared)
    assert ran[0][1:3] == ["-m", "pip_audit"]
    assert capsys.readouterr().out == "pip-audit: 1 dependencies audited, 0 with known vulnerabilities.\n"


def test_a_known_vulnerability_fails_the_audit(audit, monkeypatch, capsys):
    dependencies = [
        {"name": "aiosmtpd", "version": "1.4.4", "vulns": [{"id": "GHSA-pr2m-px7j-xg65"}, {"id": "PYSEC-2024-1"}]},
        {"name": "trustme", "version": "1.2.0", "vulns": []},
    ]
    answer(monkeypatch, audit, json.dumps({"dependencies": dependencies}))
    assert audit.main() == 1
    assert capsys.readouterr().out.splitlines() == [
        "pip-audit: aiosmtpd 1.4.4 has known vulnerabilities: GHSA-pr2m-px7j-xg65, PYSEC-2024-1",
        "pip-audit: 2 dependencies audited, 1 with known vulnerabilities.",
    ]


def test_no_vulnerability_service_is_reported_without_failing(audit, monkeypatch, capsys):
    answer(monkeypatch, audit, "", "Traceback ...\nConnectionError: pypi.org unreachable")
    assert audit.main() == 0
    assert capsys.readouterr().out == (
        "pip-audit: not audited, pip-audit could not run: ConnectionError: pypi.org unreachable\n"
    )
    skipped = [{"name": "trustme", "version": "1.2.0", "skip_reason": "Dependency not found on PyPI"}]
    answer(monkeypatch, audit, json.dumps({"dependencies": skipped}))
    assert audit.main() == 0
    assert (
        capsys.readouterr().out.splitlines()[-1] == "pip-audit: 0 dependencies audited, 0 with known vulnerabilities."
    )
