"""The core stays framework-free: pytest and behave users never import Robot Framework."""

import subprocess
import sys


def test_every_core_module_imports_without_a_test_framework_or_a_lazy_dependency():
    # Each module of the core, not just what SMTPLibrary.core happens to import today. trustme
    # and uvloop are imported when a TLS server or a server starts, never by importing the core.
    # The pymap adapter imports pymap, which exists from Python 3.11 on (the imap extra).
    code = (
        "import pkgutil, sys, SMTPLibrary.core as core; "
        "names = [m.name for m in pkgutil.walk_packages(core.__path__, core.__name__ + '.')]; "
        "names = [n for n in names if sys.version_info >= (3, 11) or not n.endswith('.pymap_adapter')]; "
        "[__import__(name) for name in names]; "
        "bad = sorted(m for m in sys.modules "
        "if m.split('.')[0] in ('robot', 'behave', 'pytest', 'trustme', 'cryptography', 'uvloop')); "
        "print(len(names), bad); sys.exit(1 if bad or len(names) < 25 else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_core_and_package_import_without_robot_or_behave():
    code = (
        "import sys, SMTPLibrary, SMTPLibrary.core; "
        "from SMTPLibrary import SMTPServer; "
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('robot', 'behave', 'pytest')); "
        "print(bad); sys.exit(1 if bad else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_robot_library_class_is_found_by_module_name():
    import SMTPLibrary

    assert SMTPLibrary.SMTPLibrary.__name__ == "SMTPLibrary"
