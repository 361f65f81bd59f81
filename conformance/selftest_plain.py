"""A bare subclass of aiosmtpd's SMTP: the harness's own check (all tests must pass with no
listed differences: `SMTPLIBRARY_CONFORMANCE_CLASS=selftest_plain:PlainSMTP`)."""

from aiosmtpd.smtp import SMTP


class PlainSMTP(SMTP):
    pass
