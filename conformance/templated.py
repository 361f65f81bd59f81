"""SMTPLibrary's protocol class built as its server builds every connection: copied from a
pristine template (``fastpath.init_like``) instead of running aiosmtpd's ``__init__``.

``make conformance`` runs aiosmtpd's protocol tests against this too, so that the fast path is
held to aiosmtpd's behaviour as well as the class itself."""

from __future__ import annotations

from typing import Any

from SMTPLibrary.core.smtp.aiosmtpd_engine.protocol import CaptureSMTP


class TemplatedCaptureSMTP(CaptureSMTP):
    def __init__(self, handler: Any, *, _pristine: bool = False, **kwargs: Any) -> None:
        if _pristine:
            super().__init__(handler, **kwargs)
            return
        template = type(self)(handler, _pristine=True, **kwargs)
        super().__init__(handler, template=template)
