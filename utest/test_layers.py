"""The layers of the package, as docs/architecture.md draws them: imports point one way, no module
imports itself back in a circle, and adapters reach the core through its public names only."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import SMTPLibrary

PACKAGE = Path(SMTPLibrary.__file__).parent
ROOT = PACKAGE.parent
ARCHITECTURE = ROOT / "docs" / "architecture.md"

# Lower numbers are lower layers. A module imports its own part and lower layers only.
LAYERS = {
    "SMTPLibrary.version": 0,
    "SMTPLibrary.core.errors": 0,
    "SMTPLibrary.core.wording": 0,
    "SMTPLibrary.core.values": 1,
    "SMTPLibrary.core.waiting": 1,
    "SMTPLibrary.core.mail": 2,
    "SMTPLibrary.core.mailbox": 3,
    "SMTPLibrary.core.checks": 3,
    "SMTPLibrary.core.report": 4,
    "SMTPLibrary.core.smtp": 4,
    "SMTPLibrary.core.imap": 5,
    "SMTPLibrary.core.runs": 6,
    "SMTPLibrary.core": 7,
}
ADAPTER = 8
# What adapters may import: the core's package and its parts' packages, and the shared leaf modules.
PUBLIC = {name for name in LAYERS if name.startswith("SMTPLibrary.core")} | {"SMTPLibrary.core.smtp.faults"}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def part(module: str) -> str:
    """The layer a module belongs to: the longest name of LAYERS it is, or is inside of."""
    for name in sorted(LAYERS, key=len, reverse=True):
        if module == name or module.startswith(name + "."):
            return name
    return "adapter"


def layer(module: str) -> int:
    return LAYERS.get(part(module), ADAPTER)


def imports(module: str, *, top_level_only: bool = False) -> list[tuple[str, list[str], int]]:
    """``(imported module, names, line)`` for each import of ``module`` from this package;
    imports under ``if TYPE_CHECKING:`` are left out (they never run)."""
    path = MODULES[module]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = []

    def visit(node: ast.AST, nested: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
                continue
            inner = nested or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef))
            if isinstance(child, ast.ImportFrom):
                base = child.module or ""
                if child.level:
                    anchor = package.split(".")[: len(package.split(".")) - child.level + 1]
                    base = ".".join([*anchor, base] if base else anchor)
                if base.split(".")[0] == "SMTPLibrary" and not (nested and top_level_only):
                    names = [alias.name for alias in child.names]
                    # "from . import x" imports the module x when there is one.
                    submodules = [name for name in names if f"{base}.{name}" in MODULES]
                    for name in submodules:
                        found.append((f"{base}.{name}", [], child.lineno))
                    rest = [name for name in names if name not in submodules]
                    if rest or not submodules:
                        found.append((base, rest, child.lineno))
            elif isinstance(child, ast.Import):
                for alias in child.names:
                    if alias.name.split(".")[0] == "SMTPLibrary" and not (nested and top_level_only):
                        found.append((alias.name, [], child.lineno))
            visit(child, inner)

    visit(tree, False)
    return found


def test_every_import_points_down_or_stays_in_its_part():
    wrong = [
        f"{module}:{line} imports {imported} ({part(imported)} is not below {part(module)})"
        for module in MODULES
        for imported, _names, line in imports(module)
        if part(imported) != part(module) and layer(imported) >= layer(module)
    ]
    assert not wrong, "\n".join(wrong)


def test_no_module_imports_itself_back_in_a_circle():
    graph = {module: {imported for imported, _, _ in imports(module, top_level_only=True)} for module in MODULES}
    # A package's __init__ that re-exports its own modules is not a circle with them.
    for module, edges in graph.items():
        graph[module] = {edge for edge in edges if not (module.startswith(edge + ".") and part(edge) == part(module))}
    circles = []
    state: dict[str, str] = {}

    def walk(module: str, path: list[str]) -> None:
        state[module] = "open"
        for target in sorted(graph.get(module, ())):
            if state.get(target) == "open":
                circles.append(" -> ".join([*path[path.index(target) :], target]))
            elif target not in state:
                walk(target, [*path, target])
        state[module] = "done"

    for module in sorted(graph):
        if module not in state:
            walk(module, [module])
    assert not circles, "\n".join(circles)


def test_adapters_use_the_public_names_of_the_core():
    wrong = []
    for module in MODULES:
        if layer(module) != ADAPTER:
            continue
        for imported, names, line in imports(module):
            if not imported.startswith("SMTPLibrary.core"):
                continue
            if imported not in PUBLIC:
                wrong.append(f"{module}:{line} imports {imported}, not a public part of the core")
                continue
            exported = getattr(__import__(imported, fromlist=["*"]), "__all__", None)
            hidden = [
                name
                for name in names
                if name.startswith("_")
                or (exported is not None and name not in exported and f"{imported}.{name}" not in MODULES)
            ]
            if hidden:
                wrong.append(f"{module}:{line} imports {', '.join(hidden)} from {imported}, which does not export it")
    assert not wrong, "\n".join(wrong)


def documented_parts() -> set[str]:
    text = ARCHITECTURE.read_text(encoding="utf-8")
    return set(re.findall(r"^\|\s*`(core/[a-z_/]+)/`", text, re.MULTILINE))


def test_architecture_names_each_part_of_the_core_that_exists_and_no_other():
    existing = {
        str(path.parent.relative_to(PACKAGE))
        for path in (PACKAGE / "core").rglob("__init__.py")
        if path.parent != PACKAGE / "core"
    }
    assert documented_parts() == existing
