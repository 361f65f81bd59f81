"""Audit the runtime dependencies for known vulnerabilities with pip-audit.

Fails when a known vulnerability is found. When no vulnerability service can
be reached (an offline machine, a registry mirror without the vulnerability
API), it says so and does not fail: the audit reports, it cannot decide.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from importlib.metadata import requires
from pathlib import Path

DISTRIBUTION = "robotframework-smtplibrary"
# Extras that bring code users run (not test tools): the message checks' libraries, behave for the
# steps, Robot's remote server. (imap's pymap is pinned to the one version the adapter was checked with.)
RUNTIME_EXTRAS = ("checks", "behave", "remote")


def runtime_requirements() -> list[str]:
    found = []
    for requirement in requires(DISTRIBUTION) or []:
        name, _, marker = requirement.partition(";")
        if "extra ==" not in marker or any(f'extra == "{extra}"' in marker for extra in RUNTIME_EXTRAS):
            found.append(name.strip())
    return found


def main() -> int:
    command = [sys.executable, "-m", "pip_audit", "--progress-spinner", "off", "--format", "json"]
    # A folder of our own, removed with what is in it: pip-audit reads the file by name while it exists.
    with tempfile.TemporaryDirectory(prefix="smtplibrary-audit-") as folder:
        requirements = Path(folder, "requirements.txt")
        requirements.write_text("\n".join(runtime_requirements()) + "\n", encoding="utf-8")
        result = subprocess.run([*command, "-r", str(requirements)], capture_output=True, text=True, timeout=300)
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError:
        error = (result.stderr.strip().splitlines() or ["no output"])[-1]
        print(f"pip-audit: not audited, pip-audit could not run: {error}")
        return 0
    dependencies = report.get("dependencies", [])
    vulnerable = [dep for dep in dependencies if dep.get("vulns")]
    skipped = [dep for dep in dependencies if dep.get("skip_reason")]
    for dep in vulnerable:
        ids = ", ".join(vuln["id"] for vuln in dep["vulns"])
        print(f"pip-audit: {dep['name']} {dep['version']} has known vulnerabilities: {ids}")
    audited = len(dependencies) - len(skipped)
    if skipped:
        names = ", ".join(sorted(dep["name"] for dep in skipped))
        print(
            f"pip-audit: {len(skipped)} of {len(dependencies)} dependencies not audited (no vulnerability service "
            f"answered for them): {names}"
        )
    print(f"pip-audit: {audited} dependencies audited, {len(vulnerable)} with known vulnerabilities.")
    return 1 if vulnerable else 0


if __name__ == "__main__":
    sys.exit(main())
