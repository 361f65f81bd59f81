"""examples/pytest-project works as a user's project: the built wheel installed into a fresh
virtual environment, no configuration, and pytest finds the fixtures by itself."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROJECT = ROOT / "examples" / "pytest-project"


def run(*command: str | Path, cwd: Path = ROOT, timeout: float = 300) -> subprocess.CompletedProcess:
    # No PYTHONPATH or virtual environment of ours leaks into the user's project.
    env = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "VIRTUAL_ENV")}
    result = subprocess.run(
        [str(part) for part in command], cwd=cwd, capture_output=True, text=True, timeout=timeout, env=env
    )
    assert result.returncode == 0, f"{command} failed:\n{result.stdout}{result.stderr}"
    return result


def clean_copy(tmp_path: Path) -> Path:
    # setuptools leaves build/ behind, and a stale build/ in the working tree could slip old
    # modules into a wheel.
    source = tmp_path / "source"
    shutil.copytree(ROOT / "SMTPLibrary", source / "SMTPLibrary", ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    return source


def test_sample_project_runs_on_the_installed_wheel(tmp_path):
    source = clean_copy(tmp_path)
    wheels = tmp_path / "wheels"
    run(sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir", wheels, source)
    (wheel,) = wheels.glob("robotframework_smtplibrary-*.whl")

    venv = tmp_path / "venv"
    # Without its own pip (seconds saved); our pip installs into it.
    run(sys.executable, "-m", "venv", "--without-pip", venv)
    python = venv / "bin" / "python"
    run(
        sys.executable,
        "-m",
        "pip",
        "--python",
        python,
        "install",
        "--quiet",
        "--disable-pip-version-check",
        wheel,
        "pytest",
    )

    project = tmp_path / "project"
    shutil.copytree(PROJECT, project, ignore=shutil.ignore_patterns("__pycache__", ".pytest_cache"))
    assert not [
        name
        for name in ("conftest.py", "pytest.ini", "pyproject.toml", "setup.cfg", "tox.ini")
        if (project / name).exists()
    ]

    located = run(python, "-c", "import SMTPLibrary; print(SMTPLibrary.__file__)", cwd=project)
    assert Path(located.stdout.strip()).is_relative_to(venv), located.stdout

    result = run(python, "-m", "pytest", "-p", "no:cacheprovider", cwd=project)
    assert "4 passed" in result.stdout, result.stdout
    assert "plugins: robotframework-smtplibrary-" in result.stdout, result.stdout

    # Robot's remote server is the [remote] extra: not installed here, and the command says how to get it.
    remote = subprocess.run([venv / "bin" / "smtplibrary", "remote", "--port", "0"], capture_output=True, text=True)
    assert (remote.returncode, remote.stderr) == (
        2,
        "smtplibrary remote: The remote library server needs robotremoteserver, which is not installed: "
        "pip install 'robotframework-smtplibrary[remote]'.\n",
    )


def test_an_editable_install_prints_no_warning(tmp_path):
    # What `make venv` (and so `make demo`) does: setuptools' warning about its import hook is gone.
    venv = tmp_path / "venv"
    run(sys.executable, "-m", "venv", "--without-pip", venv)
    python = venv / "bin" / "python"
    installed = run(
        sys.executable, "-m", "pip", "--python", python, "install", "--quiet", "--no-deps", "-e", clean_copy(tmp_path)
    )
    # (A machine's index settings may add notices of their own: only setuptools' are looked for.)
    for warning in ("BuildBackendWarning", "Editable install", "careful with folders"):
        assert warning not in installed.stdout + installed.stderr
    # Found where it is edited (its dependencies are not installed here: it is not imported).
    located = run(python, "-c", "import importlib.util as u; print(u.find_spec('SMTPLibrary').origin)", cwd=tmp_path)
    assert Path(located.stdout.strip()) == tmp_path / "source" / "SMTPLibrary" / "__init__.py"
