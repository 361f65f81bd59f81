"""The committed keyword reference is what `make docs` makes of the current code."""

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_keyword_reference_is_up_to_date(tmp_path):
    spec = importlib.util.spec_from_file_location("generate_docs", ROOT / "docs" / "generate.py")
    generate_docs = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generate_docs)
    fresh = generate_docs.generate(tmp_path / "SMTPLibrary.html").read_text(encoding="utf-8")
    committed = (ROOT / "docs" / "SMTPLibrary.html").read_text(encoding="utf-8")
    assert fresh == committed, "docs/SMTPLibrary.html is out of date: run `make docs` and commit the result"
