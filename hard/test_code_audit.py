"""Nothing from the wire reaches eval, exec, pickle, marshal or a shell: the package
does not call them at all, which a reader can check here rather than trust."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "SMTPLibrary"
FORBIDDEN_CALLS = {"eval", "exec", "compile", "__import__"}
FORBIDDEN_MODULES = {"pickle", "cPickle", "marshal", "shelve", "dill"}
FORBIDDEN_ATTRIBUTES = {("os", "system"), ("os", "popen"), ("yaml", "load")}


def findings() -> list[str]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        where = path.relative_to(PACKAGE.parent)
        for node in ast.walk(tree):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                names = [alias.name for alias in node.names] + [getattr(node, "module", None) or ""]
                for name in names:
                    if name.split(".")[0] in FORBIDDEN_MODULES:
                        found.append(f"{where}:{node.lineno} imports {name}")
            elif isinstance(node, ast.Call):
                function = node.func
                if isinstance(function, ast.Name) and function.id in FORBIDDEN_CALLS:
                    found.append(f"{where}:{node.lineno} calls {function.id}()")
                if isinstance(function, ast.Attribute) and isinstance(function.value, ast.Name):
                    if (function.value.id, function.attr) in FORBIDDEN_ATTRIBUTES:
                        found.append(f"{where}:{node.lineno} calls {function.value.id}.{function.attr}()")
                for keyword in node.keywords:
                    if keyword.arg == "shell" and not (
                        isinstance(keyword.value, ast.Constant) and keyword.value.value is False
                    ):
                        found.append(f"{where}:{node.lineno} runs a shell")
    return found


def test_no_eval_pickle_or_shell_in_the_package():
    assert findings() == []


def test_the_audit_finds_what_it_looks_for(tmp_path, monkeypatch):
    bad = tmp_path / "SMTPLibrary"
    bad.mkdir()
    (bad / "bad.py").write_text(
        "import pickle\nimport os, subprocess\neval('1')\nos.system('x')\nsubprocess.run('x', shell=True)\n"
    )
    monkeypatch.setattr(sys.modules[__name__], "PACKAGE", bad)
    assert findings() == [
        "SMTPLibrary/bad.py:1 imports pickle",
        "SMTPLibrary/bad.py:3 calls eval()",
        "SMTPLibrary/bad.py:4 calls os.system()",
        "SMTPLibrary/bad.py:5 runs a shell",
    ]
