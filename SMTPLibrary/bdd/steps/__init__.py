"""Every SMTPLibrary step. Import this module from ``features/steps/`` to register them.

The steps are written for behave's default ``parse`` step matcher and are
registered with whichever matcher is current when this module is imported.
Rather than change the matcher behind the project's back, the import fails
with an explanation when the current one is not ``parse``.
"""

from behave.matchers import ParseMatcher, get_step_matcher_factory

if not issubclass(get_step_matcher_factory().current_matcher, ParseMatcher):
    raise ImportError(
        "SMTPLibrary's steps need behave's 'parse' step matcher, but another one is in use. "
        "Import SMTPLibrary.bdd.steps before calling use_step_matcher(), "
        "or call use_step_matcher('parse') just before importing it."
    )

from . import certificates, checks, content, faults, imap, messages, misbehaviour, security, server  # noqa: F401  (registering is importing)
