"""The committed keyword reference documents the current code.

The comparison is of the library model embedded in the HTML (keywords,
arguments, documentation), not of the page's bytes: a newer Robot Framework
or another Python version renders the same model with another template.
"""

import importlib.util
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VOLATILE = {"generated", "source", "lineno", "specversion"}


def library_model(html_file: Path) -> dict:
    html = html_file.read_text(encoding="utf-8")
    start = html.index("libdoc = ") + len("libdoc = ")
    model, _ = json.JSONDecoder().raw_decode(html, start)
    return strip_volatile(model)


def strip_volatile(value):
    if isinstance(value, dict):
        return {key: strip_volatile(item) for key, item in value.items() if key not in VOLATILE}
    if isinstance(value, list):
        return [strip_volatile(item) for item in value]
    return value


def test_keyword_reference_is_up_to_date(tmp_path):
    spec = importlib.util.spec_from_file_location("generate_docs", ROOT / "docs" / "generate.py")
    generate_docs = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generate_docs)
    fresh = library_model(generate_docs.generate(tmp_path / "SMTPLibrary.html"))
    committed = library_model(ROOT / "docs" / "SMTPLibrary.html")
    assert fresh == committed, "docs/SMTPLibrary.html is out of date: run `make docs` and commit the result"
