"""Project-only steps for the content features: sending corpus mail, and looking at what
the library's steps left behind (context.smtp_link, context.smtp_attachment, the JSON report)."""

from __future__ import annotations

import base64
import json
import smtplib
from pathlib import Path

from behave import then, when

CORPUS = Path(__file__).resolve().parents[2] / "utest" / "corpus"


@when('the corpus message "{name}" is sent')
def step_send_corpus(context, name):
    with smtplib.SMTP("127.0.0.1", context.smtp_port, local_hostname="corpus.test") as client:
        client.sendmail("app@example.com", ["alice@example.com"], (CORPUS / name).read_bytes())


@then('context.smtp_link should be "{link}"')
def step_link_is(context, link):
    assert context.smtp_link == link, context.smtp_link


@then("context.smtp_attachment should be {size:d} bytes of {content_type}")
def step_attachment_is(context, size, content_type):
    attachment = context.smtp_attachment
    assert (attachment.size, attachment.content_type) == (size, content_type), attachment


@then('the JSON report "{name}" should attach to step "{step}" the card of the message with subject "{subject}"')
def step_report_has_card(context, name, step, subject):
    report = json.loads((context.project / name).read_text(encoding="utf-8"))
    steps = [s for feature in report for element in feature["elements"] for s in element["steps"]]
    matching = [s for s in steps if s["name"] == step]
    assert matching, f"no step {step!r} in the report: {[s['name'] for s in steps]}"
    embeddings = matching[0].get("embeddings", [])
    kinds = [embedding["mime_type"] for embedding in embeddings]
    assert kinds[:2] == ["text/html", "message/rfc822"], kinds
    card = base64.b64decode(embeddings[0]["data"]).decode("utf-8")
    assert "class='smtplibrary-message'" in card and f"subject &#x27;{subject}&#x27;" in card, card[:500]
    raw = base64.b64decode(embeddings[1]["data"])
    assert f"Subject: {subject}".encode() in raw, raw[:300]
