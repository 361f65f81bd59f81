"""Project-only steps that read the mailboxes a behave run left on disk, with the standard library."""

from __future__ import annotations

import mailbox

from behave import then


def _subjects(folder: mailbox.Mailbox) -> list[str]:
    return [message["subject"] for message in folder]


@then('the Maildir "{path}" should hold messages with subjects "{subjects}"')
def step_maildir_holds(context, path, subjects):
    actual = sorted(_subjects(mailbox.Maildir(context.project / path, factory=None, create=False)))
    assert actual == sorted(subjects.split(", ")), actual


@then('the mbox "{path}" should hold messages with subjects "{subjects}"')
def step_mbox_holds(context, path, subjects):
    actual = _subjects(mailbox.mbox(context.project / path, create=False))
    assert actual == subjects.split(", "), actual


@then('the file "{path}" should contain "{text}"')
def step_file_contains(context, path, text):
    content = (context.project / path).read_text(encoding="utf-8")
    assert text in content, content
